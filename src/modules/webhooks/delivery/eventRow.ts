import type { Em } from '../../../db/orm';
import { BACKGROUND } from '../../../jobs/backgroundEm';
import { pgTimestamp } from '../../../realtime/eventLog';

/** A domain event as deliveries read it back from the outbox. */
export interface StoredEventRow {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  actorId: string | null;
  communityId: string | null;
  createdAt: Date;
}

export async function loadEvent(em: Em, eventId: string): Promise<StoredEventRow | null> {
  const [row] = await em.execute<{ id: string; type: string; payload: unknown; actor_id: string | null; community_id: string | null; created_at: string | Date }[]>(
    'select id, type, payload, actor_id, community_id, created_at from domain_event where id = ?',
    [eventId],
    'all',
    BACKGROUND,
  );
  if (!row) return null;
  return {
    id: String(row.id),
    type: row.type,
    payload: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>,
    actorId: row.actor_id,
    communityId: row.community_id,
    createdAt: new Date(pgTimestamp(row.created_at)),
  };
}
