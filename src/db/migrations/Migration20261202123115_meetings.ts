import { Migration } from '@mikro-orm/migrations';

export class Migration20261202123115_meetings extends Migration {

  override name = 'Migration20261202123115_meetings';

  override up(): void | Promise<void> {
    this.addSql(`create type "meeting_kind" as enum ('ANNUAL', 'MEETUP', 'AMA', 'BOOK_CLUB', 'GUEST_SPEAKER', 'WORKING_SESSION', 'OTHER');`);
    this.addSql(`create type "meeting_status" as enum ('TENTATIVE', 'SCHEDULED', 'CANCELLED', 'HELD');`);
    this.addSql(`create type "rsvp_status" as enum ('GOING', 'INTERESTED', 'NOT_GOING', 'WAITLISTED');`);
    this.addSql(`create table "meeting" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "community_id" uuid not null, "created_by_id" uuid null, "kind" "meeting_kind" not null, "status" "meeting_status" not null default 'SCHEDULED', "title" text not null, "description" text null, "starts_at" timestamptz(3) null, "ends_at" timestamptz(3) null, "sort_at" timestamptz(3) not null, "time_zone" text not null, "url" text null, "venue" text null, "capacity" int null, "reminder_minutes_before" int[] not null, "annual_year" int null, "sequence" int not null default 0, "updated_at" timestamptz(3) not null default now(), "summary" text null, "cancelled_at" timestamptz(3) null, primary key ("id"));`);
    this.addSql(`create index "meeting_community_sort_index" on "meeting" ("community_id", "sort_at", "id");`);
    this.addSql(`alter table "meeting" add constraint "meeting_annual_unique" unique ("community_id", "annual_year");`);

    this.addSql(`create table "meeting_rsvp" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "meeting_id" uuid not null, "member_id" uuid not null, "status" "rsvp_status" not null, "answered_at" timestamptz(3) not null default now(), primary key ("id"));`);
    this.addSql(`create index "meeting_rsvp_waitlist_index" on "meeting_rsvp" ("meeting_id", "status", "answered_at");`);
    this.addSql(`alter table "meeting_rsvp" add constraint "meeting_rsvp_member_unique" unique ("meeting_id", "member_id");`);

    this.addSql(`alter table "meeting" add constraint "meeting_community_id_foreign" foreign key ("community_id") references "community" ("id") on delete cascade;`);
    this.addSql(`alter table "meeting" add constraint "meeting_created_by_id_foreign" foreign key ("created_by_id") references "member" ("id") on delete set null;`);

    this.addSql(`alter table "meeting_rsvp" add constraint "meeting_rsvp_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on delete cascade;`);
    this.addSql(`alter table "meeting_rsvp" add constraint "meeting_rsvp_member_id_foreign" foreign key ("member_id") references "member" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "meeting_rsvp" drop constraint "meeting_rsvp_meeting_id_foreign";`);

    this.addSql(`drop table if exists "meeting" cascade;`);
    this.addSql(`drop table if exists "meeting_rsvp" cascade;`);

    this.addSql(`drop type "meeting_kind";`);
    this.addSql(`drop type "meeting_status";`);
    this.addSql(`drop type "rsvp_status";`);

  }

}
