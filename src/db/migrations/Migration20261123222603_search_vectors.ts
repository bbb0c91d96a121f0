import { Migration } from '@mikro-orm/migrations';

export class Migration20261123222603_search_vectors extends Migration {

  override name = 'Migration20261123222603_search_vectors';

  override up(): void | Promise<void> {
    // Moved first by hand: the generated columns below call it (MikroORM emits routines after tables).
    this.addSql(`create or replace function "tags_text"("tags" text[]) returns text immutable language sql as \$\$ select array_to_string(tags, ' ') \$\$;`);

    this.addSql(`alter table "resource" add "search_vector" tsvector generated always as (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', tags_text(tags)), 'A') || setweight(to_tsvector('english', description), 'B') || setweight(to_tsvector('english', url), 'D')) stored null;`);
    this.addSql(`create index "resource_search_vector_index" on "resource" using gin ("search_vector");`);

    this.addSql(`alter table "thread" add "search_vector" tsvector generated always as (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', tags_text(tags)), 'A') || setweight(to_tsvector('english', body), 'B')) stored null;`);
    this.addSql(`create index "thread_search_vector_index" on "thread" using gin ("search_vector");`);

    this.addSql(`alter table "post" add "search_vector" tsvector generated always as (setweight(to_tsvector('english', body), 'B')) stored null;`);
    this.addSql(`create index "post_search_vector_index" on "post" using gin ("search_vector");`);

  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "post_search_vector_index";`);
    this.addSql(`alter table "post" drop column "search_vector";`);

    this.addSql(`drop index "resource_search_vector_index";`);
    this.addSql(`alter table "resource" drop column "search_vector";`);

    this.addSql(`drop index "thread_search_vector_index";`);
    this.addSql(`alter table "thread" drop column "search_vector";`);

    this.addSql(`drop function if exists "tags_text"(text[]);`);
  }

}
