import { Migration } from '@mikro-orm/migrations';

export class Migration20261123221800_live_stream_positions extends Migration {

  override name = 'Migration20261123221800_live_stream_positions';

  override up(): void | Promise<void> {
    this.addSql(`create table "live_stream" ("key" text not null, "position" bigint not null, primary key ("key"));`);

    // Logged events are numbered per stream from here on; the old ones (at most two hours of them) have no
    // positions and cannot be replayed by position, so they go.
    this.addSql(`delete from "live_event";`);
    this.addSql(`drop index "live_event_community_id_id_index";`);
    this.addSql(`drop index "live_event_thread_id_id_index";`);
    this.addSql(`alter table "live_event" add "thread_position" bigint null, add "community_position" bigint not null;`);
    this.addSql(`create index "live_event_community_id_community_position_index" on "live_event" ("community_id", "community_position");`);
    this.addSql(`create index "live_event_thread_id_thread_position_index" on "live_event" ("thread_id", "thread_position");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "live_stream" cascade;`);

    this.addSql(`drop index "live_event_community_id_community_position_index";`);
    this.addSql(`drop index "live_event_thread_id_thread_position_index";`);
    this.addSql(`alter table "live_event" drop column "thread_position", drop column "community_position";`);
    this.addSql(`create index "live_event_community_id_id_index" on "live_event" ("community_id", "id");`);
    this.addSql(`create index "live_event_thread_id_id_index" on "live_event" ("thread_id", "id");`);
  }

}
