
/**
 * Who is here, per topic (a community or a thread). A member counts once however many tabs or devices: each
 * connection is an entry, and the member is here while any entry is. Entries expire unless renewed, so a crashed
 * instance's members disappear by themselves.
 */
export interface PresenceStore {
  /** Adds or renews a connection's entry; resolves true when this changed who is here. */
  enter(topic: string, memberId: string, connectionId: string): Promise<boolean>;
  /** Removes a connection's entry; resolves true when this changed who is here. */
  leave(topic: string, memberId: string, connectionId: string): Promise<boolean>;
  /** Member IDs here now, in order of arrival. */
  here(topic: string): Promise<string[]>;
  /** Notifications that who is here changed, until `signal` aborts. */
  changes(topic: string, signal: AbortSignal): AsyncIterable<void>;
  close(): Promise<void>;
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * One listener of "who is here changed" on a topic: a flag rather than a queue, since changes that come while the
 * listener is busy collapse into one look at the latest state (Node's `events.on()` iterator, used before, kept a
 * queue of ~36 KB per listener).
 */
class ChangeSignal implements AsyncIterableIterator<void> {
  private pending = false;
  private waiting: ((result: IteratorResult<void, undefined>) => void) | null = null;
  private ended = false;

  constructor(
    private readonly signals: ChangeSignals,
    private readonly topic: string,
    private readonly signal: AbortSignal,
  ) {
    if (signal.aborted) this.ended = true;
    else signal.addEventListener('abort', this, { once: true });
  }

  fire(): void {
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = null;
      wake({ value: undefined, done: false });
    } else {
      this.pending = true;
    }
  }

  /** The signal aborted (an EventListener object: no closure per listener). */
  handleEvent(): void {
    this.end();
  }

  next(): Promise<IteratorResult<void, undefined>> {
    if (this.ended) return Promise.resolve(DONE);
    if (this.pending) {
      this.pending = false;
      return Promise.resolve({ value: undefined, done: false });
    }
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<void, undefined>> {
    this.end();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.signal.removeEventListener('abort', this);
    this.signals.remove(this.topic, this);
    const wake = this.waiting;
    this.waiting = null;
    wake?.(DONE);
  }
}

/** The change listeners of each topic. */
export class ChangeSignals {
  private readonly byTopic = new Map<string, Set<ChangeSignal>>();

  /** Notifications of changes on `topic` until `signal` aborts. */
  listen(topic: string, signal: AbortSignal): AsyncIterableIterator<void> {
    const listener = new ChangeSignal(this, topic, signal);
    if (!signal.aborted) {
      const listeners = this.byTopic.get(topic) ?? new Set<ChangeSignal>();
      listeners.add(listener);
      this.byTopic.set(topic, listeners);
    }
    return listener;
  }

  notify(topic: string): void {
    for (const listener of this.byTopic.get(topic) ?? []) listener.fire();
  }

  remove(topic: string, listener: ChangeSignal): void {
    const listeners = this.byTopic.get(topic);
    if (listeners?.delete(listener) && listeners.size === 0) this.byTopic.delete(topic);
  }
}

export const PRESENCE_TTL_MS = 30_000;
/** How often a present connection renews its entries (well within the TTL). */
export const PRESENCE_HEARTBEAT_MS = 10_000;

/** One instance's presence (no REDIS_URL). Expiry still runs, so the behaviour matches the shared store. */
export class InProcessPresence implements PresenceStore {
  /** topic -> member -> connection -> expires at (ms). */
  private readonly topics = new Map<string, Map<string, Map<string, number>>>();
  private readonly signals = new ChangeSignals();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly ttlMs = PRESENCE_TTL_MS) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(5_000, ttlMs)).unref();
  }

  async enter(topic: string, memberId: string, connectionId: string): Promise<boolean> {
    const members = this.topics.get(topic) ?? new Map<string, Map<string, number>>();
    this.topics.set(topic, members);
    const connections = members.get(memberId) ?? new Map<string, number>();
    const arrived = connections.size === 0;
    connections.set(connectionId, Date.now() + this.ttlMs);
    members.set(memberId, connections);
    if (arrived) this.signals.notify(topic);
    return arrived;
  }

  async leave(topic: string, memberId: string, connectionId: string): Promise<boolean> {
    const connections = this.topics.get(topic)?.get(memberId);
    if (!connections?.delete(connectionId)) return false;
    if (connections.size > 0) return false;
    this.topics.get(topic)!.delete(memberId);
    if (this.topics.get(topic)!.size === 0) this.topics.delete(topic);
    this.signals.notify(topic);
    return true;
  }

  async here(topic: string): Promise<string[]> {
    return [...(this.topics.get(topic)?.keys() ?? [])];
  }

  changes(topic: string, signal: AbortSignal): AsyncIterable<void> {
    return this.signals.listen(topic, signal);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [topic, members] of this.topics) {
      let changed = false;
      for (const [memberId, connections] of members) {
        for (const [connectionId, expiresAt] of connections) if (expiresAt <= now) connections.delete(connectionId);
        if (connections.size === 0) {
          members.delete(memberId);
          changed = true;
        }
      }
      if (members.size === 0) this.topics.delete(topic);
      if (changed) this.signals.notify(topic);
    }
  }
}
