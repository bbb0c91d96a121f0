import { Migration } from '@mikro-orm/migrations';

export class Migration20261129151601_mentoring_group_status extends Migration {

  override name = 'Migration20261129151601_mentoring_group_status';

  override up(): void | Promise<void> {
    this.addSql(`create type "mentoring_group_status" as enum ('OPEN', 'CLOSED');`);
    this.addSql(`alter table "mentoring_group" add "status" "mentoring_group_status" not null default 'OPEN', add "closed_at" timestamptz(3) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "mentoring_group" drop column "status", drop column "closed_at";`);

    this.addSql(`drop type "mentoring_group_status";`);
  }

}
