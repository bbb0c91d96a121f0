import { Migration } from '@mikro-orm/migrations';

export class Migration20261202131533_rituals extends Migration {

  override name = 'Migration20261202131533_rituals';

  override up(): void | Promise<void> {
    this.addSql(`create type "ritual_occurrence_status" as enum ('POSTED', 'NO_HOST');`);
    this.addSql(`create table "ritual" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "community_id" uuid not null, "created_by_id" uuid null, "title" text not null, "prompt" text not null, "rrule" text not null, "starts_at" timestamptz(3) not null, "time_zone" text not null, "host_membership_ids" uuid[] not null, "next_host_index" int not null default 0, "paused" boolean not null default false, "next_occurrence_at" timestamptz(3) null, "updated_at" timestamptz(3) not null default now(), primary key ("id"));`);
    this.addSql(`create index "ritual_due_index" on "ritual" ("next_occurrence_at") where paused = false and next_occurrence_at is not null;`);
    this.addSql(`create index "ritual_community_created_index" on "ritual" ("community_id", "created_at", "id");`);

    this.addSql(`create table "ritual_occurrence" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "ritual_id" uuid not null, "occurrence_at" timestamptz(3) not null, "status" "ritual_occurrence_status" not null, "thread_id" uuid null, "host_id" uuid null, primary key ("id"));`);
    this.addSql(`alter table "ritual_occurrence" add constraint "ritual_occurrence_unique" unique ("ritual_id", "occurrence_at");`);

    this.addSql(`alter table "ritual" add constraint "ritual_community_id_foreign" foreign key ("community_id") references "community" ("id") on delete cascade;`);
    this.addSql(`alter table "ritual" add constraint "ritual_created_by_id_foreign" foreign key ("created_by_id") references "member" ("id") on delete set null;`);

    this.addSql(`alter table "ritual_occurrence" add constraint "ritual_occurrence_ritual_id_foreign" foreign key ("ritual_id") references "ritual" ("id") on delete cascade;`);
    this.addSql(`alter table "ritual_occurrence" add constraint "ritual_occurrence_thread_id_foreign" foreign key ("thread_id") references "thread" ("id") on delete set null;`);
    this.addSql(`alter table "ritual_occurrence" add constraint "ritual_occurrence_host_id_foreign" foreign key ("host_id") references "member" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "ritual_occurrence" cascade;`);
    this.addSql(`drop table if exists "ritual" cascade;`);
    this.addSql(`drop type "ritual_occurrence_status";`);
  }

}
