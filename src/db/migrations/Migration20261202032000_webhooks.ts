import { Migration } from '@mikro-orm/migrations';

const EVENT_TYPES =
  "'THREAD_STARTED', 'POST_ADDED', 'POST_EDITED', 'POST_DELETED', 'MEMBER_JOINED', 'MEMBER_LEFT', 'RESOURCE_SHARED', " +
  "'MEETING_SCHEDULED', 'MEETING_UPDATED', 'PROPOSAL_SUBMITTED', 'PROPOSAL_DECIDED', 'COMMUNITY_CREATED', 'COMMUNITY_RETIRED'";

/** Outgoing webhooks and their deliveries (one per webhook and event). */
export class Migration20261202032000_webhooks extends Migration {
  override name = 'Migration20261202032000_webhooks';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "webhook" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "community_id" uuid null, ` +
        `"owner_id" uuid null, "url" text not null, "events" text[] not null, "enabled" boolean not null default true, ` +
        `"disabled_reason" text null, "secret_ciphertext" text not null, "updated_at" timestamptz(3) null, primary key ("id"), ` +
        `constraint "webhook_events_check" check ("events" <@ array[${EVENT_TYPES}]::text[] and cardinality("events") > 0));`,
    );
    this.addSql(`create index "webhook_community_id_index" on "webhook" ("community_id");`);
    this.addSql(`create index "webhook_owner_id_index" on "webhook" ("owner_id");`);
    // The fan-out job's question: which enabled webhooks want this type (GIN on the subscribed types).
    this.addSql(`create index "webhook_enabled_events_index" on "webhook" using gin ("events") where "enabled";`);
    this.addSql(
      `alter table "webhook" add constraint "webhook_community_id_foreign" foreign key ("community_id") references "community" ("id") on delete cascade;`,
    );
    this.addSql(`alter table "webhook" add constraint "webhook_owner_id_foreign" foreign key ("owner_id") references "member" ("id") on delete set null;`);

    this.addSql(
      `create table "webhook_delivery" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "webhook_id" uuid not null, ` +
        `"event_id" bigint not null, "event_type" text not null, "attempts" integer not null default 0, ` +
        `"status" text not null default 'PENDING', "response_status" integer null, "next_attempt_at" timestamptz(3) null, ` +
        `"last_attempt_at" timestamptz(3) null, "error" text null, primary key ("id"), ` +
        `constraint "webhook_delivery_event_type_check" check ("event_type" in (${EVENT_TYPES})), ` +
        `constraint "webhook_delivery_status_check" check ("status" in ('PENDING', 'SUCCEEDED', 'FAILED', 'SKIPPED')));`,
    );
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_webhook_id_event_id_unique" unique ("webhook_id", "event_id");`);
    this.addSql(`create index "webhook_delivery_webhook_id_created_at_id_index" on "webhook_delivery" ("webhook_id", "created_at", "id");`);
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_webhook_id_foreign" foreign key ("webhook_id") references "webhook" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "webhook_delivery";`);
    this.addSql(`drop table if exists "webhook";`);
  }
}
