import { NotificationAddedDocument, ReplyToThreadDocument, type NotificationAddedSubscription } from '../generated/graphql';
import { memberTopic } from '../../src/realtime/events';
import { eventually, subscribe, trackSockets } from '../support/live';
import { deleteRedisKeys, requireRedis, startPeerServer, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/redis';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { captureMail } from './support';

const PREFIX = uniqueRedisPrefix('notify');
let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  await requireRedis();
  a = await startTestServer({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: PREFIX, EMAIL_DELAY_SECONDS: '3600' });
  // B works no jobs and never polls the outbox: what its subscriber gets can only have come through Redis from A.
  b = await startPeerServer(a, { JOBS_ENABLED: 'false', EVENT_POLL_MS: '600000' });
  captureMail(a);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await deleteRedisKeys(PREFIX);
});
const open = trackSockets();

describe('notificationAdded across instances (Redis)', () => {
  it('reaches a subscriber on another instance than the one the reply was made on, once', async () => {
    const community = await a.factories.community();
    const author = await a.factories.activeMember(community);
    const replier = await a.factories.activeMember(community);
    const thread = await a.factories.thread(community, author, { title: 'Across' });
    const subscription = subscribe(open(b, author.token), NotificationAddedDocument, {});
    await eventually(() => b.app.services.transport.listenerCount(memberTopic(author.member.id)) === 1);
    expectData(await a.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Hello from A' } }, { token: replier.token }));
    const [event] = (await subscription.next(1, 10_000)) as NotificationAddedSubscription[];
    expect(event!.notificationAdded).toMatchObject({ kind: 'REPLY_TO_THREAD', title: `${replier.member.displayName} replied to your thread “Across”` });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(subscription.events).toHaveLength(1);
  });
});
