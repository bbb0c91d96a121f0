import { Migration } from '@mikro-orm/migrations';

export class Migration20261129144520_mentor_match_index extends Migration {

  override name = 'Migration20261129144520_mentor_match_index';

  override up(): void | Promise<void> {
    this.addSql(`create table "mentor_match_change" ("position" bigint not null, "profile_id" uuid not null, primary key ("position"));`);

    this.addSql(`create table "mentor_match_counter" ("id" smallint not null, "position" bigint not null, primary key ("id"));`);

    this.addSql(`drop table if exists "mentor_match_entry" cascade;`);

    this.addSql(`drop trigger if exists "mentor_profile_match_entries" on "mentor_profile";`);
    this.addSql(`drop function if exists "mentor_profile_mentor_profile_match_entries_fn"();`);
    this.addSql(`drop trigger if exists "mentor_profile_lexemes" on "mentor_profile";`);
    this.addSql(`drop function if exists "mentor_profile_mentor_profile_lexemes_fn"();`);
    this.addSql(`alter table "mentor_profile" drop column "match_signature";`);
    this.addSql(`create or replace function "mentor_profile_mentor_profile_match_changes_fn"() returns trigger as \$\$ begin if tg_op = 'UPDATE' and (new.member_id, new.topics, new.capacity, new.active_mentee_count, new.accepting_mentees, new.match_lexemes) is not distinct from (old.member_id, old.topics, old.capacity, old.active_mentee_count, old.accepting_mentees, old.match_lexemes) then return null; end if; with c as (insert into mentor_match_counter as n (id, position) values (1, (select coalesce(max(position), 0) + 1 from mentor_match_change)) on conflict (id) do update set position = n.position + 1 returning n.position), i as (insert into mentor_match_change (position, profile_id) select c.position, case when tg_op = 'DELETE' then old.id else new.id end from c returning position) delete from mentor_match_change where position <= (select i.position - 10000 from i); return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "mentor_profile_match_changes" AFTER INSERT OR UPDATE OR DELETE on "mentor_profile" for each ROW execute function "mentor_profile_mentor_profile_match_changes_fn"();`);
    this.addSql(`create or replace function "mentor_profile_mentor_profile_lexemes_fn"() returns trigger as \$\$ begin if tg_op = 'INSERT' or new.bio is distinct from old.bio or new.topics is distinct from old.topics then new.match_lexemes := strip(to_tsvector('english'::regconfig, coalesce(new.bio, '') || ' ' || array_to_string(new.topics, ' '))); end if; return new; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "mentor_profile_lexemes" BEFORE INSERT OR UPDATE on "mentor_profile" for each ROW execute function "mentor_profile_mentor_profile_lexemes_fn"();`);

    this.addSql(`alter table "mentor_match_counter" add constraint "mentor_match_counter_single_row_check" check (id = 1);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create table "mentor_match_entry" ("profile_id" uuid not null, "topic" text not null, "topics" text[] not null, "member_id" uuid not null, "capacity" int4 not null, "free_places" int4 not null, "signature" bit(2048) not null, primary key ("profile_id", "topic"));`);
    this.addSql(`create index "mentor_match_entry_topic_index" on "mentor_match_entry" ("topic") include ("profile_id", "topics", "member_id", "capacity", "free_places", "signature");`);

    this.addSql(`drop table if exists "mentor_match_change" cascade;`);
    this.addSql(`drop table if exists "mentor_match_counter" cascade;`);

    this.addSql(`drop trigger if exists "mentor_profile_match_changes" on "mentor_profile";`);
    this.addSql(`drop function if exists "mentor_profile_mentor_profile_match_changes_fn"();`);
    this.addSql(`drop trigger if exists "mentor_profile_lexemes" on "mentor_profile";`);
    this.addSql(`drop function if exists "mentor_profile_mentor_profile_lexemes_fn"();`);
    this.addSql(`alter table "mentor_profile" add "match_signature" bit(2048) null;`);
    this.addSql(`create or replace function "mentor_profile_mentor_profile_match_entries_fn"() returns trigger as \$\$ begin if tg_op = 'UPDATE' and (new.topics, new.capacity, new.active_mentee_count, new.accepting_mentees, new.match_signature) is not distinct from (old.topics, old.capacity, old.active_mentee_count, old.accepting_mentees, old.match_signature) then return null; end if; if tg_op <> 'INSERT' then delete from mentor_match_entry where profile_id = old.id; end if; if tg_op <> 'DELETE' and new.accepting_mentees and new.active_mentee_count < new.capacity then insert into mentor_match_entry (profile_id, topic, topics, member_id, capacity, free_places, signature) select distinct new.id, t, new.topics, new.member_id, new.capacity, new.capacity - new.active_mentee_count, new.match_signature from unnest(new.topics) t; end if; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "mentor_profile_match_entries" AFTER DELETE OR INSERT OR UPDATE on "mentor_profile" for each ROW execute function "mentor_profile_mentor_profile_match_entries_fn"();`);
    this.addSql(`create or replace function "mentor_profile_mentor_profile_lexemes_fn"() returns trigger as \$\$ begin if tg_op = 'INSERT' or new.bio is distinct from old.bio or new.topics is distinct from old.topics then new.match_lexemes := strip(to_tsvector('english'::regconfig, coalesce(new.bio, '') || ' ' || array_to_string(new.topics, ' '))); new.match_signature := (select coalesce(bit_or(set_bit(repeat('0', 2048)::bit(2048), (('x' || substr(md5(l), 1, 8))::bit(32)::int & 2047), 1)), repeat('0', 2048)::bit(2048)) from unnest(tsvector_to_array(new.match_lexemes)) l); end if; return new; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "mentor_profile_lexemes" BEFORE INSERT OR UPDATE on "mentor_profile" for each ROW execute function "mentor_profile_mentor_profile_lexemes_fn"();`);

    this.addSql(`alter table "mentor_match_entry" add constraint "mentor_match_entry_profile_id_foreign" foreign key ("profile_id") references "mentor_profile" ("id") on update no action on delete cascade;`);

    // Back to the old matching: signatures for every profile (the update also makes the entries trigger fill
    // mentor_match_entry for the available ones, and leaves the topic statistics alone: topics do not change).
    this.addSql(`update "mentor_profile" set "match_signature" = (select coalesce(bit_or(set_bit(repeat('0', 2048)::bit(2048), (('x' || substr(md5(l), 1, 8))::bit(32)::int & 2047), 1)), repeat('0', 2048)::bit(2048)) from unnest(tsvector_to_array("match_lexemes")) l);`);
  }

}
