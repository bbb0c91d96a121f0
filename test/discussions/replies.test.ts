import {
  AcceptAnswerDocument,
  DeletePostDocument,
  EditPostDocument,
  LockThreadDocument,
  PostNodeDocument,
  ReplyToThreadDocument,
  ThreadDocument,
} from '../generated/graphql';
import { expectData, expectError, startTestServer, type TestServer, badInputFields as fieldsOf } from '../support/server';
import { CommunityRole, MembershipStatus, OrgRole, ThreadKind } from '../support/factories';
import { toGlobalId } from '../../src/shared/ids';
import { Membership } from '../../src/modules/communities/membership.entity';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** Reads a thread with all its posts, oldest first (as a signed-in viewer when a token is given). */
async function readThread(id: string, token?: string) {
  const { thread } = expectData(await server.gql(ThreadDocument, { id, first: 100 }, { token }));
  if (!thread) throw new Error(`thread ${id} not found`);
  return thread;
}

async function readPost(id: string, token?: string) {
  const { node } = expectData(await server.gql(PostNodeDocument, { id }, { token }));
  if (node?.__typename !== 'Post') throw new Error(`post ${id} not found`);
  return node;
}

/** An OPEN community with one thread (by its own author) that has one reply. */
async function world(threadOverrides: { kind?: ThreadKind; locked?: boolean } = {}) {
  const community = await server.factories.community();
  const author = await server.factories.activeMember(community);
  const thread = await server.factories.thread(community, author, { lastActivityAt: new Date('2026-01-01T00:00:00Z'), ...threadOverrides });
  const replier = await server.factories.activeMember(community);
  const post = await server.factories.post(thread, replier, { body: 'First reply', createdAt: new Date('2026-01-01T00:00:00Z') });
  return { community, author, thread, replier, post };
}

