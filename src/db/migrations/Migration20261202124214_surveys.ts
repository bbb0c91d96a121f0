import { Migration } from '@mikro-orm/migrations';

/**
 * Surveys: questions, who responded (survey_participation: survey and member only) and, kept apart with no shared key
 * or time, the answers: counters per option or scale value (survey_tally) and text answers (survey_text_answer for
 * anonymous surveys: id, question, text; survey_named_text_answer, with its author, for the others).
 */
export class Migration20261202124214_surveys extends Migration {

  override name = 'Migration20261202124214_surveys';

  override up(): void | Promise<void> {
    this.addSql(`create type "survey_question_kind" as enum ('SCALE', 'SINGLE', 'MULTIPLE', 'TEXT');`);
    this.addSql(`create table "survey" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "community_id" uuid not null, "created_by_id" uuid null, "title" text not null, "anonymous" boolean not null, "closes_at" timestamptz(3) null, "closed_at" timestamptz(3) null, "closed_by_id" uuid null, "response_count" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "survey_community_index" on "survey" ("community_id", "created_at", "id");`);

    this.addSql(`create table "survey_participation" ("survey_id" uuid not null, "member_id" uuid not null, primary key ("survey_id", "member_id"));`);
    this.addSql(`create index "survey_participation_member_id_index" on "survey_participation" ("member_id");`);

    this.addSql(`create table "survey_question" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "survey_id" uuid not null, "position" int not null, "kind" "survey_question_kind" not null, "prompt" text not null, "options" text[] not null default '{}', "required" boolean not null, "scale_min" int null, "scale_max" int null, "answer_count" int not null default 0, primary key ("id"));`);
    this.addSql(`alter table "survey_question" add constraint "survey_question_position_unique" unique ("survey_id", "position");`);

    this.addSql(`create table "survey_named_text_answer" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "question_id" uuid not null, "author_id" uuid null, "text" text not null, primary key ("id"));`);
    this.addSql(`create index "survey_named_text_answer_author_id_index" on "survey_named_text_answer" ("author_id");`);
    this.addSql(`create index "survey_named_text_answer_question_index" on "survey_named_text_answer" ("question_id", "id");`);

    this.addSql(`create table "survey_tally" ("question_id" uuid not null, "value" int not null, "count" int not null default 0, primary key ("question_id", "value"));`);

    this.addSql(`create table "survey_text_answer" ("id" uuid not null, "question_id" uuid not null, "text" text not null, primary key ("id"));`);
    this.addSql(`create index "survey_text_answer_question_index" on "survey_text_answer" ("question_id", "id");`);

    this.addSql(`alter table "survey" add constraint "survey_community_id_foreign" foreign key ("community_id") references "community" ("id") on delete cascade;`);
    this.addSql(`alter table "survey" add constraint "survey_created_by_id_foreign" foreign key ("created_by_id") references "member" ("id") on delete set null;`);
    this.addSql(`alter table "survey" add constraint "survey_closed_by_id_foreign" foreign key ("closed_by_id") references "member" ("id") on delete set null;`);

    this.addSql(`alter table "survey_participation" add constraint "survey_participation_survey_id_foreign" foreign key ("survey_id") references "survey" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "survey_participation" add constraint "survey_participation_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "survey_question" add constraint "survey_question_survey_id_foreign" foreign key ("survey_id") references "survey" ("id") on delete cascade;`);
    this.addSql(`alter table "survey_question" add constraint "survey_question_answer_count_check" check (answer_count >= 0);`);

    this.addSql(`alter table "survey_named_text_answer" add constraint "survey_named_text_answer_question_id_foreign" foreign key ("question_id") references "survey_question" ("id") on delete cascade;`);
    this.addSql(`alter table "survey_named_text_answer" add constraint "survey_named_text_answer_author_id_foreign" foreign key ("author_id") references "member" ("id") on delete set null;`);

    this.addSql(`alter table "survey_tally" add constraint "survey_tally_question_id_foreign" foreign key ("question_id") references "survey_question" ("id") on delete cascade;`);
    this.addSql(`alter table "survey_tally" add constraint "survey_tally_count_check" check (count >= 0);`);

    this.addSql(`alter table "survey_text_answer" add constraint "survey_text_answer_question_id_foreign" foreign key ("question_id") references "survey_question" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "survey_participation" drop constraint "survey_participation_survey_id_foreign";`);
    this.addSql(`alter table "survey_question" drop constraint "survey_question_survey_id_foreign";`);
    this.addSql(`alter table "survey_named_text_answer" drop constraint "survey_named_text_answer_question_id_foreign";`);
    this.addSql(`alter table "survey_tally" drop constraint "survey_tally_question_id_foreign";`);
    this.addSql(`alter table "survey_text_answer" drop constraint "survey_text_answer_question_id_foreign";`);

    this.addSql(`drop table if exists "survey" cascade;`);
    this.addSql(`drop table if exists "survey_participation" cascade;`);
    this.addSql(`drop table if exists "survey_question" cascade;`);
    this.addSql(`drop table if exists "survey_named_text_answer" cascade;`);
    this.addSql(`drop table if exists "survey_tally" cascade;`);
    this.addSql(`drop table if exists "survey_text_answer" cascade;`);

    this.addSql(`drop type "survey_question_kind";`);

  }

}
