import { AcceptAnswerDocument, DeletePostDocument, LockThreadDocument, PinThreadDocument, ThreadDocument, type PinThreadMutation } from '../generated/graphql';
import { expectData, expectError, startTestServer, type GraphQLResponse, type TestServer, badInputFields as fieldsOf } from '../support/server';
import { CommunityRole, MembershipStatus, OrgRole, ThreadKind } from '../support/factories';
import { toGlobalId } from '../../src/shared/ids';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function readThread(id: string, token?: string) {
  const { thread } = expectData(await server.gql(ThreadDocument, { id, first: 100 }, { token }));
  if (!thread) throw new Error(`thread ${id} not found`);
  return thread;
}

async function world(kind: ThreadKind = ThreadKind.DISCUSSION, visibility: 'OPEN' | 'RESTRICTED' = 'OPEN') {
  const community = visibility === 'OPEN' ? await server.factories.community() : await server.factories.restrictedCommunity();
  const author = await server.factories.activeMember(community);
  const thread = await server.factories.thread(community, author, { kind });
  const replier = await server.factories.activeMember(community);
  const post = await server.factories.post(thread, replier, { body: 'The answer is 42' });
  return { community, author, thread, replier, post };
}

const flags = [
  ['pinThread', 'pinned'],
  ['lockThread', 'locked'],
] as const;

type ThreadResult = PinThreadMutation['pinThread'];

/** Pins or locks, answering with the thread under one name whichever mutation ran. */
async function setFlag(which: (typeof flags)[number][0], threadId: string, value: boolean, token?: string): Promise<GraphQLResponse<{ thread: ThreadResult }>> {
  if (which === 'pinThread') {
    const { data, ...rest } = await server.gql(PinThreadDocument, { threadId, pinned: value }, { token });
    return { ...rest, data: data ? { thread: data.pinThread } : data };
  }
  const { data, ...rest } = await server.gql(LockThreadDocument, { threadId, locked: value }, { token });
  return { ...rest, data: data ? { thread: data.lockThread } : data };
}

