import { Migration } from '@mikro-orm/migrations';

export class Migration20261129151253_mentorship_withdrawn extends Migration {

  override name = 'Migration20261129151253_mentorship_withdrawn';

  override up(): void | Promise<void> {
    this.addSql(`alter type "mentorship_status" add value if not exists 'WITHDRAWN' after 'COMPLETED';`);
  }

  override down(): void | Promise<void> {
    // PostgreSQL cannot drop a value from an enum type; an unused WITHDRAWN is harmless.
  }

}
