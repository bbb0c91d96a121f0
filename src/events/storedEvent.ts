import type { Em } from '../db/orm';
import { BACKGROUND } from '../jobs/backgroundEm';
import { fromRow, pgTimestamp } from '../realtime/eventLog';
import type { PublishedEvent } from '../realtime/events';
import type { DomainEvent, EventType } from './registry';

/** A committed event as consumers and jobs read it back from the outbox. */
export interface StoredEvent {
  id: string;
  type: EventType;
  event: DomainEvent;
  actorId: string | null;
  communityId: string | null;
  createdAt: Date;
  /** The live form (with stream positions) of a live event; null when not live or not read with it. */
  live: PublishedEvent | null;
}

export type StoredEventRow = {
  id: string;
  type: string;
  payload: DomainEvent | string;
  actor_id: string | null;
  community_id: string | null;
  created_at: string | Date;
  live_id?: string | null;
  thread_position?: string | null;
  community_position?: string | null;
  live_created_at?: string | null;
};

export const STORED_EVENT_COLUMNS = 'd.id, d.type, d.payload, d.actor_id, d.community_id, d.created_at';

export function toStoredEvent(row: StoredEventRow): StoredEvent {
  const event = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as DomainEvent;
  const live =
    row.live_id && row.community_position != null
      ? fromRow({
          id: row.live_id,
          payload: row.payload as never,
          created_at: row.live_created_at ?? pgTimestamp(row.created_at),
          thread_position: row.thread_position ?? null,
          community_position: row.community_position,
        })
      : null;
  return {
    id: String(row.id),
    type: row.type as EventType,
    event,
    actorId: row.actor_id,
    communityId: row.community_id,
    createdAt: new Date(pgTimestamp(row.created_at)),
    live,
  };
}

/** One event by its outbox id (a job's `{ eventId }`); null once pruned. */
export async function loadStoredEvent(em: Em, eventId: string): Promise<StoredEvent | null> {
  const [row] = await em.execute<StoredEventRow[]>(`select ${STORED_EVENT_COLUMNS} from domain_event d where d.id = ?`, [eventId], 'all', BACKGROUND);
  return row ? toStoredEvent(row) : null;
}