describe.each(flags)('%s', (mutation, flag) => {
  it('refuses an anonymous viewer as UNAUTHENTICATED and changes nothing', async () => {
    const { thread } = await world();
    expectError(await setFlag(mutation, thread.id, true), 'UNAUTHENTICATED');
    expect((await readThread(thread.id))[flag]).toBe(false);
  });

  it.each([
    ['a plain ACTIVE member', [], OrgRole.MEMBER],
    ['the thread author', null, OrgRole.MEMBER],
    ['a meeting coordinator', [CommunityRole.MEETING_COORDINATOR], OrgRole.MEMBER],
    ['a BOARD member', [], OrgRole.BOARD],
  ])('is FORBIDDEN to %s, and changes nothing', async (_name, roles, orgRole) => {
    const { community, thread, author } = await world();
    const actor = roles === null ? author : await server.factories.activeMember(community, roles, orgRole);
    const before = await readThread(thread.id);
    expectError(await setFlag(mutation, thread.id, true, actor.token), 'FORBIDDEN');
    expect(await readThread(thread.id)).toEqual(before);
  });

  it('is FORBIDDEN to a DISCUSSION_MONITOR whose membership is PENDING or LEFT', async () => {
    const { community, thread } = await world();
    for (const status of [MembershipStatus.PENDING, MembershipStatus.LEFT]) {
      const member = await server.factories.member();
      await server.factories.membership(member, community, { status, roles: [CommunityRole.DISCUSSION_MONITOR] });
      expectError(await setFlag(mutation, thread.id, true, member.token), 'FORBIDDEN');
    }
    expect((await readThread(thread.id))[flag]).toBe(false);
  });

  it('is FORBIDDEN to a monitor of another community', async () => {
    const { thread } = await world();
    const elsewhere = await server.factories.community();
    const monitor = await server.factories.activeMember(elsewhere, [CommunityRole.DISCUSSION_MONITOR]);
    expectError(await setFlag(mutation, thread.id, true, monitor.token), 'FORBIDDEN');
    expect((await readThread(thread.id))[flag]).toBe(false);
  });

  it.each([
    ['a DISCUSSION_MONITOR', [CommunityRole.DISCUSSION_MONITOR], OrgRole.MEMBER, true],
    ['a LEAD', [CommunityRole.LEAD], OrgRole.MEMBER, true],
    ['staff who are not members', [], OrgRole.STAFF, false],
  ])(`lets %s set and clear ${flag}`, async (_name, roles, orgRole, isMember) => {
    const { community, thread } = await world();
    const moderator = isMember ? await server.factories.activeMember(community, roles, orgRole) : await server.factories.member({ orgRole });
    const set = expectData(await setFlag(mutation, thread.id, true, moderator.token)).thread;
    expect(set).toMatchObject({ id: thread.id, [flag]: true });
    expect((await readThread(thread.id))[flag]).toBe(true);
    const cleared = expectData(await setFlag(mutation, thread.id, false, moderator.token)).thread;
    expect(cleared).toMatchObject({ id: thread.id, [flag]: false });
    expect((await readThread(thread.id))[flag]).toBe(false);
  });

  it('does not touch the other flag, the reply count or the last activity', async () => {
    const { community, thread } = await world();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const before = await readThread(thread.id);
    expectData(await setFlag(mutation, thread.id, true, lead.token));
    expect(await readThread(thread.id)).toEqual({ ...before, [flag]: true });
  });

  it('is FORBIDDEN to a non-member of a RESTRICTED community, and changes nothing', async () => {
    const { thread } = await world(ThreadKind.DISCUSSION, 'RESTRICTED');
    const outsider = await server.factories.member();
    expectError(await setFlag(mutation, thread.id, true, outsider.token), 'FORBIDDEN');
    const staff = await server.factories.staff();
    expect((await readThread(thread.id, staff.token))[flag]).toBe(false);
  });

  it('refuses a threadId that is not a thread ID (BAD_USER_INPUT) and answers NOT_FOUND for a missing thread', async () => {
    const { post } = await world();
    const staff = await server.factories.staff();
    expect(fieldsOf(await setFlag(mutation, post.id, true, staff.token))).toEqual(['threadId']);
    expectError(await setFlag(mutation, toGlobalId('Thread', '00000000-0000-4000-8000-000000000000'), true, staff.token), 'NOT_FOUND');
  });
});

