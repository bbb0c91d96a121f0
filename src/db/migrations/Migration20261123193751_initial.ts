import { Migration } from '@mikro-orm/migrations';

export class Migration20261123193751_initial extends Migration {

  override name = 'Migration20261123193751_initial';

  override up(): void | Promise<void> {
    this.addSql(`create type "community_visibility" as enum ('OPEN', 'RESTRICTED');`);
    this.addSql(`create type "community_status" as enum ('ACTIVE', 'RETIRED');`);
    this.addSql(`create type "org_role" as enum ('MEMBER', 'COUNCIL', 'BOARD', 'STAFF');`);
    this.addSql(`create type "membership_status" as enum ('PENDING', 'ACTIVE', 'LEFT', 'DECLINED');`);
    this.addSql(`create type "notification_preference" as enum ('REALTIME', 'DAILY_DIGEST', 'WEEKLY_DIGEST', 'NONE');`);
    this.addSql(`create type "thread_kind" as enum ('DISCUSSION', 'QUESTION', 'ANNOUNCEMENT', 'PROMPT', 'AMA');`);
    this.addSql(`create table "community" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "slug" text not null, "name" text not null, "description" text not null, "topics" text[] not null default '{}', "visibility" "community_visibility" not null default 'OPEN', "membership_rationale" text null, "status" "community_status" not null default 'ACTIVE', primary key ("id"));`);
    this.addSql(`alter table "community" add constraint "community_slug_unique" unique ("slug");`);
    this.addSql(`create index "community_name_index" on "community" ("name");`);
    this.addSql(`create index "community_topics_index" on "community" using gin ("topics");`);

    this.addSql(`create table "member" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "email" text not null, "email_key" text not null, "password_hash" text not null, "display_name" text not null, "bio" text null, "expertise" text[] not null default '{}', "org_role" "org_role" not null default 'MEMBER', primary key ("id"));`);
    this.addSql(`alter table "member" add constraint "member_email_key_unique" unique ("email_key");`);

    this.addSql(`create table "membership" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "member_id" uuid not null, "community_id" uuid not null, "status" "membership_status" not null, "roles" text[] not null default '{}', "notification_preference" "notification_preference" not null default 'REALTIME', "joined_at" timestamptz(3) null, "approved_at" timestamptz(3) null, "updated_at" timestamptz(3) null, primary key ("id"));`);
    this.addSql(`create index "membership_member_id_index" on "membership" ("member_id");`);
    this.addSql(`create index "membership_community_id_status_joined_at_index" on "membership" ("community_id", "status", "joined_at");`);
    this.addSql(`alter table "membership" add constraint "membership_member_id_community_id_unique" unique ("member_id", "community_id");`);

    this.addSql(`create table "thread" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "community_id" uuid not null, "author_id" uuid not null, "title" text not null, "body" text not null, "kind" "thread_kind" not null, "tags" text[] not null default '{}', "pinned" boolean not null default false, "locked" boolean not null default false, "reply_count" int not null default 0, "last_activity_at" timestamptz(3) not null default now(), "accepted_answer_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "thread_author_id_index" on "thread" ("author_id");`);
    this.addSql(`create index "thread_accepted_answer_id_index" on "thread" ("accepted_answer_id");`);
    this.addSql(`create index "thread_community_id_pinned_last_activity_at_id_index" on "thread" ("community_id", "pinned", "last_activity_at", "id");`);

    this.addSql(`create table "post" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "thread_id" uuid not null, "author_id" uuid not null, "parent_id" uuid null, "body" text not null, "edited_at" timestamptz(3) null, "deleted_at" timestamptz(3) null, "deleted_by_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "post_author_id_index" on "post" ("author_id");`);
    this.addSql(`create index "post_parent_id_index" on "post" ("parent_id");`);
    this.addSql(`create index "post_deleted_by_id_index" on "post" ("deleted_by_id");`);
    this.addSql(`create index "post_thread_id_created_at_id_index" on "post" ("thread_id", "created_at", "id");`);

    this.addSql(`create table "reaction" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "post_id" uuid not null, "member_id" uuid not null, "emoji" text not null, primary key ("id"));`);
    this.addSql(`create index "reaction_member_id_index" on "reaction" ("member_id");`);
    this.addSql(`alter table "reaction" add constraint "reaction_post_id_member_id_emoji_unique" unique ("post_id", "member_id", "emoji");`);

    this.addSql(`alter table "membership" add constraint "membership_member_id_foreign" foreign key ("member_id") references "member" ("id") on delete cascade;`);
    this.addSql(`alter table "membership" add constraint "membership_community_id_foreign" foreign key ("community_id") references "community" ("id") on delete cascade;`);
    this.addSql(`alter table "membership" add constraint "membership_roles_check" check ("roles" <@ array['DISCUSSION_MONITOR'::text, 'MEETING_COORDINATOR'::text, 'EVENT_COORDINATOR'::text, 'LEAD'::text]);`);

    this.addSql(`alter table "thread" add constraint "thread_community_id_foreign" foreign key ("community_id") references "community" ("id") on delete cascade;`);
    this.addSql(`alter table "thread" add constraint "thread_author_id_foreign" foreign key ("author_id") references "member" ("id");`);
    this.addSql(`alter table "thread" add constraint "thread_accepted_answer_id_foreign" foreign key ("accepted_answer_id") references "post" ("id") on delete set null;`);

    this.addSql(`alter table "post" add constraint "post_thread_id_foreign" foreign key ("thread_id") references "thread" ("id") on delete cascade;`);
    this.addSql(`alter table "post" add constraint "post_author_id_foreign" foreign key ("author_id") references "member" ("id");`);
    this.addSql(`alter table "post" add constraint "post_parent_id_foreign" foreign key ("parent_id") references "post" ("id") on delete set null;`);
    this.addSql(`alter table "post" add constraint "post_deleted_by_id_foreign" foreign key ("deleted_by_id") references "member" ("id") on delete set null;`);

    this.addSql(`alter table "reaction" add constraint "reaction_post_id_foreign" foreign key ("post_id") references "post" ("id") on delete cascade;`);
    this.addSql(`alter table "reaction" add constraint "reaction_member_id_foreign" foreign key ("member_id") references "member" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "membership" drop constraint "membership_community_id_foreign";`);
    this.addSql(`alter table "thread" drop constraint "thread_community_id_foreign";`);
    this.addSql(`alter table "membership" drop constraint "membership_member_id_foreign";`);
    this.addSql(`alter table "thread" drop constraint "thread_author_id_foreign";`);
    this.addSql(`alter table "post" drop constraint "post_author_id_foreign";`);
    this.addSql(`alter table "post" drop constraint "post_deleted_by_id_foreign";`);
    this.addSql(`alter table "reaction" drop constraint "reaction_member_id_foreign";`);
    this.addSql(`alter table "post" drop constraint "post_thread_id_foreign";`);
    this.addSql(`alter table "thread" drop constraint "thread_accepted_answer_id_foreign";`);
    this.addSql(`alter table "post" drop constraint "post_parent_id_foreign";`);
    this.addSql(`alter table "reaction" drop constraint "reaction_post_id_foreign";`);

    this.addSql(`drop table if exists "community" cascade;`);
    this.addSql(`drop table if exists "member" cascade;`);
    this.addSql(`drop table if exists "membership" cascade;`);
    this.addSql(`drop table if exists "thread" cascade;`);
    this.addSql(`drop table if exists "post" cascade;`);
    this.addSql(`drop table if exists "reaction" cascade;`);

    this.addSql(`drop type "community_visibility";`);
    this.addSql(`drop type "community_status";`);
    this.addSql(`drop type "org_role";`);
    this.addSql(`drop type "membership_status";`);
    this.addSql(`drop type "notification_preference";`);
    this.addSql(`drop type "thread_kind";`);
  }

}
