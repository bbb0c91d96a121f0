import { Routine, type TriggerDef } from '@mikro-orm/core';

/**
 * The full-text documents behind `search`: stored generated `tsvector` columns (GIN-indexed), so a write needs no
 * code of ours to keep them right. The `english` configuration stems words ("libraries" finds "library").
 *
 * Weights (ts_rank counts A 1.0, B 0.4, C 0.2, D 0.1): titles and tags say what a thing is about (A), bodies and
 * descriptions say it at length (B), a resource's URL only hints (D).
 *
 * `tags_text(text[])` is our own IMMUTABLE wrapper: PostgreSQL marks array_to_string STABLE (arrays of any type
 * print through their element type), and generated columns accept immutable expressions only. For text[] it is
 * deterministic. Declared as a MikroORM routine so migrations create it (and the schema diff does not drop it).
 */
export const SEARCH_CONFIG = 'english';

export const TagsText = new Routine({
  name: 'tags_text',
  type: 'function',
  language: 'sql',
  deterministic: true,
  params: { tags: { type: 'text[]' } },
  returns: { runtimeType: 'string', columnType: 'text' },
  body: "select array_to_string(tags, ' ')",
});

const weighted = (expression: string, weight: 'A' | 'B' | 'C' | 'D') =>
  `setweight(to_tsvector('${SEARCH_CONFIG}', ${expression}), '${weight}')`;

export const THREAD_SEARCH_VECTOR = `(${weighted('title', 'A')} || ${weighted('tags_text(tags)', 'A')} || ${weighted('body', 'B')}) stored`;

/** Deleted posts lose their body (deletePost empties it), so their document is empty too; search also skips them. */
export const POST_SEARCH_VECTOR = `(${weighted('body', 'B')}) stored`;

export const RESOURCE_SEARCH_VECTOR =
  `(${weighted('title', 'A')} || ${weighted('tags_text(tags)', 'A')} || ${weighted('description', 'B')} || ${weighted('url', 'D')}) stored`;

/** Copies a new post's community from its thread (see Post.communityId). Whatever an INSERT says, the thread decides. */
export const POST_COMMUNITY_TRIGGER: TriggerDef = {
  name: 'post_community_id',
  timing: 'before',
  events: ['insert'],
  body: 'new.community_id := (select t.community_id from thread t where t.id = new.thread_id); return new;',
};
