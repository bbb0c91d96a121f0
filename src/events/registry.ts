/**
 * The kinds of domain event. Each module declares its own, by declaration merging, next to its commands:
 *
 *   declare module '../../events/registry' {
 *     interface DomainEvents { ThreadStarted: { communityId: string; threadId: string } }
 *   }
 *   registerEventKinds({ ThreadStarted: { topics: (e) => [communityTopic(e.communityId)], webhook: 'THREAD_STARTED' } });
 *
 * so no central union grows with every module. Payloads carry IDs and plain values only (they are stored as JSON
 * and read back by consumers that load the current state through the reader's rights).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DomainEvents {}

export type EventType = keyof DomainEvents & string;

/** One event: its type and its payload's fields. */
export type DomainEvent<T extends EventType = EventType> = { [K in T]: { type: K } & DomainEvents[K] }[T];

export interface EventKind<T extends EventType = EventType> {
  /** Live topics (`thread:<id>`, `community:<id>`) the event is published on; absent: not a live event. */
  topics?(event: DomainEvent<T>): string[];
  /**
   * Private topics (`member:<id>`) the event is pushed on by live delivery once committed: no stream positions, no
   * replay (what a member missed is in their inbox); the cursor is the outbox id. Absent: not pushed to members.
   */
  memberTopics?(event: DomainEvent<T>): string[];
  /** The community the event belongs to, when it is not the payload's `communityId`. */
  communityId?(event: DomainEvent<T>): string | null;
  /** The webhook event type it is delivered as (contract: THREAD_STARTED, POST_ADDED, …); absent: not a webhook event. */
  webhook?: string;
}

const kinds = new Map<string, EventKind<never>>();

/** Declares event kinds (once, at module load). */
export function registerEventKinds(declared: { [K in EventType]?: EventKind<K> }): void {
  for (const [type, kind] of Object.entries(declared)) {
    if (kinds.has(type)) throw new Error(`Event kind ${type} is registered twice`);
    kinds.set(type, kind as EventKind<never>);
  }
}

export function eventKind(type: string): EventKind<never> | undefined {
  return kinds.get(type);
}

export function registeredEventTypes(): string[] {
  return [...kinds.keys()];
}

/** The community an event belongs to (for streams, rights and webhooks). */
export function communityOf(event: DomainEvent): string | null {
  const kind = eventKind(event.type) as EventKind | undefined;
  if (kind?.communityId) return kind.communityId(event);
  const communityId = (event as { communityId?: unknown }).communityId;
  return typeof communityId === 'string' ? communityId : null;
}

export function liveTopicsOf(event: DomainEvent): string[] {
  const kind = eventKind(event.type) as EventKind | undefined;
  return kind?.topics?.(event) ?? [];
}

export function memberTopicsOf(event: DomainEvent): string[] {
  const kind = eventKind(event.type) as EventKind | undefined;
  return kind?.memberTopics?.(event) ?? [];
}
