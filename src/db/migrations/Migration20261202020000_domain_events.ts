import { Migration } from '@mikro-orm/migrations';

/** The outbox of domain events, and the once-per-period runs of scheduled jobs. */
export class Migration20261202020000_domain_events extends Migration {
  override name = 'Migration20261202020000_domain_events';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "domain_event" ("id" bigserial primary key, "type" text not null, "payload" jsonb not null, ` +
        `"actor_id" uuid null, "community_id" uuid null, "live_event_id" bigint null, ` +
        `"created_at" timestamptz(3) not null default now(), "dispatched_at" timestamptz(3) null);`,
    );
    this.addSql(`create index "domain_event_community_id_index" on "domain_event" ("community_id");`);
    this.addSql(`create index "domain_event_created_at_index" on "domain_event" ("created_at");`);
    this.addSql(`create index "domain_event_undispatched" on "domain_event" ("id") where "dispatched_at" is null;`);
    this.addSql(
      `create table "scheduled_run" ("key" text primary key, "job" text not null, "started_at" timestamptz(3) not null default now(), ` +
        `"finished_at" timestamptz(3) null, "details" jsonb null);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "scheduled_run";`);
    this.addSql(`drop table if exists "domain_event";`);
  }
}
