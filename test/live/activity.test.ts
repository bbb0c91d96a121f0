import {
  CommunityActivityDocument,
  DeletePostDocument,
  EditPostDocument,
  JoinCommunityDocument,
  LeaveCommunityDocument,
  LockThreadDocument,
  ReactDocument,
  ReplyToThreadDocument,
  StartThreadDocument,
  ThreadActivityDocument,
} from '../generated/graphql';
import { CommunityRole } from '../support/factories';
import { eventually, subscribe, trackSockets } from '../support/live';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { communityTopic, threadTopic } from '../../src/realtime/events';

let server: TestServer;
const openOn = trackSockets();
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const open = (token?: string | null, authorization?: string | Record<string, unknown>) => openOn(server, token, authorization);
const followers = (topic: string) => server.app.services.events.listenerCount(topic);

async function threadWorld(visibility: 'OPEN' | 'RESTRICTED' = 'OPEN') {
  const community = await server.factories.community({ visibility: visibility as never });
  const author = await server.factories.activeMember(community);
  const reader = await server.factories.activeMember(community);
  const thread = await server.factories.thread(community, author);
  return { community, author, reader, thread };
}

describe('threadActivity', () => {
  it('pushes replies, edits, reactions and deletions to a member, deletions without their body', async () => {
    const { author, reader, thread } = await threadWorld('RESTRICTED');
    const live = subscribe(open(reader.token), ThreadActivityDocument, { threadId: thread.id });
    await eventually(() => followers(threadTopic(thread.thread.id)) === 1);

    const { replyToThread } = expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Live hello' } }, { token: author.token }));
    const [added] = await live.next(1);
    expect(added!.threadActivity).toMatchObject({ __typename: 'PostAdded', post: { id: replyToThread.id, body: 'Live hello', author: { id: author.id } } });

    expectData(await server.gql(EditPostDocument, { input: { postId: replyToThread.id, body: 'Live hello, edited' } }, { token: author.token }));
    expectData(await server.gql(ReactDocument, { input: { postId: replyToThread.id, emoji: '👍' } }, { token: reader.token }));
    expectData(await server.gql(DeletePostDocument, { postId: replyToThread.id }, { token: author.token }));
    const events = (await live.next(4)).map((e) => e.threadActivity);
    expect(events[1]).toMatchObject({ __typename: 'PostEdited', post: { body: 'Live hello, edited' } });
    expect(events[2]).toMatchObject({ __typename: 'ReactionChanged', post: { reactions: [{ emoji: '👍', count: 1, viewerReacted: true }] } });
    expect(events[3]).toEqual({ __typename: 'PostDeleted', cursor: expect.any(String), postId: replyToThread.id, threadId: thread.id });
    const cursors = events.map((e) => e.cursor);
    expect([...cursors].sort()).toEqual(cursors);
    expect(live.errors).toEqual([]);
  });

  it('lets anonymous sockets follow an OPEN community', async () => {
    const { author, thread } = await threadWorld('OPEN');
    const live = subscribe(open(), ThreadActivityDocument, { threadId: thread.id });
    await eventually(() => followers(threadTopic(thread.thread.id)) === 1);
    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'For everyone' } }, { token: author.token }));
    const [event] = await live.next(1);
    expect(event!.threadActivity).toMatchObject({ __typename: 'PostAdded', post: { body: 'For everyone' } });
  });

  it('refuses a RESTRICTED thread to outsiders and anonymous sockets, who receive nothing', async () => {
    const { author, thread } = await threadWorld('RESTRICTED');
    const outsider = await server.factories.member();
    for (const token of [outsider.token, undefined]) {
      const live = subscribe(open(token), ThreadActivityDocument, { threadId: thread.id });
      await live.ended;
      expect(live.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(live.events).toEqual([]);
    }
    expect(followers(threadTopic(thread.thread.id))).toBe(0);
    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'secret' } }, { token: author.token }));
  });

  it('stops at once for a member who leaves: the next event ends the stream with FORBIDDEN, not data', async () => {
    const { community, author, reader, thread } = await threadWorld('RESTRICTED');
    const live = subscribe(open(reader.token), ThreadActivityDocument, { threadId: thread.id });
    await eventually(() => followers(threadTopic(thread.thread.id)) === 1);
    expectData(await server.gql(LeaveCommunityDocument, { communityId: community.id }, { token: reader.token }));
    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'after you left' } }, { token: author.token }));
    await live.ended;
    expect(live.events).toEqual([]);
    expect(live.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    await eventually(() => followers(threadTopic(thread.thread.id)) === 0);
  });

  it('publishes nothing for a write that failed', async () => {
    const community = await server.factories.community();
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    const thread = await server.factories.thread(community, monitor);
    const live = subscribe(open(monitor.token), ThreadActivityDocument, { threadId: thread.id });
    await eventually(() => followers(threadTopic(thread.thread.id)) === 1);
    expectData(await server.gql(LockThreadDocument, { threadId: thread.id, locked: true }, { token: monitor.token }));
    expectError(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'refused' } }, { token: monitor.token }), 'FORBIDDEN');
    expectData(await server.gql(LockThreadDocument, { threadId: thread.id, locked: false }, { token: monitor.token }));
    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'accepted' } }, { token: monitor.token }));
    const [first] = await live.next(1);
    expect(first!.threadActivity).toMatchObject({ __typename: 'PostAdded', post: { body: 'accepted' } });
  });

  it('rejects a malformed thread ID', async () => {
    const live = subscribe(open(), ThreadActivityDocument, { threadId: 'nope' });
    await live.ended;
    expect(live.errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('communityActivity', () => {
  it('pushes new threads and new members', async () => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    const live = subscribe(open(member.token), CommunityActivityDocument, { communityId: community.id });
    await eventually(() => followers(communityTopic(community.community.id)) === 1);
    expectData(await server.gql(StartThreadDocument, { input: { communityId: community.id, title: 'Hello all', body: 'First!' } }, { token: member.token }));
    const newcomer = await server.factories.member();
    expectData(await server.gql(JoinCommunityDocument, { input: { communityId: community.id } }, { token: newcomer.token }));
    const events = (await live.next(2)).map((e) => e.communityActivity);
    expect(events[0]).toMatchObject({ __typename: 'ThreadStarted', thread: { title: 'Hello all' } });
    expect(events[1]).toMatchObject({ __typename: 'MemberJoined', membership: { status: 'ACTIVE', member: { id: newcomer.id } } });
  });
});

describe('the socket handshake', () => {
  it('refuses an invalid token at connection_init (4403), never treating it as anonymous', async () => {
    const socket = open(null, 'Bearer not-a-token');
    expect(await socket.closed).toBe(4403);
  });

  it.each([
    ['a number', { authorization: 12345 }],
    ['an object', { authorization: { token: 'abc' } }],
    ['an array', { Authorization: ['Bearer abc'] }],
    ['a boolean', { AUTHORIZATION: true }],
    ['the key twice in two cases', { authorization: 'Bearer a', Authorization: 'Bearer b' }],
  ])('refuses connectionParams whose authorization is %s at connection_init (4403), never anonymous', async (_label, params) => {
    expect(await open(null, params).closed).toBe(4403);
  });

  it('reads the Authorization key in any letter case: a member gets a RESTRICTED thread, a bad token is 4403', async () => {
    const { reader, thread } = await threadWorld('RESTRICTED');
    for (const key of ['Authorization', 'AUTHORIZATION']) {
      const live = subscribe(open(null, { [key]: `Bearer ${reader.token}` }), ThreadActivityDocument, { threadId: thread.id });
      await eventually(() => followers(threadTopic(thread.thread.id)) === 1);
      expect(live.errors).toEqual([]);
      live.unsubscribe();
      await eventually(() => followers(threadTopic(thread.thread.id)) === 0);
      expect(await open(null, { [key]: 'Bearer not-a-token' }).closed).toBe(4403);
    }
  });

  it('treats an authorization of null like none: anonymous', async () => {
    const { thread } = await threadWorld('OPEN');
    const live = subscribe(open(null, { authorization: null }), ThreadActivityDocument, { threadId: thread.id });
    await eventually(() => followers(threadTopic(thread.thread.id)) === 1);
    expect(live.errors).toEqual([]);
  });

  it('accepts a valid token and no token', async () => {
    const member = await server.factories.member();
    for (const socket of [open(member.token), open()]) {
      const community = await server.factories.community();
      const live = subscribe(socket, CommunityActivityDocument, { communityId: community.id });
      await eventually(() => followers(communityTopic(community.community.id)) === 1);
      live.unsubscribe();
      await eventually(() => followers(communityTopic(community.community.id)) === 0);
    }
  });
});
