import { randomUUID } from 'node:crypto';
import type { Context } from '../context';
import { PRESENCE_HEARTBEAT_MS } from './presence';
import { Member } from '../modules/members/member.entity';
import { PresenceSnapshot } from './live.types';

export interface PresenceTopic {
  /** The store's key, e.g. `thread:<uuid>`. */
  key: string;
  /** The global ID clients asked for. */
  topicId: string;
}

/**
 * `presence(topicId)`: the signed-in subscriber is here for as long as the subscription lives (renewed by a
 * heartbeat, so a crashed instance's entries expire), and receives a snapshot at once and after every change.
 * `beforeEach` renews the request scope and re-checks rights before every push.
 */
export function presenceStream(ctx: Context, topic: PresenceTopic, beforeEach: () => Promise<void>): AsyncIterableIterator<PresenceSnapshot> {
  const { presence } = ctx.services;
  const stop = new AbortController();
  const connectionId = randomUUID();
  const memberId = ctx.viewer?.id ?? null;
  const changes = presence.changes(topic.key, stop.signal)[Symbol.asyncIterator]();
  let heartbeat: NodeJS.Timeout | null = null;
  let started = false;
  let ended = false;
  let lastSignature = '';
  let pendingChange: Promise<IteratorResult<void>> | null = null;

  const finished = { value: undefined, done: true } as const;

  async function end(): Promise<void> {
    if (ended) return;
    ended = true;
    stop.abort();
    if (heartbeat) clearInterval(heartbeat);
    if (memberId) await presence.leave(topic.key, memberId, connectionId).catch(() => undefined);
  }

  async function snapshot(): Promise<PresenceSnapshot> {
    const ids = await presence.here(topic.key);
    const members = (await ctx.loaders.byId(Member).loadMany(ids)).filter(
      (m): m is Member => m instanceof Member && m.appearInPresence,
    );
    return Object.assign(new PresenceSnapshot(), { topicId: topic.topicId, count: ids.length, here: members });
  }

  const iterator: AsyncIterableIterator<PresenceSnapshot> = {
    async next() {
      try {
        if (!started) {
          started = true;
          // Start listening before the first snapshot, so a change between the two is not missed.
          pendingChange = changes.next();
          if (memberId) {
            await presence.enter(topic.key, memberId, connectionId);
            heartbeat = setInterval(() => void presence.enter(topic.key, memberId, connectionId).catch(() => undefined), PRESENCE_HEARTBEAT_MS);
            heartbeat.unref();
          }
          const first = await snapshot();
          lastSignature = `${first.count}:${first.here.map((m) => m.id).join(',')}`;
          return { value: first, done: false };
        }
        for (;;) {
          const { done } = await (pendingChange ?? changes.next());
          pendingChange = null;
          if (done || ended) return finished;
          await beforeEach();
          const value = await snapshot();
          const signature = `${value.count}:${value.here.map((m) => m.id).join(',')}`;
          if (signature === lastSignature) continue;
          lastSignature = signature;
          return { value, done: false };
        }
      } catch (error) {
        await end();
        throw error;
      }
    },
    async return() {
      await end();
      return finished;
    },
    async throw(error: unknown) {
      await end();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
