import { Migration } from '@mikro-orm/migrations';

export class Migration20261202062312_proposals extends Migration {

  override name = 'Migration20261202062312_proposals';

  override up(): void | Promise<void> {
    this.addSql(`create table "community_proposal" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "proposer_id" uuid not null, "status" text not null default 'SUBMITTED', "received_at" timestamptz(3) not null default now(), "name" text not null, "slug" text not null, "description" text not null, "topics" text[] not null default '{}', "statement_of_need" text not null, "planned_activities" text not null, "intended_impact" text not null, "continuation_criteria" text not null, "resources_requested" text null, "additional_standards" text[] not null default '{}', "standards_rationale" text null, "visibility" "community_visibility" not null default 'OPEN', "membership_rationale" text null, "decision" text null, "decision_note" text null, "decided_at" timestamptz(3) null, "decided_by_id" uuid null, "community_id" uuid null, "withdrawn_at" timestamptz(3) null, "review_started_at" timestamptz(3) null, "overdue_notified_at" timestamptz(3) null, "updated_at" timestamptz(3) null, primary key ("id"));`);
    this.addSql(`create index "community_proposal_proposer_index" on "community_proposal" ("proposer_id", "created_at", "id");`);
    this.addSql(`create index "community_proposal_order_index" on "community_proposal" ("created_at", "id");`);

    this.addSql(`create table "board_meeting" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "starts_at" timestamptz(3) not null, "scheduled_by_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "board_meeting_starts_at_index" on "board_meeting" ("starts_at", "id");`);

    this.addSql(`alter table "community_proposal" add constraint "community_proposal_proposer_id_foreign" foreign key ("proposer_id") references "member" ("id") on delete cascade;`);
    this.addSql(`alter table "community_proposal" add constraint "community_proposal_decided_by_id_foreign" foreign key ("decided_by_id") references "member" ("id") on delete set null;`);
    this.addSql(`alter table "community_proposal" add constraint "community_proposal_community_id_foreign" foreign key ("community_id") references "community" ("id") on delete set null;`);
    this.addSql(`alter table "community_proposal" add constraint "community_proposal_status_check" check ("status" in ('SUBMITTED', 'UNDER_REVIEW', 'APPROVED', 'DECLINED', 'WITHDRAWN'));`);
    this.addSql(`alter table "community_proposal" add constraint "community_proposal_decision_check" check ("decision" in ('APPROVE', 'DECLINE'));`);

    this.addSql(`alter table "board_meeting" add constraint "board_meeting_scheduled_by_id_foreign" foreign key ("scheduled_by_id") references "member" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "community_proposal" cascade;`);
    this.addSql(`drop table if exists "board_meeting" cascade;`);

  }

}
