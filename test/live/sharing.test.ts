import {
  LeaveCommunityDocument,
  ReactDocument,
  ReplyToThreadDocument,
  ThreadActivityPerViewerDocument,
  ThreadActivitySinceDocument,
  ThreadActivityWithPageDocument,
  type ThreadActivityPerViewerSubscription,
} from '../generated/graphql';
import { eventually, subscribe, trackSockets } from '../support/live';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { threadTopic } from '../../src/realtime/events';

/**
 * One event is executed once for every subscriber that would get the same result, and once per viewer when the
 * selection depends on who is asking: each subscriber must still see exactly what its own rights allow.
 */
let server: TestServer;
const openOn = trackSockets();
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const open = (token?: string | null) => openOn(server, token);
const followers = (threadId: string) => server.app.services.events.listenerCount(threadTopic(threadId));

describe('subscribers sharing a document', () => {
  it('each get their own viewer-dependent fields (email, viewerReacted)', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const reactor = await server.factories.activeMember(community);
    const bystander = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const variables = { threadId: thread.id };
    const viewers = { author: author.token, reactor: reactor.token, bystander: bystander.token, anonymous: null };
    const live = Object.fromEntries(
      Object.entries(viewers).map(([name, token]) => [name, subscribe(open(token), ThreadActivityPerViewerDocument, variables)]),
    ) as Record<keyof typeof viewers, ReturnType<typeof subscribe<ThreadActivityPerViewerSubscription, typeof variables>>>;
    await eventually(() => followers(thread.thread.id) === 4);

    const { replyToThread } = expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Who sees my email?' } }, { token: author.token }));
    expectData(await server.gql(ReactDocument, { input: { postId: replyToThread.id, emoji: '👍' } }, { token: reactor.token }));
    for (const subscription of Object.values(live)) await subscription.next(2);

    const added = (name: keyof typeof viewers) => live[name].events[0]!.threadActivity as Extract<ThreadActivityPerViewerSubscription['threadActivity'], { __typename: 'PostAdded' }>;
    expect(added('author').post.author.email).toBe(author.email);
    for (const name of ['reactor', 'bystander', 'anonymous'] as const) {
      expect(added(name).post).toEqual({ id: replyToThread.id, body: 'Who sees my email?', author: { id: author.id, email: null } });
    }
    const reactions = (name: keyof typeof viewers) =>
      (live[name].events[1]!.threadActivity as Extract<ThreadActivityPerViewerSubscription['threadActivity'], { __typename: 'ReactionChanged' }>).post.reactions;
    expect(reactions('reactor')).toEqual([{ emoji: '👍', count: 1, viewerReacted: true }]);
    for (const name of ['author', 'bystander', 'anonymous'] as const) expect(reactions(name)).toEqual([{ emoji: '👍', count: 1, viewerReacted: false }]);
    for (const subscription of Object.values(live)) expect(subscription.errors).toEqual([]);
  });

  it('runs a selection that does not depend on the viewer once, however many subscribers', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const statementsForOneReply = async (subscribers: (string | null)[], body: string) => {
      const live = subscribers.map((token) => subscribe(open(token), ThreadActivityWithPageDocument, { threadId: thread.id }));
      await eventually(() => followers(thread.thread.id) === subscribers.length);
      await server.app.services.events.settled();
      server.queries.length = 0;
      expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body } }, { token: author.token }));
      for (const subscription of live) await subscription.next(1);
      const statements = server.queries.length;
      for (const subscription of live) {
        expect(subscription.events[0]!.threadActivity).toMatchObject({ __typename: 'PostAdded', post: { body, thread: { posts: { totalCount: expect.any(Number) } } } });
        subscription.unsubscribe();
      }
      await eventually(() => followers(thread.thread.id) === 0);
      return statements;
    };
    const one = await statementsForOneReply([null], 'one subscriber');
    const members = await Promise.all([1, 2].map(() => server.factories.activeMember(community)));
    const six = await statementsForOneReply([null, null, null, members[0]!.token, members[1]!.token, author.token], 'six subscribers');
    // The post page and its count are read once for all six, as for one.
    expect(six).toBe(one);
  });

  it('checks the memberships of many viewers of a RESTRICTED thread together', async () => {
    const community = await server.factories.community({ visibility: 'RESTRICTED' as never });
    const author = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const readers = await Promise.all([1, 2, 3, 4].map(() => server.factories.activeMember(community)));
    const statementsForOneReply = async (tokens: string[], body: string) => {
      const live = tokens.map((token) => subscribe(open(token), ThreadActivitySinceDocument, { threadId: thread.id }));
      await eventually(() => followers(thread.thread.id) === tokens.length);
      await server.app.services.events.settled();
      server.queries.length = 0;
      expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body } }, { token: author.token }));
      for (const subscription of live) expect((await subscription.next(1))[0]!.threadActivity).toMatchObject({ post: { body } });
      const statements = server.queries.length;
      for (const subscription of live) subscription.unsubscribe();
      await eventually(() => followers(thread.thread.id) === 0);
      return statements;
    };
    const one = await statementsForOneReply([readers[0]!.token], 'one reader');
    const four = await statementsForOneReply(readers.map((r) => r.token), 'four readers');
    expect(four).toBe(one);
  });

  it('lets staff follow a RESTRICTED thread without a membership, alongside members, on every event', async () => {
    const community = await server.factories.community({ visibility: 'RESTRICTED' as never });
    const author = await server.factories.activeMember(community);
    const member = await server.factories.activeMember(community);
    const staff = await server.factories.staff();
    const thread = await server.factories.thread(community, author);
    const live = [member.token, staff.token].map((token) => subscribe(open(token), ThreadActivitySinceDocument, { threadId: thread.id }));
    await eventually(() => followers(thread.thread.id) === 2);
    for (const body of ['first', 'second']) {
      expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body } }, { token: author.token }));
    }
    for (const subscription of live) {
      await subscription.next(2);
      expect(subscription.events.map((e) => (e.threadActivity as { post: { body: string } }).post.body)).toEqual(['first', 'second']);
      expect(subscription.errors).toEqual([]);
    }
  });

  it('re-authorises every viewer of a shared group on every event', async () => {
    const community = await server.factories.community({ visibility: 'RESTRICTED' as never });
    const author = await server.factories.activeMember(community);
    const stayer = await server.factories.activeMember(community);
    const leaver = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const staying = subscribe(open(stayer.token), ThreadActivityWithPageDocument, { threadId: thread.id });
    const leaving = subscribe(open(leaver.token), ThreadActivityWithPageDocument, { threadId: thread.id });
    await eventually(() => followers(thread.thread.id) === 2);

    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'for both' } }, { token: author.token }));
    await staying.next(1);
    await leaving.next(1);
    expectData(await server.gql(LeaveCommunityDocument, { communityId: community.id }, { token: leaver.token }));
    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'members only' } }, { token: author.token }));
    await staying.next(2);
    await leaving.ended;

    expect(staying.events.map((e) => (e.threadActivity as { post: { body: string } }).post.body)).toEqual(['for both', 'members only']);
    expect(leaving.events.map((e) => (e.threadActivity as { post: { body: string } }).post.body)).toEqual(['for both']);
    expect(leaving.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(staying.errors).toEqual([]);
  });
});
