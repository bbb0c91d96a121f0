import { ReplyToThreadDocument, ThreadActivitySinceDocument, type ThreadActivitySinceSubscription } from '../generated/graphql';
import { eventually, socketClient, subscribe, type SocketClient } from '../support/live';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { threadTopic } from '../../src/shared/events';

let server: TestServer;
const sockets: SocketClient[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.dispose()));
});
afterAll(() => server.close());

const open = (token?: string | null) => {
  const socket = socketClient(server, token);
  sockets.push(socket);
  return socket;
};
const bodyOf = (event: ThreadActivitySinceSubscription) =>
  event.threadActivity.__typename === 'PostAdded' ? event.threadActivity.post.body : null;

describe('resuming with since', () => {
  it('replays what a reconnecting client missed, then goes live, with no gap and no duplicate', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const reader = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const topic = threadTopic(thread.thread.id);
    const reply = async (body: string) =>
      expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body } }, { token: author.token }));

    const first = subscribe(open(reader.token), ThreadActivitySinceDocument, { threadId: thread.id });
    await eventually(() => server.app.services.events.listenerCount(topic) === 1);
    await reply('one');
    const [seen] = await first.next(1);
    const lastCursor = (seen!.threadActivity as { cursor: string }).cursor;
    first.unsubscribe();
    await eventually(() => server.app.services.events.listenerCount(topic) === 0);

    await reply('two');
    await reply('three');
    await server.app.services.events.settled();

    const resumed = subscribe(open(reader.token), ThreadActivitySinceDocument, { threadId: thread.id, since: lastCursor });
    await resumed.next(2);
    await eventually(() => server.app.services.events.listenerCount(topic) === 1);
    await reply('four');
    await resumed.next(3);
    expect(resumed.events.map(bodyOf)).toEqual(['two', 'three', 'four']);
    const cursors = resumed.events.map((e) => BigInt((e.threadActivity as { cursor: string }).cursor));
    expect(cursors.every((c, i) => i === 0 || c > cursors[i - 1]!)).toBe(true);
    expect(cursors[0]! > BigInt(lastCursor)).toBe(true);
  });

  it('without since, starts with live events only', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'before' } }, { token: author.token }));
    await server.app.services.events.settled();
    const live = subscribe(open(author.token), ThreadActivitySinceDocument, { threadId: thread.id });
    await eventually(() => server.app.services.events.listenerCount(threadTopic(thread.thread.id)) === 1);
    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'after' } }, { token: author.token }));
    await live.next(1);
    expect(live.events.map(bodyOf)).toEqual(['after']);
  });

  it('replays nothing to someone who may not read the thread', async () => {
    const community = await server.factories.restrictedCommunity();
    const author = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'secret' } }, { token: author.token }));
    await server.app.services.events.settled();
    const outsider = await server.factories.member();
    const attempt = subscribe(open(outsider.token), ThreadActivitySinceDocument, { threadId: thread.id, since: '0' });
    await attempt.ended;
    expect(attempt.events).toEqual([]);
    expect(attempt.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('rejects a cursor that is not one of ours', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const attempt = subscribe(open(), ThreadActivitySinceDocument, { threadId: thread.id, since: "1; drop table live_event" });
    await attempt.ended;
    expect(attempt.errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});
