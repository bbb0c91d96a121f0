import type { Em, Orm } from '../../db/orm';
import type { EventBus, LiveEvent, PublishedEvent } from '../../shared/events';

/** How far back `since` can reach: the last hour, at most this many events per stream. */
export const REPLAY_WINDOW_MS = 60 * 60 * 1000;
export const REPLAY_MAX_EVENTS = 1_000;
const PRUNE_EVERY = 500;

/** Cursors of logged events are their log ids; typing (not logged) carries the last id seen plus a suffix. */
export function cursorPosition(cursor: string | null | undefined): bigint | null {
  const match = /^(\d{1,19})(?:\.t\d+)?$/.exec(cursor ?? '');
  return match ? BigInt(match[1]!) : null;
}

/** A timestamptz as raw SQL returns it ("2026-11-23 20:40:04.123+00") to ISO-8601. */
function pgTimestamp(value: string | Date): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();
}

/**
 * Every event goes into the `live_event` log (in publish order per instance), then onto the transport bus with
 * its log id as cursor. Typing is ephemeral: not logged, never replayed.
 */
export class LoggedEventBus implements EventBus {
  private chain: Promise<unknown> = Promise.resolve();
  private lastId = 0n;
  private typingSequence = 0;
  private written = 0;

  constructor(
    private readonly orm: Orm,
    private readonly transport: EventBus,
    private readonly onError: (error: unknown) => void = (error) => console.error('[live] could not log an event', error),
  ) {}

  publish(event: LiveEvent | PublishedEvent): void {
    if (event.type === 'TypingChanged') {
      this.typingSequence += 1;
      this.transport.publish({ ...event, cursor: `${this.lastId}.t${this.typingSequence}`, at: new Date().toISOString() });
      return;
    }
    this.chain = this.chain
      .then(async () => this.transport.publish(await this.record(event)))
      .catch(this.onError);
  }

  subscribe(topic: string, signal: AbortSignal): AsyncIterable<PublishedEvent> {
    return this.transport.subscribe(topic, signal);
  }

  listenerCount(topic: string): number {
    return this.transport.listenerCount(topic);
  }

  /** Resolves once every event published so far has been logged and handed to the transport. */
  settled(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  /** Logged events of a stream after `since`, oldest first, within the replay window. */
  async replay(stream: { threadId: string } | { communityId: string }, since: bigint): Promise<PublishedEvent[]> {
    const [column, id] = 'threadId' in stream ? ['thread_id', stream.threadId] : ['community_id', stream.communityId];
    const rows = await (this.orm.em.fork() as Em).execute<{ id: string; payload: LiveEvent; created_at: string }[]>(
      `select id, payload, created_at from live_event where ${column} = ? and id > ? and created_at > ? order by id limit ?`,
      [id, since.toString(), new Date(Date.now() - REPLAY_WINDOW_MS).toISOString(), REPLAY_MAX_EVENTS],
    );
    return rows.map((row) => ({
      ...(typeof row.payload === 'string' ? (JSON.parse(row.payload) as LiveEvent) : row.payload),
      cursor: String(row.id),
      at: pgTimestamp(row.created_at),
    }));
  }

  private async record(event: LiveEvent): Promise<PublishedEvent> {
    const em = this.orm.em.fork() as Em;
    const threadId = 'threadId' in event ? event.threadId : null;
    const [row] = await em.execute<{ id: string; created_at: string }[]>(
      'insert into live_event (type, thread_id, community_id, payload) values (?, ?, ?, ?) returning id, created_at',
      [event.type, threadId, event.communityId, JSON.stringify(event)],
    );
    this.lastId = BigInt(row!.id);
    this.written += 1;
    if (this.written % PRUNE_EVERY === 0) {
      await em.execute('delete from live_event where created_at < ?', [new Date(Date.now() - 2 * REPLAY_WINDOW_MS).toISOString()]);
    }
    return { ...event, cursor: row!.id.toString(), at: pgTimestamp(row!.created_at) };
  }
}
