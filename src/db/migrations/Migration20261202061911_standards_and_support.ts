import { Migration } from '@mikro-orm/migrations';

/** Version 1 of the organisation's code of conduct: `codeOfConduct` always has a current version to answer with. */
const FIRST_CODE_OF_CONDUCT = `Our code of conduct

PracticeHub is where library and school staff learn from one another. Everyone taking part, in every community, online and in person, agrees to the following. A community may add standards of its own; none of them weakens this code.

1. Be respectful. Treat every member as a colleague whose experience counts, whatever their role, workplace, background or level of experience. Criticise ideas, not people.

2. Keep student and patron data confidential. Never post names, photographs, records, circulation histories or any other detail that could identify a student, patron or their family. Describe situations in general terms, and follow your employer's privacy rules and the law.

3. No harassment. Harassment, discrimination, intimidation, unwelcome attention and personal attacks are not tolerated, in public threads, private messages or at meetings.

4. Assume good intent. Most misunderstandings are just that. Ask before you conclude, and give others the benefit of the doubt you would want yourself.

5. Share what you may share. Respect copyright and licences, credit the work of others, and do not post material your employer or a publisher has not allowed you to share.

6. Report concerns to staff. If you see something that breaks this code, or are unsure, tell the association staff (or a community lead, who will pass it on). Reports are handled in confidence and nobody is penalised for reporting in good faith.

Staff may remove content and suspend participation that breaks this code.`;

/**
 * The organisation's code of conduct (versions, version 1 inserted here), communities' support requests, and the
 * standards version a membership accepted.
 */
export class Migration20261202061911_standards_and_support extends Migration {
  override name = 'Migration20261202061911_standards_and_support';

  override up(): void | Promise<void> {
    this.addSql(`create type "support_kind" as enum ('MEETING_FACILITATION', 'PRACTICE_SESSION', 'IN_PERSON_MEETING', 'OTHER');`);
    this.addSql(`create type "support_request_status" as enum ('REQUESTED', 'AWAITING_BOARD', 'APPROVED', 'DECLINED');`);
    this.addSql(`create table "code_of_conduct" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "version" int not null, "body" text not null, "published_at" timestamptz(3) not null default now(), "published_by_id" uuid null, primary key ("id"));`);
    this.addSql(`alter table "code_of_conduct" add constraint "code_of_conduct_version_unique" unique ("version");`);
    this.addSql(`create table "support_request" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "community_id" uuid not null, "requested_by_id" uuid null, "kind" "support_kind" not null, "details" text not null, "estimated_cost_cents" int not null, "status" "support_request_status" not null default 'REQUESTED', "staff_note" text null, "staff_decided_by_id" uuid null, "staff_decided_at" timestamptz(3) null, "board_note" text null, "board_decided_by_id" uuid null, "board_decided_at" timestamptz(3) null, primary key ("id"));`);
    this.addSql(`create index "support_request_community_index" on "support_request" ("community_id", "created_at", "id");`);
    this.addSql(`alter table "membership" add "accepted_standards_version" text null;`);
    this.addSql(`alter table "code_of_conduct" add constraint "code_of_conduct_published_by_id_foreign" foreign key ("published_by_id") references "member" ("id") on delete set null;`);
    this.addSql(`alter table "support_request" add constraint "support_request_community_id_foreign" foreign key ("community_id") references "community" ("id") on delete cascade;`);
    this.addSql(`alter table "support_request" add constraint "support_request_requested_by_id_foreign" foreign key ("requested_by_id") references "member" ("id") on delete set null;`);
    this.addSql(`alter table "support_request" add constraint "support_request_staff_decided_by_id_foreign" foreign key ("staff_decided_by_id") references "member" ("id") on delete set null;`);
    this.addSql(`alter table "support_request" add constraint "support_request_board_decided_by_id_foreign" foreign key ("board_decided_by_id") references "member" ("id") on delete set null;`);
    this.addSql(
      `insert into "code_of_conduct" ("id", "version", "body") values (gen_random_uuid(), 1, '${FIRST_CODE_OF_CONDUCT.replaceAll("'", "''")}');`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "code_of_conduct" cascade;`);
    this.addSql(`drop table if exists "support_request" cascade;`);
    this.addSql(`alter table "membership" drop column "accepted_standards_version";`);
    this.addSql(`drop type "support_kind";`);
    this.addSql(`drop type "support_request_status";`);
  }
}
