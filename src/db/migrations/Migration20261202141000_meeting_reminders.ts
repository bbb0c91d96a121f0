import { Migration } from '@mikro-orm/migrations';

/** Meeting reminders (one row per meeting, offset and start), and the notification kinds of moved and cancelled meetings. */
export class Migration20261202141000_meeting_reminders extends Migration {

  override name = 'Migration20261202141000_meeting_reminders';

  override up(): void | Promise<void> {
    this.addSql(`create table "meeting_reminder" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "meeting_id" uuid not null, "minutes_before" int not null, "due_at" timestamptz(3) not null, "sent_at" timestamptz(3) null, primary key ("id"));`);
    this.addSql(`create index "meeting_reminder_unsent_index" on "meeting_reminder" ("due_at") where sent_at is null;`);
    this.addSql(`alter table "meeting_reminder" add constraint "meeting_reminder_unique" unique ("meeting_id", "minutes_before", "due_at");`);
    this.addSql(`alter table "meeting_reminder" add constraint "meeting_reminder_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on delete cascade;`);

    this.addSql(`alter type "notification_kind" add value if not exists 'MEETING_UPDATED' after 'MEETING_REMINDER';`);
    this.addSql(`alter type "notification_kind" add value if not exists 'MEETING_CANCELLED' after 'MEETING_UPDATED';`);
  }

  override down(): void | Promise<void> {
    // Enum values stay (PostgreSQL cannot drop them); nothing uses them once the code is rolled back.
    this.addSql(`drop table if exists "meeting_reminder" cascade;`);
  }

}
