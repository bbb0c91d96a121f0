import { Migration } from '@mikro-orm/migrations';

/**
 * The local mailbox (mail kept when SMTP_URL is unset, readable at /demo/mail) and the digests sent: one row per
 * member, frequency and period, so a retried job or a second instance sends nothing twice and the next digest
 * starts where the previous one ended (`covered_until`).
 */
export class Migration20261202031000_mail extends Migration {
  override name = 'Migration20261202031000_mail';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "mail_message" ("id" uuid primary key default gen_random_uuid(), "member_id" uuid null, ` +
        `"to" text not null, "subject" text not null, "text" text not null, "html" text not null, ` +
        `"headers" jsonb not null default '{}', "category" text not null, "created_at" timestamptz(3) not null default now());`,
    );
    this.addSql(`create index "mail_message_created_at_index" on "mail_message" ("created_at" desc, "id" desc);`);
    this.addSql(`create index "mail_message_member_id_index" on "mail_message" ("member_id");`);
    this.addSql(
      `create table "digest_delivery" ("id" bigserial primary key, ` +
        `"member_id" uuid not null references "member" ("id") on delete cascade, "frequency" text not null, ` +
        `"period_key" text not null, "covered_from" timestamptz(3) not null, "covered_until" timestamptz(3) not null, ` +
        `"mailed" boolean not null, "created_at" timestamptz(3) not null default now());`,
    );
    this.addSql(`create unique index "digest_delivery_member_period_unique" on "digest_delivery" ("member_id", "period_key");`);
    this.addSql(`create index "digest_delivery_member_frequency_index" on "digest_delivery" ("member_id", "frequency", "covered_until" desc);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "digest_delivery";`);
    this.addSql(`drop table if exists "mail_message";`);
  }
}
