import { ChangeSignals, PRESENCE_TTL_MS, type PresenceStore } from '../presence';
import type { RedisLink } from './link';

/**
 * Shared by every script: Redis's own clock (so instances with skewed clocks agree on what expired) and the
 * pruning of expired entries, which also removes members whose last entry expired.
 *
 * Keys of a topic (one hash tag, so a script's keys stay together on a cluster):
 *   KEYS[1] entries  sorted set `memberId|connectionId` -> expires at (ms, Redis time)
 *   KEYS[2] members  sorted set memberId -> arrival number (who is here, in order of arrival)
 *   KEYS[3] counts   hash memberId -> number of live entries
 *   KEYS[4] arrivals counter giving arrival numbers
 */
const PRELUDE = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local function gone(member)
  if redis.call('HINCRBY', KEYS[3], member, -1) <= 0 then
    redis.call('HDEL', KEYS[3], member)
    redis.call('ZREM', KEYS[2], member)
    return true
  end
  return false
end
local function prune()
  local changed = false
  local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
  for _, entry in ipairs(expired) do
    redis.call('ZREM', KEYS[1], entry)
    if gone(string.match(entry, '^([^|]*)|')) then changed = true end
  end
  return changed
end
`;

/** ARGV: memberId, entry, ttl ms, key ttl ms, change channel. Returns 1 when the member arrived. */
const ENTER = `${PRELUDE}
local changed = prune()
local arrived = 0
if redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2]) == 1 then
  if redis.call('HINCRBY', KEYS[3], ARGV[1], 1) == 1 then
    redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), ARGV[1])
    arrived = 1
    changed = true
  end
