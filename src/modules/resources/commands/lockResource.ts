import type { Em } from '../../../db/orm';
import { notFound } from '../../../shared/errors';
import { Resource } from '../resource.entity';

/** Every mapped column except the (large, never loaded) search vector. */
export const RESOURCE_COLUMNS =
  'id, created_at, community_id, shared_by_id, title, url, description, kind, tags, endorsement_count, removed_at, removed_by_id';

/**
 * Locks a resource row for a writing transaction and re-reads it (refreshing the request's copy). FOR NO KEY
 * UPDATE, as for posts and threads: inserting an endorsement takes a KEY SHARE lock on the row for its foreign key,
 * which FOR UPDATE would block.
 */
export async function lockResource(em: Em, id: string): Promise<Resource> {
  const [row] = await em.execute<Record<string, unknown>[]>(`select ${RESOURCE_COLUMNS} from resource where id = ? for no key update`, [id]);
  if (!row) throw notFound('Resource');
  return em.map(Resource, row);
}