describe('replyToThread', () => {
  it('refuses an anonymous viewer as UNAUTHENTICATED and writes nothing', async () => {
    const { thread } = await world();
    const before = await readThread(thread.id);
    expectError(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Hello' } }), 'UNAUTHENTICATED');
    expect(await readThread(thread.id)).toEqual(before);
  });

  it('answers UNAUTHENTICATED to an anonymous viewer before looking the thread up', async () => {
    const missing = toGlobalId('Thread', '00000000-0000-4000-8000-000000000000');
    expectError(await server.gql(ReplyToThreadDocument, { input: { threadId: missing, body: 'Hello' } }), 'UNAUTHENTICATED');
    const restricted = await server.factories.restrictedCommunity();
    const thread = await server.factories.thread(restricted, await server.factories.activeMember(restricted));
    expectError(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Hello' } }), 'UNAUTHENTICATED');
  });

  it.each([
    ['a member who never joined', null],
    ['a PENDING member', MembershipStatus.PENDING],
    ['a member who LEFT', MembershipStatus.LEFT],
  ])('is FORBIDDEN to %s, and writes nothing', async (_name, status) => {
    const { community, thread } = await world();
    const member = await server.factories.member();
    if (status) await server.factories.membership(member, community, { status });
    const before = await readThread(thread.id);
    expectError(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Hello' } }, { token: member.token }), 'FORBIDDEN');
    expect(await readThread(thread.id)).toEqual(before);
  });

  it('adds the post at the end of the thread, bumps replyCount by one and moves lastActivityAt to the reply', async () => {
    const { community, thread } = await world();
    const member = await server.factories.activeMember(community);
    const { replyToThread } = expectData(
      await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Second reply' } }, { token: member.token }),
    );
    expect(replyToThread).toMatchObject({
      body: 'Second reply',
      deleted: false,
      editedAt: null,
      parent: null,
      reactions: [],
      author: { id: member.id },
      thread: { id: thread.id, replyCount: 2, lastActivityAt: replyToThread.createdAt },
    });

    const after = await readThread(thread.id);
    expect(after.replyCount).toBe(2);
    expect(after.lastActivityAt).toBe(replyToThread.createdAt);
    expect(after.posts.totalCount).toBe(2);
    expect(after.posts.edges.map((e) => e.node.body)).toEqual(['First reply', 'Second reply']);
  });

  it('never moves lastActivityAt backwards', async () => {
    const { community, author } = await world();
    const ahead = new Date(Date.now() + 3_600_000);
    const thread = await server.factories.thread(community, author, { lastActivityAt: ahead });
    const { replyToThread } = expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Hi' } }, { token: author.token }));
    expect(replyToThread.thread).toMatchObject({ replyCount: 1, lastActivityAt: ahead.toISOString() });
    expect((await readThread(thread.id)).lastActivityAt).toBe(ahead.toISOString());
  });

  it('keeps replyCount right over several replies', async () => {
    const { community, thread } = await world();
    const members = await Promise.all([1, 2, 3].map(() => server.factories.activeMember(community)));
    for (const member of members) {
      expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: `From ${member.id}` } }, { token: member.token }));
    }
    const after = await readThread(thread.id);
    expect(after.replyCount).toBe(4);
    expect(after.posts.totalCount).toBe(4);
  });

  it('counts every one of many concurrent replies', async () => {
    const { community, thread } = await world();
    const members = await Promise.all(Array.from({ length: 8 }, () => server.factories.activeMember(community)));
    const replies = await Promise.all(
      members.map((member, i) => server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: `Concurrent ${i}` } }, { token: member.token })),
    );
    replies.forEach((response) => expectData(response));
    const after = await readThread(thread.id);
    expect(after.replyCount).toBe(9);
    expect(after.posts.totalCount).toBe(9);
    const latest = Math.max(...replies.map((r) => Date.parse(r.data!.replyToThread.createdAt)));
    expect(Date.parse(after.lastActivityAt)).toBe(latest);
  });

  it('threads a reply under a parent post of the same thread', async () => {
    const { community, thread, post } = await world();
    const member = await server.factories.activeMember(community);
    const { replyToThread } = expectData(
      await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Answering you', parentPostId: post.id } }, { token: member.token }),
    );
    expect(replyToThread.parent).toEqual({ id: post.id });
    expect((await readPost(replyToThread.id)).parent).toEqual({ id: post.id });
  });

  it('refuses a parent post from another thread (BAD_USER_INPUT on parentPostId) and writes nothing', async () => {
    const { community, thread, author } = await world();
    const other = await server.factories.thread(community, author);
    const otherPost = await server.factories.post(other, author);
    const member = await server.factories.activeMember(community);
    const before = await readThread(thread.id);
    const response = await server.gql(
      ReplyToThreadDocument,
      { input: { threadId: thread.id, body: 'Misplaced', parentPostId: otherPost.id } },
      { token: member.token },
    );
    expect(fieldsOf(response)).toEqual(['parentPostId']);
    expect(await readThread(thread.id)).toEqual(before);
  });

  it.each([
    ['garbage', () => 'garbage'],
    ['the ID of a thread', (threadId: string) => threadId],
    ['the ID of a post that does not exist', () => toGlobalId('Post', '00000000-0000-4000-8000-000000000000')],
  ])('refuses a parentPostId that is %s (BAD_USER_INPUT on parentPostId)', async (_name, parentOf) => {
    const { community, thread } = await world();
    const member = await server.factories.activeMember(community);
    const before = await readThread(thread.id);
    const response = await server.gql(
      ReplyToThreadDocument,
      { input: { threadId: thread.id, body: 'Hello', parentPostId: parentOf(thread.id) } },
      { token: member.token },
    );
    expect(fieldsOf(response)).toEqual(['parentPostId']);
    expect(await readThread(thread.id)).toEqual(before);
  });

  it('refuses a blank body (BAD_USER_INPUT on body)', async () => {
    const { community, thread } = await world();
    const member = await server.factories.activeMember(community);
    const response = await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: '  \n' } }, { token: member.token });
    expect(fieldsOf(response)).toEqual(['body']);
    expect((await readThread(thread.id)).replyCount).toBe(1);
  });

  it('refuses a malformed threadId (BAD_USER_INPUT) and answers NOT_FOUND for a thread that does not exist', async () => {
    const member = await server.factories.member();
    expect(fieldsOf(await server.gql(ReplyToThreadDocument, { input: { threadId: 'nope', body: 'Hi' } }, { token: member.token }))).toEqual([
      'threadId',
    ]);
    const missing = toGlobalId('Thread', '00000000-0000-4000-8000-000000000000');
    expectError(await server.gql(ReplyToThreadDocument, { input: { threadId: missing, body: 'Hi' } }, { token: member.token }), 'NOT_FOUND');
  });

  it.each([
    ['a plain member', [], OrgRole.MEMBER],
    ['a DISCUSSION_MONITOR', [CommunityRole.DISCUSSION_MONITOR], OrgRole.MEMBER],
    ['a LEAD', [CommunityRole.LEAD], OrgRole.MEMBER],
    ['staff', [], OrgRole.STAFF],
  ])('refuses replies to a locked thread from %s (FORBIDDEN): no post, same replyCount and lastActivityAt', async (_name, roles, orgRole) => {
    const { community, thread } = await world({ locked: true });
    const member = await server.factories.activeMember(community, roles, orgRole);
    const before = await readThread(thread.id);
    expectError(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Let me in' } }, { token: member.token }), 'FORBIDDEN');
    const after = await readThread(thread.id);
    expect(after).toEqual(before);
    expect(after.posts.totalCount).toBe(1);
  });

  it('refuses an anonymous reply to a locked thread as UNAUTHENTICATED', async () => {
    const { thread } = await world({ locked: true });
    expectError(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Hi' } }), 'UNAUTHENTICATED');
  });

  it('accepts replies again once the thread is unlocked', async () => {
    const { community, thread } = await world({ locked: true });
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    const member = await server.factories.activeMember(community);
    expectError(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Hi' } }, { token: member.token }), 'FORBIDDEN');
    expectData(await server.gql(LockThreadDocument, { threadId: thread.id, locked: false }, { token: monitor.token }));
    const { replyToThread } = expectData(
      await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Hi' } }, { token: member.token }),
    );
    expect(replyToThread.thread.replyCount).toBe(2);
  });
});

describe('editPost', () => {
  it('refuses an anonymous viewer as UNAUTHENTICATED and changes nothing', async () => {
    const { post } = await world();
    expectError(await server.gql(EditPostDocument, { input: { postId: post.id, body: 'Hijacked' } }), 'UNAUTHENTICATED');
    expect(await readPost(post.id)).toMatchObject({ body: 'First reply', editedAt: null });
  });

  it.each([
    ['another plain member', [], OrgRole.MEMBER],
    ['a DISCUSSION_MONITOR', [CommunityRole.DISCUSSION_MONITOR], OrgRole.MEMBER],
    ['a LEAD', [CommunityRole.LEAD], OrgRole.MEMBER],
    ['staff', [], OrgRole.STAFF],
  ])('is FORBIDDEN to %s: only the author edits, and nothing changes', async (_name, roles, orgRole) => {
    const { community, post } = await world();
    const other = await server.factories.activeMember(community, roles, orgRole);
    expectError(await server.gql(EditPostDocument, { input: { postId: post.id, body: 'Not yours' } }, { token: other.token }), 'FORBIDDEN');
    expect(await readPost(post.id)).toMatchObject({ body: 'First reply', editedAt: null });
  });

  it('is FORBIDDEN to the author once they have left the community', async () => {
    const { community, thread } = await world();
    const former = await server.factories.member();
    const { membership } = await server.factories.membership(former, community);
    const post = await server.factories.post(thread, former, { body: 'Before I left' });
    await server.em().nativeUpdate(Membership, { id: membership.id }, { status: MembershipStatus.LEFT });
    expectError(await server.gql(EditPostDocument, { input: { postId: post.id, body: 'After' } }, { token: former.token }), 'FORBIDDEN');
    expect(await readPost(post.id)).toMatchObject({ body: 'Before I left', editedAt: null });
  });

  it('lets the author change the body and records editedAt, which later reads keep', async () => {
    const { replier, post } = await world();
    const { editPost } = expectData(await server.gql(EditPostDocument, { input: { postId: post.id, body: 'Corrected reply' } }, { token: replier.token }));
    expect(editPost).toMatchObject({ id: post.id, body: 'Corrected reply', deleted: false });
    expect(editPost.editedAt).not.toBeNull();
    expect(Date.parse(editPost.editedAt!)).toBeGreaterThanOrEqual(Date.parse(editPost.createdAt));

    const reread = await readPost(post.id);
    expect(reread).toMatchObject({ body: 'Corrected reply', editedAt: editPost.editedAt, createdAt: editPost.createdAt });
  });

  it('keeps the earlier editedAt when the body does not change', async () => {
    const { replier, post } = await world();
    const first = expectData(await server.gql(EditPostDocument, { input: { postId: post.id, body: 'Edited once' } }, { token: replier.token })).editPost;
    const again = expectData(await server.gql(EditPostDocument, { input: { postId: post.id, body: 'Edited once' } }, { token: replier.token })).editPost;
    expect(again.editedAt).toBe(first.editedAt);
  });

  it('refuses to edit a deleted post (CONFLICT): it stays a tombstone', async () => {
    const { replier, post } = await world();
    expectData(await server.gql(DeletePostDocument, { postId: post.id }, { token: replier.token }));
    expectError(await server.gql(EditPostDocument, { input: { postId: post.id, body: 'Back from the dead' } }, { token: replier.token }), 'CONFLICT');
    expect(await readPost(post.id)).toMatchObject({ deleted: true, body: null, editedAt: null });
  });

  it('refuses a blank body (BAD_USER_INPUT on body)', async () => {
    const { replier, post } = await world();
    expect(fieldsOf(await server.gql(EditPostDocument, { input: { postId: post.id, body: ' ' } }, { token: replier.token }))).toEqual(['body']);
    expect((await readPost(post.id)).body).toBe('First reply');
  });

  it('refuses a postId that is not a post ID (BAD_USER_INPUT on postId)', async () => {
    const { replier, thread } = await world();
    expect(fieldsOf(await server.gql(EditPostDocument, { input: { postId: thread.id, body: 'x' } }, { token: replier.token }))).toEqual(['postId']);
  });
});

describe('deletePost', () => {
  it('refuses an anonymous viewer as UNAUTHENTICATED and deletes nothing', async () => {
    const { thread, post } = await world();
    expectError(await server.gql(DeletePostDocument, { postId: post.id }), 'UNAUTHENTICATED');
    expect(await readPost(post.id)).toMatchObject({ deleted: false, body: 'First reply' });
    expect((await readThread(thread.id)).replyCount).toBe(1);
  });

  it.each([
    ['a different plain member', [], OrgRole.MEMBER],
    ['a meeting coordinator', [CommunityRole.MEETING_COORDINATOR], OrgRole.MEMBER],
    ['a COUNCIL member', [], OrgRole.COUNCIL],
  ])('is FORBIDDEN to %s, and deletes nothing', async (_name, roles, orgRole) => {
    const { community, thread, post } = await world();
    const other = await server.factories.activeMember(community, roles, orgRole);
    expectError(await server.gql(DeletePostDocument, { postId: post.id }, { token: other.token }), 'FORBIDDEN');
    expect(await readPost(post.id)).toMatchObject({ deleted: false, body: 'First reply' });
    expect((await readThread(thread.id)).replyCount).toBe(1);
  });

  it('is FORBIDDEN to the author once they have left the community (a monitor can still delete it)', async () => {
    const { community, thread } = await world();
    const former = await server.factories.member();
    const { membership } = await server.factories.membership(former, community);
    const post = await server.factories.post(thread, former);
    await server.em().nativeUpdate(Membership, { id: membership.id }, { status: MembershipStatus.LEFT });
    expectError(await server.gql(DeletePostDocument, { postId: post.id }, { token: former.token }), 'FORBIDDEN');
    expect(await readPost(post.id)).toMatchObject({ deleted: false });
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    expect(expectData(await server.gql(DeletePostDocument, { postId: post.id }, { token: monitor.token })).deletePost.deleted).toBe(true);
  });

  it('lets the author delete: a tombstone without body stays in thread.posts, and replyCount drops by one', async () => {
    const { thread, replier, post } = await world();
    const second = await server.factories.post(thread, replier, { body: 'Second', createdAt: new Date('2026-01-02T00:00:00Z') });
    const { deletePost } = expectData(await server.gql(DeletePostDocument, { postId: post.id }, { token: replier.token }));
    expect(deletePost).toMatchObject({ id: post.id, deleted: true, body: null, author: { id: replier.id }, thread: { replyCount: 1 } });

    const after = await readThread(thread.id);
    expect(after.replyCount).toBe(1);
    expect(after.posts.totalCount).toBe(2);
    expect(after.posts.edges.map((e) => [e.node.id, e.node.deleted, e.node.body])).toEqual([
      [post.id, true, null],
      [second.id, false, 'Second'],
    ]);
  });

  it.each([
    ['a DISCUSSION_MONITOR', [CommunityRole.DISCUSSION_MONITOR], OrgRole.MEMBER, true],
    ['a LEAD', [CommunityRole.LEAD], OrgRole.MEMBER, true],
    ['staff who are members', [], OrgRole.STAFF, true],
    ['staff who are not members', [], OrgRole.STAFF, false],
  ])("lets %s delete someone else's post", async (_name, roles, orgRole, isMember) => {
    const { community, thread, post } = await world();
    const moderator = isMember ? await server.factories.activeMember(community, roles, orgRole) : await server.factories.member({ orgRole });
    const { deletePost } = expectData(await server.gql(DeletePostDocument, { postId: post.id }, { token: moderator.token }));
    expect(deletePost).toMatchObject({ deleted: true, body: null });
    expect(await readPost(post.id)).toMatchObject({ deleted: true, body: null });
    expect((await readThread(thread.id)).replyCount).toBe(0);
  });

  it('decrements replyCount only once when a post is deleted twice', async () => {
    const { community, thread, replier, post } = await world();
    await server.factories.post(thread, replier);
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    expect(expectData(await server.gql(DeletePostDocument, { postId: post.id }, { token: replier.token })).deletePost.thread.replyCount).toBe(1);
    const again = expectData(await server.gql(DeletePostDocument, { postId: post.id }, { token: monitor.token })).deletePost;
    expect(again).toMatchObject({ deleted: true, thread: { replyCount: 1 } });
    expectData(await server.gql(DeletePostDocument, { postId: post.id }, { token: replier.token }));
    expect((await readThread(thread.id)).replyCount).toBe(1);
  });

  it('decrements replyCount only once when the same post is deleted by several people at once', async () => {
    const { community, thread, replier, post } = await world();
    await server.factories.post(thread, replier);
    const moderators = await Promise.all([CommunityRole.DISCUSSION_MONITOR, CommunityRole.LEAD].map((role) => server.factories.activeMember(community, [role])));
    const responses = await Promise.all(
      [replier, ...moderators, replier].map((who) => server.gql(DeletePostDocument, { postId: post.id }, { token: who.token })),
    );
    responses.forEach((response) => expect(expectData(response).deletePost.deleted).toBe(true));
    expect((await readThread(thread.id)).replyCount).toBe(1);
  });

  it('clears the accepted answer when that post is deleted', async () => {
    const { community, thread, author, post } = await world({ kind: ThreadKind.QUESTION });
    expect(expectData(await server.gql(AcceptAnswerDocument, { postId: post.id }, { token: author.token })).acceptAnswer.acceptedAnswer).toEqual({
      id: post.id,
    });
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    expectData(await server.gql(DeletePostDocument, { postId: post.id }, { token: monitor.token }));
    const after = await readThread(thread.id);
    expect(after.acceptedAnswer).toBeNull();
    expect(after.replyCount).toBe(0);
  });

  it('keeps the accepted answer when another post is deleted', async () => {
    const { thread, author, replier, post } = await world({ kind: ThreadKind.QUESTION });
    const other = await server.factories.post(thread, replier);
    expectData(await server.gql(AcceptAnswerDocument, { postId: post.id }, { token: author.token }));
    expectData(await server.gql(DeletePostDocument, { postId: other.id }, { token: replier.token }));
    expect((await readThread(thread.id)).acceptedAnswer).toEqual({ id: post.id });
  });

  it('refuses a postId that is not a post ID (BAD_USER_INPUT) and answers NOT_FOUND for a missing post', async () => {
    const { replier, thread } = await world();
    expect(fieldsOf(await server.gql(DeletePostDocument, { postId: thread.id }, { token: replier.token }))).toEqual(['postId']);
    const missing = toGlobalId('Post', '00000000-0000-4000-8000-000000000000');
    expectError(await server.gql(DeletePostDocument, { postId: missing }, { token: replier.token }), 'NOT_FOUND');
  });
});
