import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { PresenceDocument, ReplyToThreadDocument, SetTypingDocument, ThreadActivityDocument, TypingActivityDocument } from '../generated/graphql';
import { eventually, subscribe, trackSockets } from '../support/live';
import { deleteRedisKeys, requireRedis, startPeerServer, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/redis';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { loadConfig } from '../../src/config';
import { communityTopic, InProcessEventBus, threadTopic, type PublishedEvent } from '../../src/realtime/events';
import { InProcessPresence } from '../../src/realtime/presence';
import { RedisEventBus } from '../../src/realtime/redis/eventBus';
import { RedisLink, type RedisLinkOptions } from '../../src/realtime/redis/link';
import { RedisPresence } from '../../src/realtime/redis/presence';
import { createLiveServices } from '../../src/realtime/liveServices';
import { captureLogs } from '../support/logs';

const PREFIX = uniqueRedisPrefix('multi');
const CURSOR = /^[0-9a-z]{9}\.[0-9a-z]+$/;

/** Redis as another instance sees it, to count subscribers of a channel. */
let observer: Redis;
const subscribers = async (channel: string) => {
  const [, count] = (await observer.pubsub('NUMSUB', channel)) as [string, number];
  return Number(count);
};
async function eventuallyAsync(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('Condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Links made by a test, closed after it (an "instance" is a link with its bus and store). */
const links: RedisLink[] = [];
const stores: RedisPresence[] = [];
function instance(options: RedisLinkOptions & { ttlMs?: number } = {}, url = TEST_REDIS_URL) {
  const link = new RedisLink(url, { prefix: PREFIX, ...options });
  links.push(link);
  const presence = new RedisPresence(link, { ttlMs: options.ttlMs });
  stores.push(presence);
  return { link, events: new RedisEventBus(link), presence };
}

/** Collects an async iterable in the background until `controller` aborts. */
function collect<T>(iterable: AsyncIterable<T>) {
  const items: T[] = [];
  const done = (async () => {
    for await (const item of iterable) items.push(item);
  })();
  return { items, done };
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  await requireRedis();
  observer = new Redis(TEST_REDIS_URL);
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await Promise.all(links.splice(0).map((link) => link.close()));
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
  await deleteRedisKeys(PREFIX);
  observer.disconnect();
});

describe('two API instances on one database and one Redis', () => {
  let a: TestServer;
  let b: TestServer;
  const open = trackSockets();

  beforeAll(async () => {
    a = await startTestServer({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: PREFIX });
    b = await startPeerServer(a);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  async function threadWorld() {
    const community = await a.factories.community({ visibility: 'RESTRICTED' as never });
    const author = await a.factories.activeMember(community);
    const reader = await a.factories.activeMember(community);
    const thread = await a.factories.thread(community, author);
    return { community, author, reader, thread };
  }

  it('uses the Redis services on both', () => {
    expect(a.app.services.presence).toBeInstanceOf(RedisPresence);
    expect(b.app.services.presence).toBeInstanceOf(RedisPresence);
    expect(b.config.databaseUrl).toBe(a.config.databaseUrl);
  });

  it('delivers a reply posted through B to subscribers on A and on B, once each, with one cursor', async () => {
    const { author, reader, thread } = await threadWorld();
    const onA = subscribe(open(a, reader.token), ThreadActivityDocument, { threadId: thread.id });
    const onB = subscribe(open(b, reader.token), ThreadActivityDocument, { threadId: thread.id });
    const topic = threadTopic(thread.thread.id);
    await eventually(() => a.app.services.events.listenerCount(topic) === 1 && b.app.services.events.listenerCount(topic) === 1);

    const { replyToThread } = expectData(await b.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Hello from B' } }, { token: author.token }));
    const [fromA] = await onA.next(1);
    const [fromB] = await onB.next(1);
    expect(fromA!.threadActivity).toMatchObject({
      __typename: 'PostAdded',
      cursor: expect.any(String),
      post: { id: replyToThread.id, body: 'Hello from B', author: { id: author.id } },
    });
    expect(fromB!.threadActivity).toEqual(fromA!.threadActivity);

    expectData(await a.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'And from A' } }, { token: author.token }));
    await onA.next(2);
    await onB.next(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(onA.events.map((e) => (e.threadActivity as { post?: { body: string } }).post?.body)).toEqual(['Hello from B', 'And from A']);
    expect(onB.events.map((e) => (e.threadActivity as { post?: { body: string } }).post?.body)).toEqual(['Hello from B', 'And from A']);
    expect([...onA.errors, ...onB.errors]).toEqual([]);
  });

  it('carries typing from B to A', async () => {
    const { author, reader, thread } = await threadWorld();
    const onA = subscribe(open(a, reader.token), TypingActivityDocument, { threadId: thread.id });
    await eventually(() => a.app.services.events.listenerCount(threadTopic(thread.thread.id)) === 1);
    expect(expectData(await b.gql(SetTypingDocument, { input: { threadId: thread.id, typing: true } }, { token: author.token })).setTyping).toBe(true);
    const [event] = await onA.next(1);
    expect(event!.threadActivity).toMatchObject({ __typename: 'TypingChanged', typing: true });
    expectData(await b.gql(SetTypingDocument, { input: { threadId: thread.id, typing: false } }, { token: author.token }));
    const [, stopped] = await onA.next(2);
    expect(stopped!.threadActivity).toMatchObject({ __typename: 'TypingChanged', typing: false });
  });

  it('counts members present on either instance, once each', async () => {
    const { community, author, reader, thread } = await threadWorld();
    const onA = subscribe(open(a, author.token), PresenceDocument, { topicId: thread.id });
    await onA.next(1);
    const onB = subscribe(open(b, reader.token), PresenceDocument, { topicId: thread.id });
    const alsoOnB = subscribe(open(b, author.token), PresenceDocument, { topicId: thread.id });
    const both = (events: typeof onA.events) => events.at(-1)?.presence.count === 2;
    await eventually(() => both(onA.events) && both(onB.events) && both(alsoOnB.events));
    expect(onA.events.at(-1)!.presence.here.map((m) => m.id)).toEqual([author.id, reader.id]);

    onB.unsubscribe();
    await eventually(() => onA.events.at(-1)?.presence.count === 1);
    expect(onA.events.at(-1)!.presence.here.map((m) => m.id)).toEqual([author.id]);
    expect(await b.app.services.presence.here(threadTopic(thread.thread.id))).toEqual([author.member.id]);
    expect(community).toBeDefined();
  });

  it('subscribes to a Redis channel while an instance has followers, and unsubscribes after the last', async () => {
    const { reader, thread } = await threadWorld();
    const channel = `${PREFIX}events:${threadTopic(thread.thread.id)}`;
    const topic = threadTopic(thread.thread.id);
    const first = subscribe(open(a, reader.token), ThreadActivityDocument, { threadId: thread.id });
    const second = subscribe(open(a, reader.token), ThreadActivityDocument, { threadId: thread.id });
    const third = subscribe(open(b, reader.token), ThreadActivityDocument, { threadId: thread.id });
    await eventually(() => a.app.services.events.listenerCount(topic) === 2 && b.app.services.events.listenerCount(topic) === 1);
    expect(await subscribers(channel)).toBe(2);
    first.unsubscribe();
    await eventually(() => a.app.services.events.listenerCount(topic) === 1);
    expect(await subscribers(channel)).toBe(2);
    second.unsubscribe();
    third.unsubscribe();
    await eventuallyAsync(async () => (await subscribers(channel)) === 0);
    expect(a.app.services.events.listenerCount(topic)).toBe(0);
  });

  it('keeps serving HTTP, and accepts writes, on an instance whose Redis is unreachable', async () => {
    const { author, thread } = await threadWorld();
    const warn = captureLogs();
    const orphan = await startPeerServer(a, { REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      expect(orphan.app.services.presence).toBeInstanceOf(RedisPresence);
      const { replyToThread } = expectData(await orphan.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Redis is down' } }, { token: author.token }));
      expect(replyToThread.body).toBe('Redis is down');
      expect((await orphan.raw({ query: '{ __typename }' })).data).toEqual({ __typename: 'Query' });
    } finally {
      await orphan.close();
      warn.restore();

    }
  });
});

describe('createLiveServices', () => {
  it('is in-process without REDIS_URL and Redis-backed with it', async () => {
    const base = { JWT_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp/practicehub-test' };
    const local = await createLiveServices(loadConfig(base));
    expect(local.events).toBeInstanceOf(InProcessEventBus);
    expect(local.presence).toBeInstanceOf(InProcessPresence);
    await local.close();
    const shared = await createLiveServices(loadConfig({ ...base, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: PREFIX }));
    expect(shared.events).toBeInstanceOf(RedisEventBus);
    expect(shared.presence).toBeInstanceOf(RedisPresence);
    await shared.close();
  });
});

describe('RedisEventBus', () => {
  const postIdOf = (event: PublishedEvent) => ('postId' in event ? event.postId : null);
  const post = (threadId: string, communityId: string) => ({ type: 'PostAdded' as const, threadId, communityId, postId: randomUUID() });

  it('delivers an event published on one instance to subscribers on both, once each', async () => {
    const one = instance();
    const two = instance();
    const [threadId, communityId] = [randomUUID(), randomUUID()];
    const stop = new AbortController();
    const onOne = collect(one.events.subscribe(threadTopic(threadId), stop.signal));
    const onTwo = collect(two.events.subscribe(threadTopic(threadId), stop.signal));
    const onTwoCommunity = collect(two.events.subscribe(communityTopic(communityId), stop.signal));
    await eventually(() => one.events.listenerCount(threadTopic(threadId)) === 1 && two.events.listenerCount(threadTopic(threadId)) === 1);
    await eventually(() => two.events.listenerCount(communityTopic(communityId)) === 1);

    const first = post(threadId, communityId);
    const second = post(threadId, communityId);
    one.events.publish(first);
    two.events.publish(second);
    await eventually(() => onOne.items.length === 2 && onTwo.items.length === 2 && onTwoCommunity.items.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop.abort();
    await Promise.all([onOne.done, onTwo.done, onTwoCommunity.done]);

    for (const items of [onOne.items, onTwo.items, onTwoCommunity.items]) {
      expect(items).toHaveLength(2);
      expect(new Set(items.map((e) => postIdOf(e)))).toEqual(new Set([first.postId, second.postId]));
      for (const event of items) {
        expect(event).toMatchObject({ type: 'PostAdded', threadId, communityId, cursor: expect.stringMatching(CURSOR) });
        expect(new Date(event.at).toISOString()).toBe(event.at);
      }
    }
    // The same event carries the same cursor everywhere.
    const cursorOf = (items: PublishedEvent[], postId: string) => items.find((e) => postIdOf(e) === postId)!.cursor;
    expect(cursorOf(onTwo.items, first.postId)).toBe(cursorOf(onOne.items, first.postId));
    expect(cursorOf(onOne.items, second.postId)).toBe(cursorOf(onTwo.items, second.postId));
    expect(cursorOf(onOne.items, first.postId)).not.toBe(cursorOf(onOne.items, second.postId));
  });

  it('keeps the cursor an event already has (from the event log)', async () => {
    const one = instance();
    const two = instance();
    const threadId = randomUUID();
    const stop = new AbortController();
    const seen = collect(two.events.subscribe(threadTopic(threadId), stop.signal));
    await eventually(() => two.events.listenerCount(threadTopic(threadId)) === 1);
    const logged = { ...post(threadId, randomUUID()), cursor: '4711', at: '2026-11-23T20:00:00.000Z' };
    one.events.publish(logged);
    await eventually(() => seen.items.length === 1);
    stop.abort();
    await seen.done;
    expect(seen.items).toEqual([logged]);
  });

  it('gives one instance time-ordered cursors that sort as strings', async () => {
    const one = instance();
    const threadId = randomUUID();
    const stop = new AbortController();
    const seen = collect(one.events.subscribe(threadTopic(threadId), stop.signal));
    await eventually(() => one.events.listenerCount(threadTopic(threadId)) === 1);
    for (let i = 0; i < 50; i += 1) one.events.publish({ type: 'TypingChanged', threadId, communityId: randomUUID(), memberId: randomUUID(), typing: true });
    await eventually(() => seen.items.length === 50);
    stop.abort();
    await seen.done;
    const cursors = seen.items.map((e) => e.cursor);
    expect([...cursors].sort()).toEqual(cursors);
    expect(new Set(cursors).size).toBe(50);
  });

  it('stops a subscriber that aborts without resuming, and leaves the Redis channel', async () => {
    const one = instance();
    const threadId = randomUUID();
    const channel = `${PREFIX}events:${threadTopic(threadId)}`;
    const stop = new AbortController();
    const iterator = one.events.subscribe(threadTopic(threadId), stop.signal)[Symbol.asyncIterator]();
    const pending = iterator.next();
    await eventually(() => one.events.listenerCount(threadTopic(threadId)) === 1);
    expect(await subscribers(channel)).toBe(1);
    expect(one.link.channels).toEqual([channel]);
    stop.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(one.events.listenerCount(threadTopic(threadId))).toBe(0);
    expect(one.link.channels).toEqual([]);
    await eventuallyAsync(async () => (await subscribers(channel)) === 0);
  });

  it('does nothing for a subscriber aborted before it started', async () => {
    const one = instance();
    const stop = new AbortController();
    stop.abort();
    const seen = collect(one.events.subscribe(threadTopic(randomUUID()), stop.signal));
    await seen.done;
    expect(seen.items).toEqual([]);
    expect(one.link.channels).toEqual([]);
  });

  it('ignores malformed messages on its channels', async () => {
    const log = jest.fn();
    const one = instance({ log });
    const threadId = randomUUID();
    const stop = new AbortController();
    const seen = collect(one.events.subscribe(threadTopic(threadId), stop.signal));
    await eventually(() => one.events.listenerCount(threadTopic(threadId)) === 1);
    await observer.publish(`${PREFIX}events:${threadTopic(threadId)}`, 'not json');
    await observer.publish(`${PREFIX}events:${threadTopic(threadId)}`, JSON.stringify({ o: 'elsewhere', e: {} }));
    const other = instance();
    other.events.publish({ type: 'TypingChanged', threadId, communityId: randomUUID(), memberId: randomUUID(), typing: false });
    await eventually(() => seen.items.length === 1);
    stop.abort();
    await seen.done;
    expect(seen.items[0]).toMatchObject({ type: 'TypingChanged', typing: false });
    expect(log).toHaveBeenCalledTimes(2);
  });
});

describe('RedisPresence (two stores on one Redis)', () => {
  const topic = () => threadTopic(randomUUID());

  it('counts a member present on both instances once, in order of arrival', async () => {
    const [one, two] = [instance(), instance()];
    const t = topic();
    expect(await one.presence.enter(t, 'ada', 'c1')).toBe(true);
    expect(await two.presence.enter(t, 'ada', 'c2')).toBe(false);
    expect(await two.presence.enter(t, 'bo', 'c3')).toBe(true);
    expect(await one.presence.enter(t, 'ada', 'c1')).toBe(false); // a renewal
    expect(await one.presence.here(t)).toEqual(['ada', 'bo']);
    expect(await two.presence.here(t)).toEqual(['ada', 'bo']);
    expect(await one.presence.here(topic())).toEqual([]);
  });

  it('keeps a member who leaves on one instance but is still here on the other', async () => {
    const [one, two] = [instance(), instance()];
    const t = topic();
    await one.presence.enter(t, 'ada', 'c1');
    await two.presence.enter(t, 'ada', 'c2');
    await two.presence.enter(t, 'bo', 'c3');
    expect(await one.presence.leave(t, 'ada', 'c1')).toBe(false);
    expect(await two.presence.here(t)).toEqual(['ada', 'bo']);
    expect(await one.presence.leave(t, 'ada', 'c1')).toBe(false); // already gone
    expect(await one.presence.leave(t, 'nobody', 'c9')).toBe(false);
    expect(await two.presence.leave(t, 'ada', 'c2')).toBe(true);
    expect(await one.presence.here(t)).toEqual(['bo']);
    // Coming back puts a member at the end.
    expect(await one.presence.enter(t, 'ada', 'c4')).toBe(true);
    expect(await two.presence.here(t)).toEqual(['bo', 'ada']);
  });

  it('notifies the other instance when who is here changes, not on renewals', async () => {
    const [one, two] = [instance(), instance()];
    const t = topic();
    const stop = new AbortController();
    const seen = collect(two.presence.changes(t, stop.signal));
    // The first follower of a topic on an instance is told to look once the channel is subscribed (what changed
    // before then did not reach the instance).
    await eventually(() => seen.items.length === 1);
    expect(await subscribers(`${PREFIX}presence:changed:${t}`)).toBe(1);
    await one.presence.enter(t, 'ada', 'c1');
    await eventually(() => seen.items.length === 2);
    await one.presence.enter(t, 'ada', 'c1');
    await one.presence.enter(t, 'ada', 'c2');
    await one.presence.leave(t, 'ada', 'c2');
    await one.presence.leave(t, 'ada', 'c1');
    await eventually(() => seen.items.length === 3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.items).toHaveLength(3);
    // A second follower on the same instance joins the live channel: no extra notification.
    const again = collect(two.presence.changes(t, stop.signal));
    await one.presence.enter(t, 'bo', 'c3');
    await eventually(() => seen.items.length === 4 && again.items.length === 1);
    stop.abort();
    await Promise.all([seen.done, again.done]);
    await eventuallyAsync(async () => (await subscribers(`${PREFIX}presence:changed:${t}`)) === 0);
  });

  it("expires a crashed instance's entries after the TTL and tells the others", async () => {
    const ttlMs = 300;
    const crashed = instance({ ttlMs });
    const survivor = instance({ ttlMs });
    const t = topic();
    const stop = new AbortController();
    const seen = collect(survivor.presence.changes(t, stop.signal));
    await eventually(() => seen.items.length === 1);
    await crashed.presence.enter(t, 'ada', 'c1');
    await survivor.presence.enter(t, 'bo', 'c2');
    await eventually(() => seen.items.length >= 3);
    // The crashed instance stops renewing (and leaves nothing); the survivor keeps renewing its own.
    await crashed.presence.close();
    await crashed.link.close();
    const heartbeat = setInterval(() => void survivor.presence.enter(t, 'bo', 'c2'), 100);
    try {
      const started = Date.now();
      await eventually(() => seen.items.length >= 4, 2_000);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(await survivor.presence.here(t)).toEqual(['bo']);
    } finally {
      clearInterval(heartbeat);
      stop.abort();
      await seen.done;
    }
  });

  it('prunes expired entries on read even when nobody sweeps', async () => {
    const one = instance({ ttlMs: 200 });
    const t = topic();
    await one.presence.enter(t, 'ada', 'c1');
    expect(await one.presence.here(t)).toEqual(['ada']);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await one.presence.here(t)).toEqual([]);
    expect(await one.presence.enter(t, 'ada', 'c1')).toBe(true);
  });

  it("lets a topic's keys expire when nobody renews them", async () => {
    const one = instance({ ttlMs: 200 });
    const t = topic();
    await one.presence.enter(t, 'ada', 'c1');
    const keys = await observer.keys(`${PREFIX}presence:{${t}}:*`);
    expect(keys.sort()).toEqual(['arrivals', 'counts', 'entries', 'members'].map((k) => `${PREFIX}presence:{${t}}:${k}`));
    for (const key of keys) {
      const ttl = await observer.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(2 * 200 + 5_000);
    }
  });
});

describe('with Redis unreachable', () => {
  const DOWN = 'redis://127.0.0.1:1';

  it('neither crashes nor throws: publish drops past its bound, local subscribers still receive, presence fails fast', async () => {
    const log = jest.fn();
    const down = instance({ log, maxPendingPublishes: 5 }, DOWN);
    const threadId = randomUUID();
    const stop = new AbortController();
    const seen = collect(down.events.subscribe(threadTopic(threadId), stop.signal));
    await eventually(() => down.events.listenerCount(threadTopic(threadId)) === 1);
    for (let i = 0; i < 50; i += 1) {
      expect(() => down.events.publish({ type: 'PostAdded', threadId, communityId: randomUUID(), postId: randomUUID() })).not.toThrow();
    }
    expect(down.link.pendingPublishes).toBeLessThanOrEqual(5);
    await eventually(() => seen.items.length === 50);
    await expect(down.presence.enter(threadTopic(threadId), 'ada', 'c1')).rejects.toThrow();
    await eventually(() => log.mock.calls.length > 0);
    expect(log.mock.calls.some(([message]) => /connection error/.test(String(message)))).toBe(true);
    // Queued publishes are failed after a few reconnect attempts, not kept forever.
    await eventually(() => down.link.pendingPublishes === 0);
    stop.abort();
    await seen.done;
    const started = Date.now();
    await down.presence.close();
    await down.link.close();
    expect(Date.now() - started).toBeLessThan(500);
  });
});