describe('acceptAnswer', () => {
  it('refuses an anonymous viewer as UNAUTHENTICATED and changes nothing', async () => {
    const { thread, post } = await world(ThreadKind.QUESTION);
    expectError(await server.gql(AcceptAnswerDocument, { postId: post.id }), 'UNAUTHENTICATED');
    expect((await readThread(thread.id)).acceptedAnswer).toBeNull();
  });

  it.each([
    ['a plain member', [], OrgRole.MEMBER],
    ['the author of the reply', null, OrgRole.MEMBER],
    ['a meeting coordinator', [CommunityRole.MEETING_COORDINATOR], OrgRole.MEMBER],
  ])('is FORBIDDEN to %s, and changes nothing', async (_name, roles, orgRole) => {
    const { community, thread, replier, post } = await world(ThreadKind.QUESTION);
    const actor = roles === null ? replier : await server.factories.activeMember(community, roles, orgRole);
    expectError(await server.gql(AcceptAnswerDocument, { postId: post.id }, { token: actor.token }), 'FORBIDDEN');
    expect((await readThread(thread.id)).acceptedAnswer).toBeNull();
  });

  it('is FORBIDDEN to the thread author once they have left the community', async () => {
    const community = await server.factories.community();
    const author = await server.factories.member();
    await server.factories.membership(author, community, { status: MembershipStatus.LEFT });
    const thread = await server.factories.thread(community, author, { kind: ThreadKind.QUESTION });
    const post = await server.factories.post(thread, await server.factories.activeMember(community));
    expectError(await server.gql(AcceptAnswerDocument, { postId: post.id }, { token: author.token }), 'FORBIDDEN');
    expect((await readThread(thread.id)).acceptedAnswer).toBeNull();
  });

  it('lets the thread author accept a reply, and accept another one instead', async () => {
    const { thread, author, replier, post } = await world(ThreadKind.QUESTION);
    const { acceptAnswer } = expectData(await server.gql(AcceptAnswerDocument, { postId: post.id }, { token: author.token }));
    expect(acceptAnswer).toMatchObject({ id: thread.id, kind: 'QUESTION', acceptedAnswer: { id: post.id } });
    expect((await readThread(thread.id)).acceptedAnswer).toEqual({ id: post.id });

    const better = await server.factories.post(thread, replier, { body: 'Actually, 43' });
    expectData(await server.gql(AcceptAnswerDocument, { postId: better.id }, { token: author.token }));
    expect((await readThread(thread.id)).acceptedAnswer).toEqual({ id: better.id });
  });

  it('lets a DISCUSSION_MONITOR accept a reply on someone else\'s question', async () => {
    const { community, thread, post } = await world(ThreadKind.QUESTION);
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    expectData(await server.gql(AcceptAnswerDocument, { postId: post.id }, { token: monitor.token }));
    expect((await readThread(thread.id)).acceptedAnswer).toEqual({ id: post.id });
  });

  it.each([ThreadKind.DISCUSSION, ThreadKind.ANNOUNCEMENT, ThreadKind.PROMPT, ThreadKind.AMA])(
    'refuses an answer on a %s thread (BAD_USER_INPUT), and changes nothing',
    async (kind) => {
      const { thread, author, post } = await world(kind);
      expectError(await server.gql(AcceptAnswerDocument, { postId: post.id }, { token: author.token }), 'BAD_USER_INPUT');
      expect((await readThread(thread.id)).acceptedAnswer).toBeNull();
    },
  );

  it('refuses a deleted post (CONFLICT), and changes nothing', async () => {
    const { thread, author, replier, post } = await world(ThreadKind.QUESTION);
    expectData(await server.gql(DeletePostDocument, { postId: post.id }, { token: replier.token }));
    expectError(await server.gql(AcceptAnswerDocument, { postId: post.id }, { token: author.token }), 'CONFLICT');
    expect((await readThread(thread.id)).acceptedAnswer).toBeNull();
  });

  it('keeps the accepted answer when a deleted post is refused', async () => {
    const { thread, author, replier, post } = await world(ThreadKind.QUESTION);
    const deleted = await server.factories.post(thread, replier);
    expectData(await server.gql(DeletePostDocument, { postId: deleted.id }, { token: replier.token }));
    expectData(await server.gql(AcceptAnswerDocument, { postId: post.id }, { token: author.token }));
    expectError(await server.gql(AcceptAnswerDocument, { postId: deleted.id }, { token: author.token }), 'CONFLICT');
    expect((await readThread(thread.id)).acceptedAnswer).toEqual({ id: post.id });
  });

  it('is FORBIDDEN to a non-member of a RESTRICTED community', async () => {
    const { thread, post } = await world(ThreadKind.QUESTION, 'RESTRICTED');
    const outsider = await server.factories.member();
    expectError(await server.gql(AcceptAnswerDocument, { postId: post.id }, { token: outsider.token }), 'FORBIDDEN');
    const staff = await server.factories.staff();
    expect((await readThread(thread.id, staff.token)).acceptedAnswer).toBeNull();
  });

  it('refuses a postId that is not a post ID (BAD_USER_INPUT) and answers NOT_FOUND for a missing post', async () => {
    const { thread, author } = await world(ThreadKind.QUESTION);
    expect(fieldsOf(await server.gql(AcceptAnswerDocument, { postId: thread.id }, { token: author.token }))).toEqual(['postId']);
    const missing = toGlobalId('Post', '00000000-0000-4000-8000-000000000000');
    expectError(await server.gql(AcceptAnswerDocument, { postId: missing }, { token: author.token }), 'NOT_FOUND');
  });
});
