import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { Context, Services } from '../context';
import { CLOSE_SLOW_CONSUMER } from './closeCodes';
import { forbidden } from '../shared/errors';
import type { PublishedEvent } from './events';
import type { Member } from '../modules/members/member.entity';
import { readsFor, viewerKey, type PreparedEvent, type StreamAccess, type Subscriber } from './eventReads';
import { positionIn } from './streams';
import type { FeedFollower } from './topicFeeds';

/** Events a subscriber may have waiting (not yet sent) before it is let go. */
export const MAX_WAITING_EVENTS = 500;

/** Where a subscription's results go: graphql-ws `next` messages on its socket (see realtime/ws.ts). */
export interface ResultSink {
  next(result: ExecutionResult): void;
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

interface Waiting {
  event: PublishedEvent;
  /** Its stream position (for typing: where the stream was); null for a replayed event (always shown). */
  position: bigint | null;
}

const documentIds = new WeakMap<object, number>();
let lastDocumentId = 0;
/** Group keys in use, so that thousands of subscriptions in one group hold one string. */
const groupKeys = new Map<string, { key: string; users: number }>();

/** Subscriptions with the same document (the parsed AST is shared per query text), operation and variables. */
function acquireGroup(args: ExecutionArgs): string {
  let id = documentIds.get(args.document);
  if (id === undefined) documentIds.set(args.document, (id = ++lastDocumentId));
  const key = `${id}|${args.operationName ?? ''}|${JSON.stringify(args.variableValues ?? {})}`;
  let entry = groupKeys.get(key);
  if (!entry) groupKeys.set(key, (entry = { key, users: 0 }));
  entry.users += 1;
  return entry.key;
}

function releaseGroup(key: string): void {
  const entry = groupKeys.get(key);
  if (entry && --entry.users <= 0) groupKeys.delete(key);
}

/**
 * One subscription to a thread's or community's events: a small record that the topic's feed hands events to. It
 * holds no EntityManager, loaders or closures between events.
 *
 * Delivery: graphql-ws runs the subscription as usual (subscribe, complete, errors, close), but its results do not
 * travel through graphql-ws's per-subscriber iterator. Once graphql-ws has handed over the socket (`sendTo`, from
 * its onOperation hook), the feed prepares each event once for all its followers (rights per viewer, one execution
 * per group, see EventReads.prepare) and each follower writes its result straight to its socket, in one
 * synchronous pass over the followers. The iterator graphql-ws holds only settles when the subscription ends:
 * done when the client unsubscribes or the socket closes, an error (FORBIDDEN) when the subscriber may no longer
 * read the stream; graphql-ws then sends `error`, after every result already written.
 *
 * Events that cannot go out at once (before the socket is handed over, while `since` replays what was missed, or
 * when the feed could not prepare them) wait in order and are handled one by one, then the follower goes live.
 */
export class Follower implements FeedFollower, Subscriber, AsyncIterableIterator<never> {
  readonly viewer: Member | null;
  groupKey: string | null = null;
  execution: ExecutionArgs | null = null;
  private readonly services: Services;
  private readonly socket: Context['socket'];
  private sink: ResultSink | null = null;
  /** The last stream position shown (or where the follower started); null until the feed is ready. */
  private position: bigint | null = null;
  /** True while nothing waits: events are written as the feed hands them out. */
  private live = false;
  private waiting: Waiting[] | null = null;
  private draining = false;
  private replaying: Promise<void> | null = null;
  private ended = false;
  private failure: unknown = null;
  /** Settles the iterator graphql-ws holds: done, or (given a rejected promise) failed. */
  private finish: ((result: IteratorReturnResult<undefined> | Promise<never>) => void) | null = null;
  /** The feed's topic string (one for all its followers). */
  private readonly topic: string;

  constructor(
    ctx: Context,
    topic: string,
    private readonly access: StreamAccess,
    readonly streamId: string,
    private readonly since: bigint | null,
  ) {
    this.services = ctx.services;
    this.viewer = ctx.viewer;
    this.socket = ctx.socket;
    this.topic = this.services.events.follow(topic, this);
  }

  /** graphql-ws hands over the socket and the subscription's execution arguments. */
  sendTo(sink: ResultSink, execution: ExecutionArgs): void {
    if (this.ended) return;
    this.sink = sink;
    this.execution = execution;
    this.groupKey = acquireGroup(execution);
    void this.drain();
  }

