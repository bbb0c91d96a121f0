import { Migration } from '@mikro-orm/migrations';

export class Migration20261123203645_presence_privacy extends Migration {

  override name = 'Migration20261123203645_presence_privacy';

  override up(): void | Promise<void> {
    this.addSql(`alter table "member" add "appear_in_presence" boolean not null default true;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "member" drop column "appear_in_presence";`);
  }

}
