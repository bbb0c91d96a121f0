import type { EventBus, EventListener, PublishedEvent } from './events';
import { positionIn, REPLAY_MAX_EVENTS, streamOf, type Stream } from './streams';
import { logger } from '../logging/logger';

/** What a feed reads from the event log. */
export interface FeedLog {
  head(stream: Stream): Promise<bigint>;
  between(stream: Stream, after: bigint, before: bigint | null): Promise<PublishedEvent[]>;
}

/** A subscription following a topic (see live/follower.ts). */
export interface FeedFollower {
  /** The feed is listening and knows its stream's position: everything after `head` will be received. */
  start(head: bigint): void;
  /**
   * Work done once per event for all of the topic's followers before any receives it (any follower of the topic
   * can do it: they follow the same stream).
   */
  prepare(event: PublishedEvent, followers: Iterable<FeedFollower>): Promise<unknown>;
  /**
   * The stream's next event, with what `prepare` made of it (null if that failed). `position` is its position, or
   * for an unlogged event (typing) the position the stream was at when it arrived.
   */
  receive(event: PublishedEvent, position: bigint, prepared: unknown): void;
}

const RETRY_MS = 500;

/**
 * One topic on this instance: a single listener on the bus whatever the number of subscribers, which hands each
 * event to every follower in stream position order, with no gap and no duplicate.
 *
 * Events of other instances come through Redis in whatever order they were published, so a position can arrive
 * before the one below it. Positions are given out in commit order (see LoggedEventBus), so the missing ones are
 * already committed: the feed reads them from the log at once, hands them out, then the one that arrived early;
 * the late original is dropped as a duplicate. Nothing waits on a timer, and an event lost on the way (a publisher
 * that died after committing, Redis away) is recovered from the log when the next one arrives, or after Redis
 * reconnects.
 */
class TopicFeed implements EventListener {
  readonly followers = new Set<FeedFollower>();
  readonly stream: Stream;
  /** The last position handed out; null until the feed knows where the stream is. */
  head: bigint | null = null;
  closed = false;
  /** Events that arrived before the head was known. */
  private early: PublishedEvent[] = [];
  /** Events that arrived ahead of a gap, by position. */
  private readonly ahead = new Map<bigint, PublishedEvent>();
  private filling = false;
  private catchUpWanted = false;
  private typingSequence = 0;
  /** The last event being handed out (events go out in order). */
  private sending: Promise<void> = Promise.resolve();

  constructor(
    readonly topic: string,
    private readonly bus: EventBus,
    private readonly log: FeedLog,
  ) {
    this.stream = streamOf(topic);
  }

