import { Migration } from '@mikro-orm/migrations';

export class Migration20261202062253_health_reviews extends Migration {

  override name = 'Migration20261202062253_health_reviews';

  override up(): void | Promise<void> {
    // Trigram similarity of community names in the duplicate-need check (a trusted extension: no superuser needed;
    // PGlite loads it at start, see db/orm.ts).
    this.addSql(`create extension if not exists pg_trgm;`);

    this.addSql(`create type "community_review_status" as enum ('OPEN', 'DECIDED');`);
    this.addSql(`create type "community_review_decision" as enum ('CONTINUE', 'CHANGE_FOCUS', 'SPLIT', 'MERGE', 'RETIRE');`);
    this.addSql(`create table "community_review" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "community_id" uuid not null, "year" int not null, "status" "community_review_status" not null default 'OPEN', "snapshot" jsonb not null, "started_by_id" uuid null, "started_at" timestamptz(3) not null default now(), "decision" "community_review_decision" null, "decision_note" text null, "decided_by_id" uuid null, "decided_at" timestamptz(3) null, primary key ("id"));`);
    this.addSql(`alter table "community_review" add constraint "community_review_community_year_unique" unique ("community_id", "year");`);

    this.addSql(`alter table "community_review" add constraint "community_review_community_id_foreign" foreign key ("community_id") references "community" ("id") on delete cascade;`);
    this.addSql(`alter table "community_review" add constraint "community_review_started_by_id_foreign" foreign key ("started_by_id") references "member" ("id") on delete set null;`);
    this.addSql(`alter table "community_review" add constraint "community_review_decided_by_id_foreign" foreign key ("decided_by_id") references "member" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "community_review" cascade;`);
    this.addSql(`drop type "community_review_status";`);
    this.addSql(`drop type "community_review_decision";`);
    // pg_trgm stays: other objects may have come to rely on it.
  }

}
