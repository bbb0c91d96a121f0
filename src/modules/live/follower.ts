import type { Context, Services } from '../../server/context';
import { CLOSE_SLOW_CONSUMER } from '../../shared/closeCodes';
import { forbidden } from '../../shared/errors';
import type { PublishedEvent } from '../../shared/events';
import type { Member } from '../members/member.entity';
import { readsFor, viewerKey, type StreamAccess } from './eventReads';
import { positionIn, streamOf } from './streams';
import type { FeedFollower } from './topicFeeds';

/** Events a subscriber may have waiting (its socket is not taking them) before it is let go. */
export const MAX_WAITING_EVENTS = 500;

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };
const AGAIN = Symbol('again');

interface Waiting {
  event: PublishedEvent;
  position: bigint;
}

/**
 * One subscription to a thread's or community's events: a small record its topic's feed hands events to, and the
 * iterator graphql-ws pulls from. It keeps no EntityManager, loaders or closures between events; each event is
 * re-authorised (once per viewer and event, see EventReads) so a member who leaves stops receiving at once.
 *
 * Hand-written rather than an async generator: when the client unsubscribes, `return()` must stop following at
 * once, while a generator would wait for the next event to arrive first.
 */
export class Follower implements FeedFollower, AsyncIterableIterator<object> {
  private readonly services: Services;
  private readonly viewer: Member | null;
  private readonly socket: Context['socket'];
  private readonly rightsKey: string;
  /** The last stream position handed to the client (or where it started); null until the feed is ready. */
  private position: bigint | null = null;
  private waiting: Waiting[] | null = null;
  /** Resolves the pending `next()`: with an event, null at the end, or AGAIN to look again (the replay began). */
  private wake: ((event: PublishedEvent | null | typeof AGAIN) => void) | null = null;
  private wokenAt = 0n;
  /** `since`: what was missed, read once the feed is ready, handed out before anything live. */
  private replaying: Promise<void> | null = null;
  private replayed: PublishedEvent[] | null = null;
  private failure: unknown = null;
  private ended = false;

  constructor(
    ctx: Context,
    private readonly topic: string,
    private readonly access: StreamAccess,
    private readonly streamId: string,
    private readonly since: bigint | null,
  ) {
    this.services = ctx.services;
    this.viewer = ctx.viewer;
    this.socket = ctx.socket;
    this.rightsKey = `${topic}|${viewerKey(ctx.viewer)}`;
    this.services.events.follow(topic, this);
  }

  start(head: bigint): void {
    if (this.ended || this.position !== null) return;
    this.position = head;
    if (this.since === null) return;
    this.replaying = this.replay(head, this.since);
    const wake = this.wake;
    this.wake = null;
    wake?.(AGAIN);
  }

  receive(event: PublishedEvent, position: bigint): void {
    if (this.ended) return;
    if (this.wake && !this.replaying) {
      const wake = this.wake;
      this.wake = null;
      this.wokenAt = position;
      wake(event);
      return;
    }
    (this.waiting ??= []).push({ event, position });
    if (this.waiting.length > MAX_WAITING_EVENTS) {
      this.fail(new Error('too slow'));
      this.socket?.close(CLOSE_SLOW_CONSUMER, 'Too slow: too many events waiting');
    }
  }

  async next(): Promise<IteratorResult<object, undefined>> {
    try {
      for (;;) {
        const event = await this.take();
        if (!event) return DONE;
        const reads = readsFor(this.services, event);
        if (!(await reads.allowed(this.rightsKey, this.access, this.streamId, this.viewer))) {
          throw forbidden('You can no longer follow this; your access changed');
        }
        const value = await reads.value(this.access, event);
        if (value) return { value, done: false };
      }
    } catch (error) {
      this.stop();
      throw error;
    }
  }

  return(): Promise<IteratorResult<object, undefined>> {
    this.stop();
    return Promise.resolve(DONE);
  }

  throw(error: unknown): Promise<IteratorResult<object, undefined>> {
    this.stop();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next event to show: replayed ones first, then live ones past the position (none twice, none skipped). */
  private async take(): Promise<PublishedEvent | null> {
    for (;;) {
      if (this.replaying) {
        await this.replaying;
        this.replaying = null;
      }
      if (this.failure) throw this.failure;
      if (this.replayed?.length) return this.replayed.shift()!;
      let event: PublishedEvent | null;
      let position: bigint;
      const queued = this.waiting?.shift();
      if (queued) {
        ({ event, position } = queued);
      } else {
        if (this.ended) return null;
        const woken = await new Promise<PublishedEvent | null | typeof AGAIN>((resolve) => (this.wake = resolve));
        if (woken === AGAIN) continue;
        event = woken;
        if (!event) {
          if (this.failure) throw this.failure;
          return null;
        }
        position = this.wokenAt;
      }
      if (this.accepts(event, position)) return event;
    }
  }

  /**
   * Logged events move the position on; an unlogged one (typing) carries the position the stream was at and is
   * shown unless this subscriber has already been shown more (it replayed past it).
   */
  private accepts(event: PublishedEvent, position: bigint): boolean {
    if (positionIn(event, this.access.kind) === null) return this.position === null || position >= this.position;
    if (this.position !== null && position <= this.position) return false;
    this.position = position;
    return true;
  }

  private async replay(head: bigint, since: bigint): Promise<void> {
    try {
      const missed = await this.services.events.replay(streamOf(this.topic), since);
      const last = missed.length ? positionIn(missed.at(-1)!, this.access.kind)! : 0n;
      // Live events from the feed start after `head`; anything up to the last replayed one was shown already.
      this.position = last > head ? last : head;
      this.replayed = missed;
    } catch (error) {
      this.failure = error;
    }
  }

  private fail(error: unknown): void {
    this.failure = error;
    this.waiting = null;
    this.stop();
  }

  private stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.waiting = null;
    this.services.events.unfollow(this.topic, this);
    const wake = this.wake;
    this.wake = null;
    wake?.(null);
  }
}
