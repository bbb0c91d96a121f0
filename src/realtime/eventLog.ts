import type { Em, Orm } from '../db/orm';
import { topicsOf, type EventBus, type LiveEvent, type PublishedEvent, type StreamedEvent, type StreamKind } from './events';
import { REPLAY_MAX_EVENTS, REPLAY_WINDOW_MS, type Stream } from './streams';
import { TopicFeeds, type FeedFollower } from './topicFeeds';


/** A timestamptz as raw SQL returns it ("2026-11-23 20:40:04.123+00") to ISO-8601. */
export function pgTimestamp(value: string | Date): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();
}

export type EventRow = { id: string; payload: LiveEvent | string; created_at: string; thread_position: string | null; community_position: string };

export function fromRow(row: EventRow): PublishedEvent {
  const event = typeof row.payload === 'string' ? (JSON.parse(row.payload) as LiveEvent) : row.payload;
  const positions: PublishedEvent['positions'] = { community: String(row.community_position) };
  if (row.thread_position !== null) positions.thread = String(row.thread_position);
  return { ...event, cursor: String(row.id), at: pgTimestamp(row.created_at), positions };
}

export const COLUMNS = 'id, payload, created_at, thread_position, community_position';
const streamColumns = (kind: StreamKind) => (kind === 'thread' ? ['thread_id', 'thread_position'] : ['community_id', 'community_position']);

/**
 * The live events of this instance: every event except typing is logged in `live_event` by the command that caused
 * it (recordEvent, in its transaction, with its position in each stream); the outbox dispatcher then puts it on the
 * transport bus (in-process or Redis). Subscribers follow topics
 * through `feeds`, which hands them each stream's events in position order, without gaps (see TopicFeeds).
 *
 * Why positions per stream, given out by a counter row (see LiveStreamRecord) rather than the log's own id: an
 * id from a sequence is taken before the writing transaction commits, so with two writers (two instances) event
 * 11 can commit and be seen before event 10; a client resuming after 11 would never get 10. A position is taken
 * under the stream's row lock, held until commit, so position n+1 is only given out once n is committed.
 */
export class LoggedEventBus {
  readonly feeds: TopicFeeds;

  constructor(
    private readonly orm: Orm,
    private readonly transport: EventBus,
  ) {
    this.feeds = new TopicFeeds(transport, this);
  }

  /**
   * Typing only: it changes no state, so it skips the outbox and goes straight onto the transport. Every other live
   * event is recorded in the command's transaction (recordEvent) and published by the event log's live consumer.
   */
  publish(event: LiveEvent | PublishedEvent): void {
    this.transport.publish(event);
  }

  /** Returns the feed's topic string (shared by its followers). */
  follow(topic: string, follower: FeedFollower): string {
    return this.feeds.attach(topic, follower);
  }

  unfollow(topic: string, follower: FeedFollower): void {
    this.feeds.detach(topic, follower);
  }

  /** Subscribers of a topic on this instance that are sure to receive what is published from now on. */
  listenerCount(topic: string): number {
    return this.feeds.followerCount(topic);
  }

  /** Resolves once every committed event so far has been dispatched onto the transport (see EventDispatcher). */
  settled(): Promise<void> {
    return this.dispatched();
  }

  /** Set by the app: how to wait for the outbox dispatcher. */
  dispatched: () => Promise<void> = () => Promise.resolve();

  /**
   * Logged events of a stream after position `since`, oldest first: the most recent REPLAY_MAX_EVENTS within the
   * replay window (a client that missed more gets the latest ones, then live events, with no gap in between).
   */
  async replay(stream: Stream, since: bigint): Promise<PublishedEvent[]> {
    const [idColumn, positionColumn] = streamColumns(stream.kind);
    const rows = await this.em().execute<EventRow[]>(
      `select ${COLUMNS} from live_event where ${idColumn} = ? and ${positionColumn} > ? and created_at > ? ` +
        `order by ${positionColumn} desc limit ?`,
      [stream.id, since.toString(), new Date(Date.now() - REPLAY_WINDOW_MS).toISOString(), REPLAY_MAX_EVENTS],
    );
    return rows.reverse().map(fromRow);
  }

  /** Logged events of a stream with positions strictly between `after` and `before` (or all after), in order. */
  async between(stream: Stream, after: bigint, before: bigint | null): Promise<PublishedEvent[]> {
    const [idColumn, positionColumn] = streamColumns(stream.kind);
    const rows = await this.em().execute<EventRow[]>(
      `select ${COLUMNS} from live_event where ${idColumn} = ? and ${positionColumn} > ?` +
        `${before === null ? '' : ` and ${positionColumn} < ?`} order by ${positionColumn} limit ?`,
      [stream.id, after.toString(), ...(before === null ? [] : [before.toString()]), REPLAY_MAX_EVENTS],
    );
    return rows.map(fromRow);
  }

  /** The last position given out in a stream (0 before its first event). */
  async head(stream: Stream): Promise<bigint> {
    const [row] = await this.em().execute<{ position: string }[]>('select position from live_stream where key = ?', [`${stream.kind}:${stream.id}`]);
    return row ? BigInt(row.position) : 0n;
  }

  private em(): Em {
    return this.orm.em.fork() as Em;
  }
}

/**
 * Logs an event with the next position in each of its streams, in one statement (so, outside a transaction, one
 * transaction): it takes the positions by updating the streams' counter rows, locking them, in key order so that
 * two events never wait for each other in a cycle, and logs the event with them. Inside a longer transaction the
 * rows stay locked until it ends: the streams' next events wait, and so cannot be seen before this one.
 */
export async function logEvent(em: Em, event: StreamedEvent, topics: string[] = topicsOf(event)): Promise<PublishedEvent> {
  const keys = [...topics].sort();
  const threadKey = keys.find((key) => key.startsWith('thread:')) ?? null;
  const communityKey = `community:${event.communityId}`;
  const [row] = await em.execute<EventRow[]>(
    `with positions as (insert into live_stream (key, position) values ${keys.map(() => '(?, 1)').join(', ')} ` +
      `on conflict (key) do update set position = live_stream.position + 1 returning key, position) ` +
      `insert into live_event (type, thread_id, community_id, payload, thread_position, community_position) values (?, ?, ?, ?, ` +
      `(select position from positions where key = ?), (select position from positions where key = ?)) returning ${COLUMNS}`,
    [...keys, event.type, threadKey ? (event as { threadId: string }).threadId : null, event.communityId, JSON.stringify(event), threadKey, communityKey],
  );
  return fromRow(row!);
}
