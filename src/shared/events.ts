import { EventEmitter, on } from 'node:events';

/**
 * What happened, by ID only: payloads survive JSON (for Redis later) and subscribers read the current state
 * themselves, through their own rights, when the event reaches them.
 */
export type LiveEvent =
  | { type: 'PostAdded' | 'PostEdited' | 'PostDeleted' | 'ReactionChanged'; threadId: string; communityId: string; postId: string }
  | { type: 'ThreadStarted'; communityId: string; threadId: string }
  | { type: 'MemberJoined'; communityId: string; membershipId: string }
  | { type: 'ResourceShared'; communityId: string; resourceId: string }
  | { type: 'TypingChanged'; threadId: string; communityId: string; memberId: string; typing: boolean };

export type LiveEventType = LiveEvent['type'];

/** An event as delivered: with its cursor (time-ordered, unique per process) and when it happened. */
export type PublishedEvent = LiveEvent & { cursor: string; at: string };

export const threadTopic = (threadId: string) => `thread:${threadId}`;
export const communityTopic = (communityId: string) => `community:${communityId}`;

/** Topics an event is published on. */
export function topicsOf(event: LiveEvent): string[] {
  switch (event.type) {
    case 'TypingChanged':
      return [threadTopic(event.threadId)];
    case 'ThreadStarted':
    case 'MemberJoined':
    case 'ResourceShared':
      return [communityTopic(event.communityId)];
    default:
      return [threadTopic(event.threadId), communityTopic(event.communityId)];
  }
}

export interface EventBus {
  /**
   * Called by commands after their transaction committed, never inside it. An event that already has a cursor
   * (assigned by the event log) keeps it; otherwise the bus assigns one.
   */
  publish(event: LiveEvent | PublishedEvent): void;
  /** Events on a topic until `signal` aborts. */
  subscribe(topic: string, signal: AbortSignal): AsyncIterable<PublishedEvent>;
  /** How many subscribers follow a topic on this instance (for metrics and tests). */
  listenerCount(topic: string): number;
}

/** The in-process bus (one API instance). Subscribers that fall far behind are cut off rather than buffered forever. */
export class InProcessEventBus implements EventBus {
  private readonly emitter = new EventEmitter();
  private sequence = 0;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(event: LiveEvent | PublishedEvent): void {
    this.sequence += 1;
    const published: PublishedEvent =
      'cursor' in event
        ? event
        : { ...event, cursor: `${Date.now().toString(36).padStart(9, '0')}.${this.sequence.toString(36)}`, at: new Date().toISOString() };
    for (const topic of topicsOf(event)) this.emitter.emit(topic, published);
  }

  listenerCount(topic: string): number {
    return this.emitter.listenerCount(topic);
  }

  async *subscribe(topic: string, signal: AbortSignal): AsyncIterable<PublishedEvent> {
    try {
      for await (const [event] of on(this.emitter, topic, { signal })) yield event as PublishedEvent;
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  }
}
