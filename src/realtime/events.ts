import { liveTopicsOf, memberTopicsOf, type DomainEvent } from '../events/registry';
import type { LifecycleLiveEvent } from '../modules/governance/lifecycle/lifecycle.live';
import type { PollLiveEvent } from '../modules/discussions/polls/poll.live';
import { logger } from '../logging/logger';
/**
 * What happened, by ID only: payloads survive JSON (for Redis later) and subscribers read the current state
 * themselves, through their own rights, when the event reaches them.
 */
export type LiveEvent =
  | { type: 'PostAdded' | 'PostEdited' | 'PostDeleted' | 'ReactionChanged'; threadId: string; communityId: string; postId: string }
  | { type: 'ThreadStarted'; communityId: string; threadId: string }
  | { type: 'MemberJoined'; communityId: string; membershipId: string }
  | { type: 'ResourceShared'; communityId: string; resourceId: string }
  | LifecycleLiveEvent
  | PollLiveEvent
  | { type: 'TypingChanged'; threadId: string; communityId: string; memberId: string; typing: boolean }
  /** Pushed to one member (their `member:<id>` topic); not logged in a stream: its cursor is the outbox id. */
  | { type: 'NotificationAdded'; memberId: string; notificationId: string };

export type LiveEventType = LiveEvent['type'];

/** The live events of a thread's and a community's streams (logged with positions; every one but member pushes). */
export type StreamedEvent = Extract<LiveEvent, { communityId: string }>;

/** Which streams an event is numbered in: a thread's and a community's (see the event log). */
export type StreamKind = 'thread' | 'community';

/**
 * An event as delivered: with its cursor (unique; the log id for logged events) and when it happened. Logged
 * events also carry their position in each stream they belong to (decimal strings, gapless per stream, in commit
 * order), which is what clients resume from.
 */
export type PublishedEvent = LiveEvent & { cursor: string; at: string; positions?: Partial<Record<StreamKind, string>> };

export const threadTopic = (threadId: string) => `thread:${threadId}`;
export const communityTopic = (communityId: string) => `community:${communityId}`;
/** One member's private topic (their notifications). */
export const memberTopic = (memberId: string) => `member:${memberId}`;

/**
 * Topics an event is published on: what its kind registered (`topics` for stream events, `memberTopics` for
 * pushes to one member; see events/registry.ts). Typing is not a domain event: it goes to its thread.
 */
export function topicsOf(event: LiveEvent): string[] {
  if (event.type === 'TypingChanged') return [threadTopic(event.threadId)];
  const domainEvent = event as unknown as DomainEvent;
  return [...liveTopicsOf(domainEvent), ...memberTopicsOf(domainEvent)];
}

/** Receives a topic's events; a plain object with a method, so that many of them cost no closures. */
export interface EventListener {
  deliver(event: PublishedEvent): void;
}

export interface EventBus {
  /**
   * Called by commands after their transaction committed, never inside it. An event that already has a cursor
   * (assigned by the event log) keeps it; otherwise the bus assigns one.
   */
  publish(event: LiveEvent | PublishedEvent): void;
  /**
   * Adds a listener to a topic; it receives events at once. Resolves when events published anywhere from then on
   * are sure to reach it (Redis confirmed the channel); never rejects.
   */
  listen(topic: string, listener: EventListener): Promise<void>;
  unlisten(topic: string, listener: EventListener): void;
  /** Events on a topic until `signal` aborts (a queue on top of `listen`). */
  subscribe(topic: string, signal: AbortSignal): AsyncIterable<PublishedEvent>;
  /** How many listeners follow a topic on this instance and are sure to receive (for metrics and tests). */
  listenerCount(topic: string): number;
  /** Called when the transport may have lost events (Redis reconnected), so listeners can catch up. */
  onReconnect?(listener: () => void): void;
}

/** The listeners of each topic: one Map lookup and a loop per event, whatever their number. */
export class TopicListeners {
  private readonly byTopic = new Map<string, Set<EventListener>>();

  /** Adds; true when this is the topic's first listener. */
  add(topic: string, listener: EventListener): boolean {
    const listeners = this.byTopic.get(topic);
    if (listeners) {
      listeners.add(listener);
      return false;
    }
    this.byTopic.set(topic, new Set([listener]));
    return true;
  }

  /** Removes; true when that was the topic's last listener. */
  remove(topic: string, listener: EventListener): boolean {
    const listeners = this.byTopic.get(topic);
    if (!listeners?.delete(listener)) return false;
    if (listeners.size) return false;
    this.byTopic.delete(topic);
    return true;
  }

  emit(topic: string, event: PublishedEvent): void {
    const listeners = this.byTopic.get(topic);
    if (!listeners) return;
    for (const listener of listeners) {
      try {
        listener.deliver(event);
      } catch (error) {
        logger.error({ err: error }, '[live] a listener failed');
      }
    }
  }

  count(topic: string): number {
    return this.byTopic.get(topic)?.size ?? 0;
  }
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * `subscribe()` for any bus: an array-backed queue that listens until its signal aborts. (Node's `events.on()`
 * iterator, used before, costs ~36 KB per subscriber.)
 */
export class EventQueue implements EventListener, AsyncIterableIterator<PublishedEvent> {
  private readonly queue: PublishedEvent[] = [];
  private waiting: ((result: IteratorResult<PublishedEvent, undefined>) => void) | null = null;
  private ended = false;

  constructor(
    private readonly bus: EventBus,
    private readonly topic: string,
    private readonly signal: AbortSignal,
  ) {
    if (signal.aborted) {
      this.ended = true;
      return;
    }
    signal.addEventListener('abort', this, { once: true });
    void bus.listen(topic, this);
  }

  deliver(event: PublishedEvent): void {
    if (this.ended) return;
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = null;
      wake({ value: event, done: false });
    } else {
      this.queue.push(event);
    }
  }

  /** The signal's abort (an EventListener object, so the queue needs no closure). */
  handleEvent(): void {
    this.end();
  }

  next(): Promise<IteratorResult<PublishedEvent, undefined>> {
    if (this.queue.length) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.ended) return Promise.resolve(DONE);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<PublishedEvent, undefined>> {
    this.end();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.length = 0;
    this.signal.removeEventListener('abort', this);
    this.bus.unlisten(this.topic, this);
    const wake = this.waiting;
    this.waiting = null;
    wake?.(DONE);
  }
}

/** `<time, 9 base-36 digits>.<sequence, base 36>`: time-ordered, and sorts as a string within one process. */
export function busCursor(sequence: number): string {
  return `${Date.now().toString(36).padStart(9, '0')}.${sequence.toString(36)}`;
}

/** The in-process bus (one API instance). */
export class InProcessEventBus implements EventBus {
  private readonly listeners = new TopicListeners();
  private sequence = 0;

  publish(event: LiveEvent | PublishedEvent): void {
    this.sequence += 1;
    const published: PublishedEvent = 'cursor' in event ? event : { ...event, cursor: busCursor(this.sequence), at: new Date().toISOString() };
    for (const topic of topicsOf(event)) this.listeners.emit(topic, published);
  }

  listen(topic: string, listener: EventListener): Promise<void> {
    this.listeners.add(topic, listener);
    return Promise.resolve();
  }

  unlisten(topic: string, listener: EventListener): void {
    this.listeners.remove(topic, listener);
  }

  subscribe(topic: string, signal: AbortSignal): AsyncIterable<PublishedEvent> {
    return new EventQueue(this, topic, signal);
  }

  listenerCount(topic: string): number {
    return this.listeners.count(topic);
  }
}
