import { ReplyToThreadDocument, ThreadActivitySinceDocument, type ThreadActivitySinceSubscription } from '../generated/graphql';
import { eventually, subscribe, trackSockets } from '../support/live';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { threadTopic } from '../../src/realtime/events';
import { logEvent } from '../../src/realtime/eventLog';
import type { Em } from '../../src/db/orm';

let server: TestServer;
const openOn = trackSockets();
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const open = (token?: string | null) => openOn(server, token);
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

  it('never lets an event that commits late fall behind a cursor a client has seen (another writer holds its transaction open)', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const reader = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const topic = threadTopic(thread.thread.id);
    const reply = async (body: string) =>
      expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body } }, { token: author.token }));

    const leaving = subscribe(open(reader.token), ThreadActivitySinceDocument, { threadId: thread.id });
    const staying = subscribe(open(reader.token), ThreadActivitySinceDocument, { threadId: thread.id });
    await eventually(() => server.app.services.events.listenerCount(topic) === 2);
    await reply('zero');
    await leaving.next(1);

    // Another instance logs a reply it wrote, and its transaction stays open: its event takes its place in the
    // stream now and commits later. (It never publishes it either, as if it died right after committing.)
    const other = await server.factories.post(thread, author, { body: 'held back' });
    const writer = server.app.services.orm.em.fork() as Em;
    await writer.begin();
    let replied: Promise<unknown> = Promise.resolve();
    try {
      await logEvent(writer, { type: 'PostAdded', threadId: thread.thread.id, communityId: community.community.id, postId: other.post.id });
      // The reply records its event in its own transaction, after the held-back one in the stream: it waits for
      // the other writer's commit rather than be seen first.
      let done = false;
      replied = reply('after').then(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(done).toBe(false);
      // The client leaves with the last cursor it has seen, before the other writer commits.
      leaving.unsubscribe();
      await eventually(() => server.app.services.events.listenerCount(topic) === 1);
    } finally {
      await writer.commit();
    }
    await replied;
    await server.app.services.events.settled();

    const lastCursor = (leaving.events.at(-1)!.threadActivity as { cursor: string }).cursor;
    const resumed = subscribe(open(reader.token), ThreadActivitySinceDocument, { threadId: thread.id, since: lastCursor });
    await eventually(() => server.app.services.events.listenerCount(topic) === 2);
    await staying.next(3);
    await resumed.next(2).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Whatever the leaving client saw live, it and its resumption together saw every reply once, in order.
    expect([...leaving.events, ...resumed.events].map(bodyOf)).toEqual(['zero', 'held back', 'after']);
    // A client connected throughout gets the held-back reply (read from the log) before the one that waited for it.
    expect(staying.events.map(bodyOf)).toEqual(['zero', 'held back', 'after']);
    const cursors = staying.events.map((e) => BigInt((e.threadActivity as { cursor: string }).cursor));
    expect(cursors).toEqual([cursors[0]!, cursors[0]! + 1n, cursors[0]! + 2n]);
  });
});
