import { Migration } from '@mikro-orm/migrations';

/** The notifications inbox, and each member's time zone and email choice for direct notifications. */
export class Migration20261202030000_notifications extends Migration {
  override name = 'Migration20261202030000_notifications';

  override up(): void | Promise<void> {
    this.addSql(`create type "email_notifications" as enum ('ALWAYS', 'WHEN_AWAY', 'NEVER');`);
    this.addSql(`alter table "member" add column "time_zone" text null, add column "email_notifications" "email_notifications" not null default 'WHEN_AWAY';`);
    this.addSql(`create type "notification_kind" as enum ('REPLY_TO_THREAD', 'REPLY_TO_POST', 'ANSWER_ACCEPTED', 'NEW_THREAD', 'ANNOUNCEMENT', 'MEMBERSHIP_REQUESTED', 'MEMBERSHIP_APPROVED', 'ROLE_GRANTED', 'ROLE_TERM_ENDING', 'ROLE_VACANT', 'MENTORSHIP_REQUESTED', 'MENTORSHIP_ANSWERED', 'MENTORSHIP_CHECK_IN', 'MEETING_SCHEDULED', 'MEETING_REMINDER', 'MEETING_SUMMARY', 'WAITLIST_PROMOTED', 'PROPOSAL_SUBMITTED', 'PROPOSAL_DECIDED', 'PROPOSAL_OVERDUE', 'SURVEY_OPENED', 'RITUAL_PROMPT');`);
    this.addSql(
      `create table "notification" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "recipient_id" uuid not null, ` +
        `"kind" "notification_kind" not null, "event_id" bigint null, "actor_id" uuid null, "community_id" uuid null, "subject_type" text null, ` +
        `"subject_id" uuid null, "title" text not null, "read_at" timestamptz(3) null, "emailed_at" timestamptz(3) null, primary key ("id"));`,
    );
    this.addSql(`create index "notification_inbox_index" on "notification" ("recipient_id", "created_at", "id");`);
    this.addSql(`create index "notification_unread_index" on "notification" ("recipient_id", "created_at") where read_at is null;`);
    this.addSql(`create index "notification_actor_id_index" on "notification" ("actor_id");`);
    this.addSql(`create index "notification_community_id_index" on "notification" ("community_id");`);
    this.addSql(`alter table "notification" add constraint "notification_event_recipient_kind_unique" unique ("event_id", "recipient_id", "kind");`);
    this.addSql(`alter table "notification" add constraint "notification_recipient_id_foreign" foreign key ("recipient_id") references "member" ("id") on delete cascade;`);
    this.addSql(`alter table "notification" add constraint "notification_actor_id_foreign" foreign key ("actor_id") references "member" ("id") on delete set null;`);
    this.addSql(`alter table "notification" add constraint "notification_community_id_foreign" foreign key ("community_id") references "community" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "notification";`);
    this.addSql(`drop type if exists "notification_kind";`);
    this.addSql(`alter table "member" drop column "time_zone", drop column "email_notifications";`);
    this.addSql(`drop type if exists "email_notifications";`);
  }
}
