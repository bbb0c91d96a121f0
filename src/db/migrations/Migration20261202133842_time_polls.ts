import { Migration } from '@mikro-orm/migrations';

export class Migration20261202133842_time_polls extends Migration {

  override name = 'Migration20261202133842_time_polls';

  override up(): void | Promise<void> {
    this.addSql(`alter type "notification_kind" add value if not exists 'TIME_POLL_OPENED';`);
    this.addSql(`create type "time_poll_answer" as enum ('YES', 'IF_NEEDED', 'NO');`);
    this.addSql(`create table "time_poll" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "community_id" uuid not null, "created_by_id" uuid null, "title" text not null, "time_zone" text not null, "closes_at" timestamptz(3) not null, "closed_at" timestamptz(3) null, "closed_by_id" uuid null, "chosen_option_id" uuid null, "meeting_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "time_poll_community_index" on "time_poll" ("community_id", "created_at", "id");`);

    this.addSql(`create table "time_poll_option" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "poll_id" uuid not null, "starts_at" timestamptz(3) not null, "duration_minutes" int not null, "position" int not null, primary key ("id"));`);
    this.addSql(`create index "time_poll_option_poll_index" on "time_poll_option" ("poll_id", "starts_at", "position");`);
    this.addSql(`alter table "time_poll_option" add constraint "time_poll_option_unique" unique ("poll_id", "starts_at", "duration_minutes");`);

    this.addSql(`create table "time_poll_vote" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "poll_id" uuid not null, "option_id" uuid not null, "member_id" uuid not null, "answer" "time_poll_answer" not null, "answered_at" timestamptz(3) not null default now(), primary key ("id"));`);
    this.addSql(`create index "time_poll_vote_poll_index" on "time_poll_vote" ("poll_id");`);
    this.addSql(`create index "time_poll_vote_member_index" on "time_poll_vote" ("member_id", "poll_id");`);
    this.addSql(`alter table "time_poll_vote" add constraint "time_poll_vote_option_member_unique" unique ("option_id", "member_id");`);

    this.addSql(`alter table "time_poll" add constraint "time_poll_community_id_foreign" foreign key ("community_id") references "community" ("id") on delete cascade;`);
    this.addSql(`alter table "time_poll" add constraint "time_poll_created_by_id_foreign" foreign key ("created_by_id") references "member" ("id") on delete set null;`);
    this.addSql(`alter table "time_poll" add constraint "time_poll_closed_by_id_foreign" foreign key ("closed_by_id") references "member" ("id") on delete set null;`);
    this.addSql(`alter table "time_poll" add constraint "time_poll_chosen_option_id_foreign" foreign key ("chosen_option_id") references "time_poll_option" ("id") on delete set null;`);
    this.addSql(`alter table "time_poll" add constraint "time_poll_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on delete set null;`);

    this.addSql(`alter table "time_poll_option" add constraint "time_poll_option_poll_id_foreign" foreign key ("poll_id") references "time_poll" ("id") on delete cascade;`);

    this.addSql(`alter table "time_poll_vote" add constraint "time_poll_vote_poll_id_foreign" foreign key ("poll_id") references "time_poll" ("id") on delete cascade;`);
    this.addSql(`alter table "time_poll_vote" add constraint "time_poll_vote_option_id_foreign" foreign key ("option_id") references "time_poll_option" ("id") on delete cascade;`);
    this.addSql(`alter table "time_poll_vote" add constraint "time_poll_vote_member_id_foreign" foreign key ("member_id") references "member" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "time_poll_option" drop constraint "time_poll_option_poll_id_foreign";`);
    this.addSql(`alter table "time_poll_vote" drop constraint "time_poll_vote_poll_id_foreign";`);
    this.addSql(`alter table "time_poll" drop constraint "time_poll_chosen_option_id_foreign";`);
    this.addSql(`alter table "time_poll_vote" drop constraint "time_poll_vote_option_id_foreign";`);

    this.addSql(`drop table if exists "time_poll" cascade;`);
    this.addSql(`drop table if exists "time_poll_option" cascade;`);
    this.addSql(`drop table if exists "time_poll_vote" cascade;`);

    this.addSql(`drop type "time_poll_answer";`);
    // notification_kind keeps TIME_POLL_OPENED: PostgreSQL cannot drop an enum value.

  }

}
