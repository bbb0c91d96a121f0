import { EventEmitter, on } from 'node:events';

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

export const PRESENCE_TTL_MS = 30_000;
/** How often a present connection renews its entries (well within the TTL). */
export const PRESENCE_HEARTBEAT_MS = 10_000;

/** One instance's presence (no REDIS_URL). Expiry still runs, so the behaviour matches the shared store. */
export class InProcessPresence implements PresenceStore {
  /** topic -> member -> connection -> expires at (ms). */
  private readonly topics = new Map<string, Map<string, Map<string, number>>>();
  private readonly emitter = new EventEmitter();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly ttlMs = PRESENCE_TTL_MS) {
    this.emitter.setMaxListeners(0);
    this.sweeper = setInterval(() => this.sweep(), Math.min(5_000, ttlMs)).unref();
  }

  async enter(topic: string, memberId: string, connectionId: string): Promise<boolean> {
    const members = this.topics.get(topic) ?? new Map<string, Map<string, number>>();
    this.topics.set(topic, members);
    const connections = members.get(memberId) ?? new Map<string, number>();
    const arrived = connections.size === 0;
    connections.set(connectionId, Date.now() + this.ttlMs);
    members.set(memberId, connections);
    if (arrived) this.emitter.emit(topic);
    return arrived;
  }

  async leave(topic: string, memberId: string, connectionId: string): Promise<boolean> {
    const connections = this.topics.get(topic)?.get(memberId);
    if (!connections?.delete(connectionId)) return false;
    if (connections.size > 0) return false;
    this.topics.get(topic)!.delete(memberId);
    if (this.topics.get(topic)!.size === 0) this.topics.delete(topic);
    this.emitter.emit(topic);
    return true;
  }

  async here(topic: string): Promise<string[]> {
    return [...(this.topics.get(topic)?.keys() ?? [])];
  }

  async *changes(topic: string, signal: AbortSignal): AsyncIterable<void> {
    try {
      for await (const _ of on(this.emitter, topic, { signal })) yield;
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
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
      if (changed) this.emitter.emit(topic);
    }
  }
}
