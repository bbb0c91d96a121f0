import { Migration } from '@mikro-orm/migrations';

export class Migration20261123222335_resources extends Migration {

  override name = 'Migration20261123222335_resources';

  override up(): void | Promise<void> {
    this.addSql(`create type "resource_kind" as enum ('LINK', 'DOCUMENT', 'VIDEO', 'TOOL', 'OTHER');`);
    this.addSql(`create table "resource" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "community_id" uuid not null, "shared_by_id" uuid not null, "title" text not null, "url" text not null, "description" text not null default '', "kind" "resource_kind" not null, "tags" text[] not null default '{}', "endorsement_count" int not null default 0, "removed_at" timestamptz(3) null, "removed_by_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "resource_shared_by_id_index" on "resource" ("shared_by_id");`);
    this.addSql(`create index "resource_removed_by_id_index" on "resource" ("removed_by_id");`);
    this.addSql(`create index "resource_endorsed_index" on "resource" ("community_id", "endorsement_count", "created_at", "id") where removed_at is null;`);
    this.addSql(`create index "resource_newest_index" on "resource" ("community_id", "created_at", "id") where removed_at is null;`);

    this.addSql(`create table "resource_endorsement" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "resource_id" uuid not null, "member_id" uuid not null, primary key ("id"));`);
    this.addSql(`create index "resource_endorsement_member_id_index" on "resource_endorsement" ("member_id");`);
    this.addSql(`alter table "resource_endorsement" add constraint "resource_endorsement_resource_id_member_id_unique" unique ("resource_id", "member_id");`);

    this.addSql(`alter table "resource" add constraint "resource_community_id_foreign" foreign key ("community_id") references "community" ("id") on delete cascade;`);
    this.addSql(`alter table "resource" add constraint "resource_shared_by_id_foreign" foreign key ("shared_by_id") references "member" ("id");`);
    this.addSql(`alter table "resource" add constraint "resource_removed_by_id_foreign" foreign key ("removed_by_id") references "member" ("id") on delete set null;`);

    this.addSql(`alter table "resource_endorsement" add constraint "resource_endorsement_resource_id_foreign" foreign key ("resource_id") references "resource" ("id") on delete cascade;`);
    this.addSql(`alter table "resource_endorsement" add constraint "resource_endorsement_member_id_foreign" foreign key ("member_id") references "member" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "resource_endorsement" drop constraint "resource_endorsement_resource_id_foreign";`);

    this.addSql(`drop table if exists "resource" cascade;`);
    this.addSql(`drop table if exists "resource_endorsement" cascade;`);

    this.addSql(`drop type "resource_kind";`);
  }

}
