import { Migration } from '@mikro-orm/migrations';

export class Migration20261202130900_survey_meeting extends Migration {

  override name = 'Migration20261202130900_survey_meeting';

  override up(): void | Promise<void> {

    this.addSql(`alter table "survey" add "meeting_id" uuid null;`);
    this.addSql(`alter table "survey" add constraint "survey_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on delete set null;`);
    this.addSql(`create index "survey_meeting_index" on "survey" ("meeting_id");`);

  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "survey" drop constraint "survey_meeting_id_foreign";`);

    this.addSql(`drop index "survey_meeting_index";`);
    this.addSql(`alter table "survey" drop column "meeting_id";`);

  }

}
