import { Migration } from '@mikro-orm/migrations';

/** Role terms (governance/roles): the history and schedule of volunteer roles, backfilled with an open term per held role. */
export class Migration20261202061811_roles extends Migration {

  override name = 'Migration20261202061811_roles';

  override up(): void | Promise<void> {
    this.addSql(`create table "role_term" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "membership_id" uuid not null, "role" text not null, "started_at" timestamptz(3) not null, "term_ends_at" timestamptz(3) null, "ended_at" timestamptz(3) null, "end_reason" text null, "handover_note" text null, "handed_over_to_id" uuid null, "granted_by_id" uuid null, "ending_notified_at" timestamptz(3) null, primary key ("id"));`);
    this.addSql(`create index "role_term_ends_index" on "role_term" ("term_ends_at") where "ended_at" is null and "term_ends_at" is not null;`);
    this.addSql(`create unique index "role_term_open_unique" on "role_term" ("membership_id", "role") where "ended_at" is null;`);
    this.addSql(`create index "role_term_membership_index" on "role_term" ("membership_id", "started_at", "id");`);

    this.addSql(`alter table "role_term" add constraint "role_term_membership_id_foreign" foreign key ("membership_id") references "membership" ("id") on delete cascade;`);
    this.addSql(`alter table "role_term" add constraint "role_term_handed_over_to_id_foreign" foreign key ("handed_over_to_id") references "membership" ("id") on delete set null;`);
    this.addSql(`alter table "role_term" add constraint "role_term_granted_by_id_foreign" foreign key ("granted_by_id") references "member" ("id") on delete set null;`);
    this.addSql(`alter table "role_term" add constraint "role_term_role_check" check ("role" in ('DISCUSSION_MONITOR', 'MEETING_COORDINATOR', 'EVENT_COORDINATOR', 'LEAD'));`);
    this.addSql(`alter table "role_term" add constraint "role_term_end_reason_check" check ("end_reason" in ('REVOKED', 'HANDED_OVER', 'TERM_ENDED', 'LEFT_COMMUNITY', 'MERGED'));`);

    // Every role already held gets an open term with no end, started when the membership became ACTIVE (or now).
    this.addSql(`insert into "role_term" ("id", "membership_id", "role", "started_at") select gen_random_uuid(), m."id", r.role::text, coalesce(m."joined_at", now()) from "membership" m cross join lateral unnest(m."roles") as r(role) where m."status" = 'ACTIVE' on conflict do nothing;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "role_term" cascade;`);
  }

}
