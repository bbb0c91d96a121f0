import { Migration } from '@mikro-orm/migrations';

export class Migration20261202133545_polls extends Migration {

  override name = 'Migration20261202133545_polls';

  override up(): void | Promise<void> {
    this.addSql(`create table "poll" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "thread_id" uuid not null, "question" text not null, "multiple" boolean not null default false, "anonymous" boolean not null default false, "closes_at" timestamptz(3) null, primary key ("id"));`);
    this.addSql(`alter table "poll" add constraint "poll_thread_unique" unique ("thread_id");`);

    this.addSql(`create table "poll_option" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "poll_id" uuid not null, "position" smallint not null, "text" text not null, primary key ("id"));`);
    this.addSql(`alter table "poll_option" add constraint "poll_option_poll_position_unique" unique ("poll_id", "position");`);

    this.addSql(`create table "poll_ballot" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "poll_id" uuid not null, "member_id" uuid not null, "option_ids" text[] not null, "updated_at" timestamptz(3) not null default now(), primary key ("id"));`);
    this.addSql(`alter table "poll_ballot" add constraint "poll_ballot_poll_member_unique" unique ("poll_id", "member_id");`);
    // A ballot is at least one vote (votePoll refuses an empty choice; this keeps every other writer to it).
    this.addSql(`alter table "poll_ballot" add constraint "poll_ballot_option_ids_check" check (cardinality("option_ids") > 0);`);

    this.addSql(`alter table "poll" add constraint "poll_thread_id_foreign" foreign key ("thread_id") references "thread" ("id") on delete cascade;`);

    this.addSql(`alter table "poll_option" add constraint "poll_option_poll_id_foreign" foreign key ("poll_id") references "poll" ("id") on delete cascade;`);

    this.addSql(`alter table "poll_ballot" add constraint "poll_ballot_poll_id_foreign" foreign key ("poll_id") references "poll" ("id") on delete cascade;`);
    this.addSql(`alter table "poll_ballot" add constraint "poll_ballot_member_id_foreign" foreign key ("member_id") references "member" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "poll_ballot" cascade;`);
    this.addSql(`drop table if exists "poll_option" cascade;`);
    this.addSql(`drop table if exists "poll" cascade;`);
  }

}