end
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[4]) end
if changed then redis.call('PUBLISH', ARGV[5], '') end
return arrived
`;

/** ARGV: memberId, entry, change channel. Returns 1 when the member left. */
const LEAVE = `${PRELUDE}
local left = 0
if redis.call('ZREM', KEYS[1], ARGV[2]) == 1 and gone(ARGV[1]) then left = 1 end
local pruned = prune()
if left == 1 or pruned then redis.call('PUBLISH', ARGV[3], '') end
return left
`;

/** ARGV: change channel. Returns the members here, in order of arrival. */
const HERE = `${PRELUDE}
if prune() then redis.call('PUBLISH', ARGV[1], '') end
return redis.call('ZRANGE', KEYS[2], 0, -1)
`;

/** ARGV: change channel. */
const PRUNE = `${PRELUDE}
if prune() then redis.call('PUBLISH', ARGV[1], '') end
return 0
`;

type Scripted = {
  presenceEnter(k1: string, k2: string, k3: string, k4: string, member: string, entry: string, ttl: number, keyTtl: number, channel: string): Promise<number>;
  presenceLeave(k1: string, k2: string, k3: string, k4: string, member: string, entry: string, channel: string): Promise<number>;
  presenceHere(k1: string, k2: string, k3: string, k4: string, channel: string): Promise<string[]>;
  presencePrune(k1: string, k2: string, k3: string, k4: string, channel: string): Promise<number>;
};

export interface RedisPresenceOptions {
  /** How long an entry lives without renewal (default PRESENCE_TTL_MS). */
  ttlMs?: number;
  /** How often topics followed on this instance are pruned (default: min(5 s, ttl)). */
  sweepMs?: number;
}

/**
 * Presence shared by several API instances through Redis: every change is one Lua script, so instances never see
 * half an update, and expiry is decided by Redis's clock. Entries expire `ttlMs` after their last renewal; each
 * instance prunes the topics its clients follow every few seconds (and every read prunes), so a crashed
 * instance's members disappear everywhere within the TTL plus one sweep. A topic's keys themselves expire when
 * nobody renews anything there. Changes are announced on `<prefix>presence:changed:<topic>`, to which an
 * instance subscribes (reference-counted, through the link) while it has local `changes()` listeners.
 */
export class RedisPresence implements PresenceStore {
  private readonly signals = new ChangeSignals();
  private readonly redis: Scripted;
  private readonly ttlMs: number;
  private readonly keyTtlMs: number;
  private readonly channelPrefix: string;
  /** Topics with local `changes()` listeners -> how many; these are swept. */
  private readonly followed = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly stopReconnect: () => void;
  private sweeping = false;

  constructor(
    private readonly link: RedisLink,
    options: RedisPresenceOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? PRESENCE_TTL_MS;
    this.keyTtlMs = 2 * this.ttlMs + 5_000;
    this.channelPrefix = `${link.prefix}presence:changed:`;
    const commands = link.commands;
    if (!('presenceEnter' in commands)) {
      commands.defineCommand('presenceEnter', { numberOfKeys: 4, lua: ENTER });
      commands.defineCommand('presenceLeave', { numberOfKeys: 4, lua: LEAVE });
      commands.defineCommand('presenceHere', { numberOfKeys: 4, lua: HERE });
      commands.defineCommand('presencePrune', { numberOfKeys: 4, lua: PRUNE });
    }
    this.redis = commands as unknown as Scripted;
    link.onMessage(this.channelPrefix, (topic) => this.signals.notify(topic));
    // Changes announced while the subscriber was away were missed: tell every local follower to look again.
    this.stopReconnect = link.onReconnect(() => {
      for (const topic of this.followed.keys()) this.signals.notify(topic);
    });
    this.sweeper = setInterval(() => void this.sweep(), options.sweepMs ?? Math.min(5_000, this.ttlMs)).unref();
  }

  async enter(topic: string, memberId: string, connectionId: string): Promise<boolean> {
    const arrived = await this.link.guard(
      this.redis.presenceEnter(...this.keys(topic), memberId, `${memberId}|${connectionId}`, this.ttlMs, this.keyTtlMs, this.channelPrefix + topic),
    );
    return arrived === 1;
  }

  async leave(topic: string, memberId: string, connectionId: string): Promise<boolean> {
    const left = await this.link.guard(this.redis.presenceLeave(...this.keys(topic), memberId, `${memberId}|${connectionId}`, this.channelPrefix + topic));
    return left === 1;
  }

  here(topic: string): Promise<string[]> {
    return this.link.guard(this.redis.presenceHere(...this.keys(topic), this.channelPrefix + topic));
  }

  async *changes(topic: string, signal: AbortSignal): AsyncIterable<void> {
    if (signal.aborted) return;
    const channel = this.channelPrefix + topic;
    this.followed.set(topic, (this.followed.get(topic) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const count = this.followed.get(topic) ?? 1;
      if (count > 1) this.followed.set(topic, count - 1);
      else this.followed.delete(topic);
      this.link.release(channel);
    };
    signal.addEventListener('abort', release, { once: true });
    try {
      // Listen (buffering) before Redis confirms the channel, so nothing announced right after is missed.
      const notifications = this.signals.listen(topic, signal);
      const fresh = await this.link.retain(channel, signal);
      if (signal.aborted) return;
      // A change announced before Redis subscribed this instance to the channel never reached it: when the
      // channel is new, notify once so the follower reads who is here again (readers compare snapshots).
      if (fresh) yield;
      for await (const _ of notifications) yield;
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    } finally {
      signal.removeEventListener('abort', release);
      release();
    }
  }

  /** Stops sweeping; the connections belong to the link, which the caller closes. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.stopReconnect();
  }

  private keys(topic: string): [string, string, string, string] {
    const base = `${this.link.prefix}presence:{${topic}}:`;
    return [`${base}entries`, `${base}members`, `${base}counts`, `${base}arrivals`];
  }

  /** Prunes the topics followed here, so expired entries (a crashed instance's) are announced without a read. */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.followed.size === 0 || this.link.commands.status !== 'ready') return;
    this.sweeping = true;
    try {
      await Promise.all(
        [...this.followed.keys()].map((topic) => this.link.guard(this.redis.presencePrune(...this.keys(topic), this.channelPrefix + topic))),
      );
    } catch {
      // Redis is away; the link logs that, and the next sweep tries again.
    } finally {
      this.sweeping = false;
    }
  }
}
