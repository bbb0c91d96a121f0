import type { Em } from '../../../db/orm';

const list = (ids: readonly string[]) => ids.map(() => '?').join(', ');

/**
 * Moves threads into a community, keeping their IDs: posts follow their thread. Posts carry a copy of their thread's
 * community (search filters and indexes on it), and notifications about content carry the community whose members
 * may read them (the inbox filters on it): both are brought into line in the same transaction, so search and inboxes
 * obey the new community's visibility from the commit on. Thread and community streams of the live log are keyed by
 * ID, so subscriptions to a moved thread keep working.
 */
export async function moveThreads(em: Em, to: string, where: { threadIds: readonly string[] } | { fromCommunityIds: readonly string[] }): Promise<void> {
  if ('threadIds' in where) {
    if (!where.threadIds.length) return;
    await em.execute(`update thread set community_id = ? where id in (${list(where.threadIds)})`, [to, ...where.threadIds]);
  } else {
    await em.execute(`update thread set community_id = ? where community_id in (${list(where.fromCommunityIds)})`, [to, ...where.fromCommunityIds]);
  }
  await em.execute(
    'update post p set community_id = t.community_id from thread t where t.id = p.thread_id and t.community_id = ? and p.community_id is distinct from t.community_id',
    [to],
  );
  await em.execute(
    `update notification n set community_id = t.community_id from thread t where n.subject_type = 'Thread' and n.subject_id = t.id ` +
      'and t.community_id = ? and n.community_id is distinct from t.community_id',
    [to],
  );
  await em.execute(
    `update notification n set community_id = p.community_id from post p where n.subject_type = 'Post' and n.subject_id = p.id ` +
      'and p.community_id = ? and n.community_id is distinct from p.community_id',
    [to],
  );
}

/** Moves resources (endorsements follow them), and notifications about them, keeping their IDs. */
export async function moveResources(em: Em, to: string, where: { resourceIds: readonly string[] } | { fromCommunityIds: readonly string[] }): Promise<void> {
  if ('resourceIds' in where) {
    if (!where.resourceIds.length) return;
    await em.execute(`update resource set community_id = ? where id in (${list(where.resourceIds)})`, [to, ...where.resourceIds]);
  } else {
    await em.execute(`update resource set community_id = ? where community_id in (${list(where.fromCommunityIds)})`, [to, ...where.fromCommunityIds]);
  }
  await em.execute(
    `update notification n set community_id = r.community_id from resource r where n.subject_type = 'Resource' and n.subject_id = r.id ` +
      'and r.community_id = ? and n.community_id is distinct from r.community_id',
    [to],
  );
}

/** The IDs among `ids` of rows of `table` (thread, resource) that are not in the community. */
export async function foreignIds(em: Em, table: 'thread' | 'resource', communityId: string, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await em.execute<{ id: string }[]>(`select id from ${table} where community_id = ? and id in (${list(ids)})`, [communityId, ...ids]);
  const found = new Set(rows.map((row) => row.id));
  return ids.filter((id) => !found.has(id));
}
