import { Migration } from '@mikro-orm/migrations';

export class Migration20261123204004_live_event_log extends Migration {

  override name = 'Migration20261123204004_live_event_log';

  override up(): void | Promise<void> {
    this.addSql(`create table "live_event" ("id" bigserial primary key, "type" text not null, "thread_id" uuid null, "community_id" uuid not null, "payload" jsonb not null, "created_at" timestamptz(3) not null default now());`);
    this.addSql(`create index "live_event_created_at_index" on "live_event" ("created_at");`);
    this.addSql(`create index "live_event_community_id_id_index" on "live_event" ("community_id", "id");`);
    this.addSql(`create index "live_event_thread_id_id_index" on "live_event" ("thread_id", "id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "live_event" cascade;`);
  }

}
