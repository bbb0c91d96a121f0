import { Migration } from '@mikro-orm/migrations';

export class Migration20261123225046_search extends Migration {

  override name = 'Migration20261123225046_search';

  override up(): void | Promise<void> {
    // Moved first by hand: the generated columns below call it (MikroORM emits routines after tables).
    this.addSql(`create or replace function "tags_text"("tags" text[]) returns text immutable language sql as \$\$ select array_to_string(tags, ' ') \$\$;`);

    this.addSql(`alter table "resource" add "search_vector" tsvector generated always as (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', tags_text(tags)), 'A') || setweight(to_tsvector('english', description), 'B') || setweight(to_tsvector('english', url), 'D')) stored null;`);
    this.addSql(`create index "resource_search_vector_index" on "resource" using gin ("search_vector");`);
    this.addSql(`create index "resource_search_recent_index" on "resource" ("created_at", "id") where removed_at is null;`);

    this.addSql(`alter table "thread" add "search_vector" tsvector generated always as (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', tags_text(tags)), 'A') || setweight(to_tsvector('english', body), 'B')) stored null;`);
    this.addSql(`create index "thread_search_vector_index" on "thread" using gin ("search_vector");`);
    this.addSql(`create index "thread_search_community_recent_index" on "thread" ("community_id", "created_at", "id");`);
    this.addSql(`create index "thread_search_recent_index" on "thread" ("created_at", "id");`);

    this.addSql(`alter table "post" add "community_id" uuid null, add "search_vector" tsvector generated always as (setweight(to_tsvector('english', body), 'B')) stored null;`);
    // Added by hand: posts written before this migration get their thread's community (the trigger below does it for new ones).
    this.addSql(`update "post" p set "community_id" = t."community_id" from "thread" t where t."id" = p."thread_id";`);
    this.addSql(`create index "post_search_vector_index" on "post" using gin ("search_vector");`);
    this.addSql(`create index "post_search_community_recent_index" on "post" ("community_id", "created_at", "id") where deleted_at is null;`);
    this.addSql(`create index "post_search_recent_index" on "post" ("created_at", "id") where deleted_at is null;`);
    this.addSql(`create or replace function "post_post_community_id_fn"() returns trigger as \$\$ begin new.community_id := (select t.community_id from thread t where t.id = new.thread_id); return new; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "post_community_id" BEFORE INSERT on "post" for each ROW execute function "post_post_community_id_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "post_search_vector_index";`);
    this.addSql(`drop index "post_search_community_recent_index";`);
    this.addSql(`drop index "post_search_recent_index";`);
    this.addSql(`drop trigger if exists "post_community_id" on "post";`);
    this.addSql(`drop function if exists "post_post_community_id_fn"();`);
    this.addSql(`alter table "post" drop column "community_id", drop column "search_vector";`);

    this.addSql(`drop index "resource_search_vector_index";`);
    this.addSql(`drop index "resource_search_recent_index";`);
    this.addSql(`alter table "resource" drop column "search_vector";`);

    this.addSql(`drop index "thread_search_vector_index";`);
    this.addSql(`drop index "thread_search_community_recent_index";`);
    this.addSql(`drop index "thread_search_recent_index";`);
    this.addSql(`alter table "thread" drop column "search_vector";`);

    this.addSql(`drop function if exists "tags_text"(text[]);`);
  }

}
