import { Migration } from '@mikro-orm/migrations';

/**
 * Governance foundations: the audit log, communities' own standards, and on `community` the standard support
 * (listed, mailing list, hosted meetings, announcements), continuation criteria and the lifecycle links.
 */
export class Migration20261202060853_governance_foundation extends Migration {
  override name = 'Migration20261202060853_governance_foundation';

  override up(): void | Promise<void> {
    this.addSql(`create table "community_standard" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "community_id" uuid not null, "text" text not null, "rationale" text not null, "added_by_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "community_standard_community_id_created_at_index" on "community_standard" ("community_id", "created_at");`);
    this.addSql(`create table "audit_entry" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "actor_id" uuid null, "action" text not null, "subject_type" text not null, "subject_id" uuid not null, "community_id" uuid null, "details" jsonb not null default '{}', primary key ("id"));`);
    this.addSql(`create index "audit_entry_community_index" on "audit_entry" ("community_id", "created_at", "id");`);
    this.addSql(`create index "audit_entry_order_index" on "audit_entry" ("created_at", "id");`);
    this.addSql(`alter table "community" add "listed" boolean not null default true, add "mailing_list_address" text null, add "hosted_meetings" boolean not null default true, add "announcements" boolean not null default true, add "open_roles" text[] not null default '{}', add "continuation_criteria" text null, add "retired_at" timestamptz(3) null, add "merged_into_id" uuid null, add "split_from_id" uuid null;`);
    this.addSql(`alter table "community" add constraint "community_merged_into_id_foreign" foreign key ("merged_into_id") references "community" ("id") on delete set null;`);
    this.addSql(`alter table "community" add constraint "community_split_from_id_foreign" foreign key ("split_from_id") references "community" ("id") on delete set null;`);
    this.addSql(`create index "community_split_from_id_index" on "community" ("split_from_id");`);
    // Existing communities get their mailing list like new ones (see foundCommunity: <slug>@lists.<MAIL_FROM's domain>).
    this.addSql(`update "community" set "mailing_list_address" = "slug" || '@lists.practicehub.localhost' where "mailing_list_address" is null;`);
    this.addSql(`alter table "community_standard" add constraint "community_standard_community_id_foreign" foreign key ("community_id") references "community" ("id") on delete cascade;`);
    this.addSql(`alter table "community_standard" add constraint "community_standard_added_by_id_foreign" foreign key ("added_by_id") references "member" ("id") on delete set null;`);
    this.addSql(`alter table "audit_entry" add constraint "audit_entry_actor_id_foreign" foreign key ("actor_id") references "member" ("id") on delete set null;`);
    this.addSql(`alter table "audit_entry" add constraint "audit_entry_community_id_foreign" foreign key ("community_id") references "community" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "community_standard" cascade;`);
    this.addSql(`drop table if exists "audit_entry" cascade;`);
    this.addSql(`alter table "community" drop constraint "community_merged_into_id_foreign";`);
    this.addSql(`alter table "community" drop constraint "community_split_from_id_foreign";`);
    this.addSql(`drop index "community_split_from_id_index";`);
    this.addSql(`alter table "community" drop column "listed", drop column "mailing_list_address", drop column "hosted_meetings", drop column "announcements", drop column "open_roles", drop column "continuation_criteria", drop column "retired_at", drop column "merged_into_id", drop column "split_from_id";`);
  }
}
