import { ReplyToThreadDocument, ThreadActivityDocument } from '../generated/graphql';
import { captureLogs } from '../support/logs';
import { eventually, subscribe, trackSockets } from '../support/live';
import { startPeerServer, uniqueRedisPrefix } from '../support/redis';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { threadTopic } from '../../src/realtime/events';
import { freePort, ThrowawayRedis } from '../../bench/support/faultsCluster';

/**
 * Redis killed (SIGKILL) under two running instances and started again on its port (the CI part of
 * `bench:faults`' Redis phase): a reply acknowledged by B while Redis is away still reaches a subscriber on A
 * once Redis is back, exactly once, without the client reconnecting (A reads the event log after Redis reconnects).
 */
describe('Redis killed and started again under two instances', () => {
  let redis: ThrowawayRedis;
  let a: TestServer;
  let b: TestServer;
  const open = trackSockets();
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    redis = new ThrowawayRedis(await freePort());
    await redis.start();
    logs = captureLogs();
    a = await startTestServer({ REDIS_URL: redis.url, REDIS_PREFIX: uniqueRedisPrefix('restart') });
    b = await startPeerServer(a);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await redis?.kill();
    logs?.restore();
  });

  it('delivers what was acknowledged while Redis was away once it is back, once, to a subscriber on the other instance', async () => {
    const community = await a.factories.community();
    const author = await a.factories.activeMember(community);
    const reader = await a.factories.activeMember(community);
    const thread = await a.factories.thread(community, author);
    const onA = subscribe(open(a, reader.token), ThreadActivityDocument, { threadId: thread.id });
    await eventually(() => a.app.services.events.listenerCount(threadTopic(thread.thread.id)) === 1);

    expectData(await b.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'before' } }, { token: author.token }));
    await onA.next(1);

    await redis.kill();
    const { replyToThread } = expectData(await b.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'while Redis is away' } }, { token: author.token }));
    expect(replyToThread.body).toBe('while Redis is away');

    await redis.start();
    await onA.next(2, 15_000);
    expectData(await b.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'after' } }, { token: author.token }));
    await onA.next(3, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const bodies = onA.events.map((event) => (event.threadActivity as { post?: { body: string } }).post?.body);
    expect(bodies).toEqual(['before', 'while Redis is away', 'after']);
    const cursors = onA.events.map((event) => (event.threadActivity as { cursor: string }).cursor);
    expect(new Set(cursors).size).toBe(3);
    expect(onA.errors).toEqual([]);
  }, 60_000);
});
