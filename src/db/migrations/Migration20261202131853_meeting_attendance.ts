import { Migration } from '@mikro-orm/migrations';

/** Meeting attendance, the summary thread of a meeting, and each member's calendar link version. */
export class Migration20261202131853_meeting_attendance extends Migration {

  override name = 'Migration20261202131853_meeting_attendance';

  override up(): void | Promise<void> {
    this.addSql(`create table "calendar_feed" ("member_id" uuid not null, "version" int not null default 0, "reset_at" timestamptz(3) null, primary key ("member_id"));`);

    this.addSql(`create table "meeting_attendance" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "meeting_id" uuid not null, "member_id" uuid not null, primary key ("id"));`);
    this.addSql(`create index "meeting_attendance_member_id_index" on "meeting_attendance" ("member_id");`);
    this.addSql(`create index "meeting_attendance_page_index" on "meeting_attendance" ("meeting_id", "created_at", "id");`);
    this.addSql(`alter table "meeting_attendance" add constraint "meeting_attendance_member_unique" unique ("meeting_id", "member_id");`);

    this.addSql(`alter table "meeting" add "summary_thread_id" uuid null, add "summary_posted_at" timestamptz(3) null;`);
    this.addSql(`alter table "meeting" add constraint "meeting_summary_thread_id_foreign" foreign key ("summary_thread_id") references "thread" ("id") on delete set null;`);
    this.addSql(`create index "meeting_summary_thread_index" on "meeting" ("summary_thread_id");`);

    this.addSql(`alter table "calendar_feed" add constraint "calendar_feed_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "meeting_attendance" add constraint "meeting_attendance_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on delete cascade;`);
    this.addSql(`alter table "meeting_attendance" add constraint "meeting_attendance_member_id_foreign" foreign key ("member_id") references "member" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "calendar_feed" cascade;`);
    this.addSql(`drop table if exists "meeting_attendance" cascade;`);

    this.addSql(`alter table "meeting" drop constraint "meeting_summary_thread_id_foreign";`);
    this.addSql(`alter table "meeting" drop column "summary_thread_id", drop column "summary_posted_at";`);
  }

}