  start(head: bigint): void {
    if (this.ended || this.position !== null) return;
    this.position = head;
    if (this.since === null) return;
    this.live = false;
    this.replaying = this.replay(head, this.since);
    void this.drain();
  }

  /** Any follower prepares an event for all of the topic's followers (they follow the same stream). */
  prepare(event: PublishedEvent, followers: Iterable<FeedFollower>): Promise<PreparedEvent> {
    return readsFor(this.services, event).prepare(this.access, event, liveFollowers(followers));
  }

  receive(event: PublishedEvent, position: bigint, prepared: unknown): void {
    if (this.ended) return;
    if (this.live && prepared && this.deliverPrepared(event, position, prepared as PreparedEvent)) return;
    // From here until the waiting events are handled, later ones wait behind them (order).
    this.live = false;
    (this.waiting ??= []).push({ event, position });
    if (this.waiting.length > MAX_WAITING_EVENTS) {
      this.fail(new Error('Too slow: too many events waiting'));
      this.socket?.close(CLOSE_SLOW_CONSUMER, 'Too slow: too many events waiting');
      return;
    }
    void this.drain();
  }

  next(): Promise<IteratorResult<never, undefined>> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve(DONE);
    return new Promise((resolve) => (this.finish = resolve));
  }

  return(): Promise<IteratorResult<never, undefined>> {
    this.stop();
    this.finish?.(DONE);
    return Promise.resolve(DONE);
  }

  throw(error: unknown): Promise<IteratorResult<never, undefined>> {
    this.stop();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The fast path: everything this follower needs was prepared with the others. False when it was not. */
  private deliverPrepared(event: PublishedEvent, position: bigint, prepared: PreparedEvent): boolean {
    const allowed = prepared.allowed.get(viewerKey(this.viewer));
    if (allowed === undefined) return false;
    let result: ExecutionResult | null | undefined = null;
    if (allowed && prepared.value) {
      const group = prepared.results.get(this.groupKey!);
      result = group && (group.shared ?? group.perViewer?.get(viewerKey(this.viewer)));
      if (!result) return false;
    }
    if (!this.accepts(event, position)) return true;
    if (!allowed) this.fail(forbidden('You can no longer follow this; your access changed'));
    else if (result) this.sink!.next(result);
    return true;
  }

  /** Handles waiting events one by one (replayed ones first), then goes live. */
  private async drain(): Promise<void> {
    if (this.draining || !this.sink || this.ended) return;
    this.draining = true;
    try {
      for (;;) {
        if (this.replaying) {
          await this.replaying;
          this.replaying = null;
        }
        if (this.ended) return;
        const next = this.waiting?.shift();
        if (!next) {
          this.live = true;
          return;
        }
        if (next.position !== null && !this.accepts(next.event, next.position)) continue;
        const reads = readsFor(this.services, next.event);
        if (!(await reads.allowed(this.access, this))) throw forbidden('You can no longer follow this; your access changed');
        const value = await reads.value(this.access, next.event);
        if (value && !this.ended) this.sink!.next(await reads.result(this, value));
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.draining = false;
    }
  }

  /**
   * Logged events move the position on; an unlogged one (typing) carries the position the stream was at and is
   * shown unless this subscriber has been shown more (it replayed past it).
   */
  private accepts(event: PublishedEvent, position: bigint): boolean {
    if (event.positions?.[this.access.kind] === undefined) return this.position === null || position >= this.position;
    if (this.position !== null && position <= this.position) return false;
    this.position = position;
    return true;
  }

  /** `since`: what was missed goes first; live events up to the last replayed one were shown by it. */
  private async replay(head: bigint, since: bigint): Promise<void> {
    try {
      const missed = await this.services.events.replay({ kind: this.access.kind, id: this.streamId }, since);
      const last = missed.length ? positionIn(missed.at(-1)!, this.access.kind)! : 0n;
      this.position = last > head ? last : head;
      (this.waiting ??= []).unshift(...missed.map((event) => ({ event, position: null })));
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = error;
    this.stop();
    if (this.finish) {
      const failed = Promise.reject(error);
      failed.catch(() => undefined);
      this.finish(failed);
    }
  }

  private stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.live = false;
    this.waiting = null;
    this.services.events.unfollow(this.topic, this);
    if (this.groupKey) releaseGroup(this.groupKey);
  }
}

function liveFollowers(followers: Iterable<FeedFollower>): Subscriber[] {
  const live: Subscriber[] = [];
  for (const follower of followers) if (follower instanceof Follower && follower.groupKey) live.push(follower);
  return live;
}
