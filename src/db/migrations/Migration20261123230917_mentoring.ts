import { Migration } from '@mikro-orm/migrations';

export class Migration20261123230917_mentoring extends Migration {

  override name = 'Migration20261123230917_mentoring';

  override up(): void | Promise<void> {
    this.addSql(`create type "mentorship_status" as enum ('PROPOSED', 'ACTIVE', 'DECLINED', 'COMPLETED');`);
    this.addSql(`create table "mentoring_group" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "mentor_id" uuid not null, "topic" text not null, "description" text null, "capacity" int not null, "member_count" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "mentoring_group_mentor_id_index" on "mentoring_group" ("mentor_id");`);
    this.addSql(`create index "mentoring_group_created_at_id_index" on "mentoring_group" ("created_at", "id");`);
    this.addSql(`create index "mentoring_group_topic_created_at_id_index" on "mentoring_group" ("topic", "created_at", "id");`);

    this.addSql(`create table "mentoring_group_member" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "group_id" uuid not null, "member_id" uuid not null, primary key ("id"));`);
    this.addSql(`create index "mentoring_group_member_member_id_index" on "mentoring_group_member" ("member_id");`);
    this.addSql(`create index "mentoring_group_member_group_id_created_at_id_index" on "mentoring_group_member" ("group_id", "created_at", "id");`);
    this.addSql(`alter table "mentoring_group_member" add constraint "mentoring_group_member_group_id_member_id_unique" unique ("group_id", "member_id");`);

    this.addSql(`create table "mentor_profile" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "member_id" uuid not null, "topics" text[] not null, "capacity" int not null, "active_mentee_count" int not null default 0, "bio" text null, "accepting_mentees" boolean not null default true, "updated_at" timestamptz(3) not null default now(), "match_lexemes" tsvector null, "match_signature" bit(2048) null, primary key ("id"));`);
    this.addSql(`alter table "mentor_profile" add constraint "mentor_profile_member_id_unique" unique ("member_id");`);

    this.addSql(`create table "mentor_match_entry" ("profile_id" uuid not null, "topic" text not null, "topics" text[] not null, "member_id" uuid not null, "capacity" int not null, "free_places" int not null, "signature" bit(2048) not null, primary key ("profile_id", "topic"));`);
    this.addSql(`create index "mentor_match_entry_topic_index" on "mentor_match_entry" ("topic") include ("profile_id", "topics", "member_id", "capacity", "free_places", "signature");`);

    this.addSql(`create table "mentorship_pairing" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "mentor_id" uuid not null, "mentee_id" uuid not null, "status" "mentorship_status" not null, "topics" text[] not null, "goals" text null, "message" text null, "responded_at" timestamptz(3) null, "completed_at" timestamptz(3) null, primary key ("id"));`);
    this.addSql(`create index "mentorship_pairing_mentee_id_created_at_id_index" on "mentorship_pairing" ("mentee_id", "created_at", "id");`);
    this.addSql(`create index "mentorship_pairing_mentor_id_created_at_id_index" on "mentorship_pairing" ("mentor_id", "created_at", "id");`);
    this.addSql(`create unique index "mentorship_pairing_open_pair_unique" on "mentorship_pairing" (least("mentor_id", "mentee_id"), greatest("mentor_id", "mentee_id")) where "status" in ('PROPOSED', 'ACTIVE');`);

    this.addSql(`create table "mentorship_check_in" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "pairing_id" uuid not null, "author_id" uuid not null, "note" text not null, primary key ("id"));`);
    this.addSql(`create index "mentorship_check_in_author_id_index" on "mentorship_check_in" ("author_id");`);
    this.addSql(`create index "mentorship_check_in_pairing_id_created_at_id_index" on "mentorship_check_in" ("pairing_id", "created_at", "id");`);

    this.addSql(`create table "mentor_topic_stat" ("topic" text not null, "mentor_count" int not null, primary key ("topic"));`);

    this.addSql(`alter table "mentoring_group" add constraint "mentoring_group_mentor_id_foreign" foreign key ("mentor_id") references "member" ("id") on delete cascade;`);
    this.addSql(`alter table "mentoring_group" add constraint "mentoring_group_counts_check" check (member_count >= 0 and member_count <= capacity);`);

    this.addSql(`alter table "mentoring_group_member" add constraint "mentoring_group_member_group_id_foreign" foreign key ("group_id") references "mentoring_group" ("id") on delete cascade;`);
    this.addSql(`alter table "mentoring_group_member" add constraint "mentoring_group_member_member_id_foreign" foreign key ("member_id") references "member" ("id") on delete cascade;`);

    this.addSql(`alter table "mentor_profile" add constraint "mentor_profile_member_id_foreign" foreign key ("member_id") references "member" ("id") on delete cascade;`);
    this.addSql(`alter table "mentor_profile" add constraint "mentor_profile_counts_check" check (capacity >= 0 and active_mentee_count >= 0);`);
    this.addSql(`create or replace function "mentor_profile_mentor_profile_match_entries_fn"() returns trigger as \$\$ begin if tg_op = 'UPDATE' and (new.topics, new.capacity, new.active_mentee_count, new.accepting_mentees, new.match_signature) is not distinct from (old.topics, old.capacity, old.active_mentee_count, old.accepting_mentees, old.match_signature) then return null; end if; if tg_op <> 'INSERT' then delete from mentor_match_entry where profile_id = old.id; end if; if tg_op <> 'DELETE' and new.accepting_mentees and new.active_mentee_count < new.capacity then insert into mentor_match_entry (profile_id, topic, topics, member_id, capacity, free_places, signature) select distinct new.id, t, new.topics, new.member_id, new.capacity, new.capacity - new.active_mentee_count, new.match_signature from unnest(new.topics) t; end if; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "mentor_profile_match_entries" AFTER INSERT OR UPDATE OR DELETE on "mentor_profile" for each ROW execute function "mentor_profile_mentor_profile_match_entries_fn"();`);
    this.addSql(`create or replace function "mentor_profile_mentor_profile_topic_stats_fn"() returns trigger as \$\$ begin insert into mentor_topic_stat as s (topic, mentor_count) select d.topic, sum(d.delta)::int from (select t as topic, 1 as delta from unnest(case when tg_op = 'DELETE' then '{}'::text[] else array_append(new.topics, '') end) t union all select t, -1 from unnest(case when tg_op = 'INSERT' then '{}'::text[] else array_append(old.topics, '') end) t) d group by d.topic having sum(d.delta) <> 0 order by d.topic on conflict (topic) do update set mentor_count = s.mentor_count + excluded.mentor_count; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "mentor_profile_topic_stats" AFTER INSERT OR UPDATE OR DELETE on "mentor_profile" for each ROW execute function "mentor_profile_mentor_profile_topic_stats_fn"();`);
    this.addSql(`create or replace function "mentor_profile_mentor_profile_lexemes_fn"() returns trigger as \$\$ begin if tg_op = 'INSERT' or new.bio is distinct from old.bio or new.topics is distinct from old.topics then new.match_lexemes := strip(to_tsvector('english'::regconfig, coalesce(new.bio, '') || ' ' || array_to_string(new.topics, ' '))); new.match_signature := (select coalesce(bit_or(set_bit(repeat('0', 2048)::bit(2048), (('x' || substr(md5(l), 1, 8))::bit(32)::int & 2047), 1)), repeat('0', 2048)::bit(2048)) from unnest(tsvector_to_array(new.match_lexemes)) l); end if; return new; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "mentor_profile_lexemes" BEFORE INSERT OR UPDATE on "mentor_profile" for each ROW execute function "mentor_profile_mentor_profile_lexemes_fn"();`);

    this.addSql(`alter table "mentor_match_entry" add constraint "mentor_match_entry_profile_id_foreign" foreign key ("profile_id") references "mentor_profile" ("id") on delete cascade;`);

    this.addSql(`alter table "mentorship_pairing" add constraint "mentorship_pairing_mentor_id_foreign" foreign key ("mentor_id") references "member" ("id") on delete cascade;`);
    this.addSql(`alter table "mentorship_pairing" add constraint "mentorship_pairing_mentee_id_foreign" foreign key ("mentee_id") references "member" ("id") on delete cascade;`);

    this.addSql(`alter table "mentorship_check_in" add constraint "mentorship_check_in_pairing_id_foreign" foreign key ("pairing_id") references "mentorship_pairing" ("id") on delete cascade;`);
    this.addSql(`alter table "mentorship_check_in" add constraint "mentorship_check_in_author_id_foreign" foreign key ("author_id") references "member" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "mentoring_group_member" drop constraint "mentoring_group_member_group_id_foreign";`);
    this.addSql(`alter table "mentor_match_entry" drop constraint "mentor_match_entry_profile_id_foreign";`);
    this.addSql(`alter table "mentorship_check_in" drop constraint "mentorship_check_in_pairing_id_foreign";`);

    this.addSql(`drop table if exists "mentoring_group" cascade;`);
    this.addSql(`drop table if exists "mentoring_group_member" cascade;`);
    this.addSql(`drop trigger if exists "mentor_profile_match_entries" on "mentor_profile";`);
    this.addSql(`drop function if exists "mentor_profile_mentor_profile_match_entries_fn"();`);
    this.addSql(`drop trigger if exists "mentor_profile_topic_stats" on "mentor_profile";`);
    this.addSql(`drop function if exists "mentor_profile_mentor_profile_topic_stats_fn"();`);
    this.addSql(`drop trigger if exists "mentor_profile_lexemes" on "mentor_profile";`);
    this.addSql(`drop function if exists "mentor_profile_mentor_profile_lexemes_fn"();`);
    this.addSql(`drop table if exists "mentor_profile" cascade;`);
    this.addSql(`drop table if exists "mentor_match_entry" cascade;`);
    this.addSql(`drop table if exists "mentorship_pairing" cascade;`);
    this.addSql(`drop table if exists "mentorship_check_in" cascade;`);
    this.addSql(`drop table if exists "mentor_topic_stat" cascade;`);

    this.addSql(`drop type "mentorship_status";`);
  }

}
