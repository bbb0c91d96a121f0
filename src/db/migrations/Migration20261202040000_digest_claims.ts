import { Migration } from '@mikro-orm/migrations';

/**
 * A digest is claimed before it is mailed: `digest_delivery.mailed` null means "claimed, being sent" (since
 * `created_at`), so a retried or second batch never mails a member twice.
 */
export class Migration20261202040000_digest_claims extends Migration {
  override name = 'Migration20261202040000_digest_claims';

  override up(): void | Promise<void> {
    this.addSql(`alter table "digest_delivery" alter column "mailed" drop not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "digest_delivery" where "mailed" is null;`);
    this.addSql(`alter table "digest_delivery" alter column "mailed" set not null;`);
  }
}
