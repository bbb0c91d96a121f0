import type { Em } from '../../../db/orm';

/**
 * Copies the additional standards of `fromCommunityIds` to a new community, each with its text, rationale, author
 * and date; identical texts (after trimming) are copied once, the oldest kept. Returns how many were copied.
 */
export async function copyStandards(em: Em, to: string, fromCommunityIds: readonly string[]): Promise<number> {
  await em.flush();
  const rows = await em.execute<{ id: string }[]>(
    'insert into community_standard (id, created_at, community_id, text, rationale, added_by_id) ' +
      'select gen_random_uuid(), s.created_at, ?, s.text, s.rationale, s.added_by_id from (' +
      '  select distinct on (btrim(cs.text)) cs.* from community_standard cs ' +
      `  where cs.community_id in (${fromCommunityIds.map(() => '?').join(', ')}) order by btrim(cs.text), cs.created_at, cs.id` +
      ') s order by s.created_at, s.id returning id',
    [to, ...fromCommunityIds],
  );
  return rows.length;
}
