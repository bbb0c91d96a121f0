import type { Em } from '../db/orm';
import { logEvent } from '../realtime/eventLog';
import { communityOf, eventKind, liveTopicsOf, type DomainEvent } from './registry';

/** Transactions that recorded an event, so that their commit wakes the dispatcher (see EventDispatcher). */
export const recordedIn = new WeakSet<object>();

/**
 * Writes an event into the outbox inside the command's transaction: it exists if and only if the change commits.
 * A live event also takes its positions in its streams here (see logEvent), so live subscribers see it in commit
 * order. `actorId` is who caused it (null: the system).
 */
export async function recordEvent(em: Em, actorId: string | null, event: DomainEvent): Promise<string> {
  const transaction = em.getTransactionContext();
  if (!transaction) throw new Error(`recordEvent(${event.type}) outside a transaction: the event would not be atomic with its change`);
  if (!eventKind(event.type)) throw new Error(`Unregistered event kind ${event.type}`);
  // The change's own writes go first, so every transaction takes the streams' row locks last (no lock cycles).
  await em.flush();
  const topics = liveTopicsOf(event);
  const live = topics.length ? await logEvent(em, event as never, topics) : null;
  const [row] = await em.execute<{ id: string }[]>(
    'insert into domain_event (type, payload, actor_id, community_id, live_event_id) values (?, ?, ?, ?, ?) returning id',
    [event.type, JSON.stringify(event), actorId, communityOf(event), live?.cursor ?? null],
  );
  recordedIn.add(transaction);
  return String(row!.id);
}