  /** Listens first, then reads the stream's head: every event after the head is then received or read from the log. */
  async start(): Promise<void> {
    await this.bus.listen(this.topic, this);
    for (;;) {
      if (this.closed) return;
      try {
        this.head = await this.log.head(this.stream);
        break;
      } catch (error) {
        logger.error({ err: error }, `[live] could not read the position of ${this.topic}; retrying`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
    if (this.closed) return;
    for (const follower of this.followers) follower.start(this.head);
    const early = this.early;
    this.early = [];
    for (const event of early) this.deliver(event);
  }

  deliver(event: PublishedEvent): void {
    if (this.closed) return;
    if (this.head === null) {
      this.early.push(event);
      return;
    }
    const position = positionIn(event, this.stream.kind);
    if (position === null) {
      // Unlogged (typing): goes out at once, with a cursor that says where the stream was.
      this.typingSequence += 1;
      this.emit({ ...event, cursor: `${this.head}.t${this.typingSequence}` }, this.head);
      return;
    }
    if (position <= this.head) return;
    if (position === this.head + 1n) {
      this.advance(event, position);
      this.drain();
      return;
    }
    this.ahead.set(position, event);
    void this.fill();
  }

  /** Redis reconnected: events published meanwhile may be missing; read whatever the log has after the head. */
  catchUp(): void {
    if (this.head === null || this.closed) return;
    this.catchUpWanted = true;
    void this.fill();
  }

  private advance(event: PublishedEvent, position: bigint): void {
    this.head = position;
    this.emit(event, position);
  }

  /**
   * Hands an event to every follower, in stream order: events are prepared as they come (the next one's reads can
   * overlap this one's sending), then handed out one after the other in one synchronous pass over the followers.
   */
  private emit(event: PublishedEvent, position: bigint): void {
    const [first] = this.followers;
    const prepared = first ? first.prepare(event, this.followers).catch((error: unknown) => {
      logger.error({ err: error }, `[live] could not prepare an event of ${this.topic}`);
      return null;
    }) : Promise.resolve(null);
    this.sending = Promise.all([this.sending, prepared]).then(([, ready]) => {
      for (const follower of this.followers) {
        try {
          follower.receive(event, position, ready);
        } catch (error) {
          logger.error({ err: error }, `[live] a follower of ${this.topic} failed`);
        }
      }
    });
  }

  /** Hands out the events waiting ahead, as long as they follow on. */
  private drain(): void {
    for (;;) {
      const next = this.ahead.get(this.head! + 1n);
      if (!next) break;
      this.ahead.delete(this.head! + 1n);
      this.advance(next, this.head! + 1n);
    }
    for (const position of this.ahead.keys()) if (position <= this.head!) this.ahead.delete(position);
  }

  private lowestAhead(): bigint | null {
    let lowest: bigint | null = null;
    for (const position of this.ahead.keys()) if (lowest === null || position < lowest) lowest = position;
    return lowest;
  }

  /** Reads the missing positions from the log until nothing waits ahead of a gap. */
  private async fill(): Promise<void> {
    if (this.filling) return;
    this.filling = true;
    let failures = 0;
    try {
      while (!this.closed && (this.ahead.size || this.catchUpWanted)) {
        const catchUp = this.catchUpWanted;
        this.catchUpWanted = false;
        const before = catchUp ? null : this.lowestAhead();
        let missing: PublishedEvent[];
        try {
          missing = await this.log.between(this.stream, this.head!, before);
          failures = 0;
        } catch (error) {
          failures += 1;
          logger.error({ err: error }, `[live] could not read missing events of ${this.topic}`);
          if (failures <= 3) {
            this.catchUpWanted ||= catchUp;
            await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
            continue;
          }
          missing = [];
        }
        if (this.closed) return;
        for (const event of missing) {
          const position = positionIn(event, this.stream.kind)!;
          if (position > this.head!) this.ahead.set(position, event);
        }
        this.drain();
        if (catchUp || missing.length >= REPLAY_MAX_EVENTS) continue;
        // Still a gap below what waits ahead: those positions are gone from the log (pruned) or unreadable.
        const lowest = this.lowestAhead();
        if (lowest !== null && this.head! + 1n < lowest) {
          logger.error(`[live] ${this.topic}: positions ${this.head! + 1n} to ${lowest - 1n} are not in the log; skipping them`);
          this.head = lowest - 1n;
          this.drain();
        }
      }
    } finally {
      this.filling = false;
    }
  }
}

/** This instance's feeds, one per topic with at least one follower. */
export class TopicFeeds {
  private readonly feeds = new Map<string, TopicFeed>();

  constructor(
    private readonly bus: EventBus,
    private readonly log: FeedLog,
  ) {
    bus.onReconnect?.(() => {
      for (const feed of this.feeds.values()) feed.catchUp();
    });
  }

  /** Returns the feed's topic string, so that its followers can share it. */
  attach(topic: string, follower: FeedFollower): string {
    let feed = this.feeds.get(topic);
    if (!feed) {
      feed = new TopicFeed(topic, this.bus, this.log);
      this.feeds.set(topic, feed);
      void feed.start();
    }
    feed.followers.add(follower);
    if (feed.head !== null) follower.start(feed.head);
    return feed.topic;
  }

  detach(topic: string, follower: FeedFollower): void {
    const feed = this.feeds.get(topic);
    if (!feed?.followers.delete(follower) || feed.followers.size) return;
    feed.closed = true;
    this.feeds.delete(topic);
    this.bus.unlisten(topic, feed);
  }

  followerCount(topic: string): number {
    const feed = this.feeds.get(topic);
    return feed && feed.head !== null ? feed.followers.size : 0;
  }
}
