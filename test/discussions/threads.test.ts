import { CommunityThreadsDocument, NodeDocument, StartThreadDocument, ThreadDocument, type ThreadKind as GqlThreadKind } from '../generated/graphql';
import { expectData, expectError, startTestServer, type TestServer, badInputFields as fieldsOf } from '../support/server';
import { CommunityRole, MembershipStatus, OrgRole } from '../support/factories';
import { toGlobalId } from '../../src/shared/ids';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const threadInput = (communityId: string, overrides: Partial<{ title: string; body: string; kind: GqlThreadKind; tags: string[] }> = {}) => ({
  communityId,
  title: 'How do you run a book club online?',
  body: 'We meet monthly and would like to try something new.',
  ...overrides,
});

/** The community's threads as anyone can read them (OPEN communities only). */
async function feedOf(slug: string) {
  const { community } = expectData(await server.gql(CommunityThreadsDocument, { slug, first: 100 }));
  return community!.threads!;
}

describe('startThread', () => {
  it('refuses an anonymous viewer as UNAUTHENTICATED and creates nothing', async () => {
    const community = await server.factories.community();
    const response = await server.gql(StartThreadDocument, { input: threadInput(community.id) });
    expectError(response, 'UNAUTHENTICATED');
    expect(response.data).toBeNull();
    expect((await feedOf(community.community.slug)).totalCount).toBe(0);
  });

  it('answers UNAUTHENTICATED to an anonymous viewer before looking the community up', async () => {
    const missing = toGlobalId('Community', '00000000-0000-4000-8000-000000000000');
    expectError(await server.gql(StartThreadDocument, { input: threadInput(missing) }), 'UNAUTHENTICATED');
  });

  it('is FORBIDDEN to a signed-in member who never joined, and creates nothing', async () => {
    const community = await server.factories.community();
    const outsider = await server.factories.member();
    expectError(await server.gql(StartThreadDocument, { input: threadInput(community.id) }, { token: outsider.token }), 'FORBIDDEN');
    expect((await feedOf(community.community.slug)).totalCount).toBe(0);
  });

  it.each([MembershipStatus.PENDING, MembershipStatus.LEFT])('is FORBIDDEN to a %s member, and creates nothing', async (status) => {
    const community = await server.factories.community();
    const member = await server.factories.member();
    await server.factories.membership(member, community, { status });
    expectError(await server.gql(StartThreadDocument, { input: threadInput(community.id) }, { token: member.token }), 'FORBIDDEN');
    expect((await feedOf(community.community.slug)).totalCount).toBe(0);
  });

  it('is FORBIDDEN to staff who are not members of the community', async () => {
    const community = await server.factories.community();
    const staff = await server.factories.staff();
    expectError(await server.gql(StartThreadDocument, { input: threadInput(community.id) }, { token: staff.token }), 'FORBIDDEN');
    expect((await feedOf(community.community.slug)).totalCount).toBe(0);
  });

  it.each(['DISCUSSION', 'QUESTION', 'PROMPT', 'AMA'] as const)('lets a plain ACTIVE member start a %s thread', async (kind) => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const { startThread } = expectData(
      await server.gql(StartThreadDocument, { input: threadInput(community.id, { kind }) }, { token: author.token }),
    );
    expect(startThread).toMatchObject({
      title: 'How do you run a book club online?',
      body: 'We meet monthly and would like to try something new.',
      kind,
      tags: [],
      pinned: false,
      locked: false,
      replyCount: 0,
      acceptedAnswer: null,
      author: { id: author.id },
      community: { id: community.id, slug: community.community.slug },
    });
    expect(startThread.lastActivityAt).toBe(startThread.createdAt);

    const { thread } = expectData(await server.gql(ThreadDocument, { id: startThread.id }));
    expect(thread).toMatchObject({ id: startThread.id, kind, title: startThread.title, author: { id: author.id } });
    expect(thread!.posts.totalCount).toBe(0);
    expect((await feedOf(community.community.slug)).edges.map((e) => e.node.id)).toEqual([startThread.id]);
  });

  it('starts a DISCUSSION when no kind is given', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const { startThread } = expectData(await server.gql(StartThreadDocument, { input: threadInput(community.id) }, { token: author.token }));
    expect(startThread.kind).toBe('DISCUSSION');
  });

  it.each([
    ['a plain member', []],
    ['a meeting coordinator', [CommunityRole.MEETING_COORDINATOR]],
    ['an event coordinator', [CommunityRole.EVENT_COORDINATOR]],
  ])('refuses an ANNOUNCEMENT from %s (FORBIDDEN), and creates nothing', async (_name, roles) => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community, roles);
    const response = await server.gql(StartThreadDocument, { input: threadInput(community.id, { kind: 'ANNOUNCEMENT' }) }, { token: member.token });
    expectError(response, 'FORBIDDEN');
    expect((await feedOf(community.community.slug)).totalCount).toBe(0);
  });

  it.each([
    ['a LEAD', [CommunityRole.LEAD], OrgRole.MEMBER],
    ['a DISCUSSION_MONITOR', [CommunityRole.DISCUSSION_MONITOR], OrgRole.MEMBER],
    ['staff who are ACTIVE members', [], OrgRole.STAFF],
  ])('lets %s post an ANNOUNCEMENT', async (_name, roles, orgRole) => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community, roles, orgRole);
    const { startThread } = expectData(
      await server.gql(StartThreadDocument, { input: threadInput(community.id, { kind: 'ANNOUNCEMENT' }) }, { token: author.token }),
    );
    expect(startThread).toMatchObject({ kind: 'ANNOUNCEMENT', author: { id: author.id } });
    expect((await feedOf(community.community.slug)).edges.map((e) => e.node.id)).toEqual([startThread.id]);
  });

  it('refuses an ANNOUNCEMENT from staff who are not ACTIVE members (FORBIDDEN)', async () => {
    const community = await server.factories.community();
    const staff = await server.factories.staff();
    await server.factories.membership(staff, community, { status: MembershipStatus.PENDING });
    const response = await server.gql(StartThreadDocument, { input: threadInput(community.id, { kind: 'ANNOUNCEMENT' }) }, { token: staff.token });
    expectError(response, 'FORBIDDEN');
    expect((await feedOf(community.community.slug)).totalCount).toBe(0);
  });

  it('trims the title and normalizes tags: trimmed, lower-case, de-duplicated, blanks dropped', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const { startThread } = expectData(
      await server.gql(
        StartThreadDocument,
        { input: threadInput(community.id, { title: '  Padded title  ', tags: [' Picture Books ', 'picture books', 'OER', 'oer ', '   '] }) },
        { token: author.token },
      ),
    );
    expect(startThread.title).toBe('Padded title');
    expect(startThread.tags).toEqual(['picture books', 'oer']);
    const { thread } = expectData(await server.gql(ThreadDocument, { id: startThread.id }));
    expect(thread!.tags).toEqual(['picture books', 'oer']);
  });

  it('accepts the limits: a 200-character title and 10 tags of 40 characters', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const tags = Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(40, 'x'));
    const { startThread } = expectData(
      await server.gql(StartThreadDocument, { input: threadInput(community.id, { title: 'T'.repeat(200), tags }) }, { token: author.token }),
    );
    expect(startThread.title).toHaveLength(200);
    expect(startThread.tags).toEqual(tags);
  });

  it.each([
    ['a blank title', { title: '   ' }, 'title'],
    ['an empty title', { title: '' }, 'title'],
    ['a title over 200 characters', { title: 'T'.repeat(201) }, 'title'],
    ['a blank body', { body: ' \n ' }, 'body'],
    ['more than 10 tags', { tags: Array.from({ length: 11 }, (_, i) => `tag ${i}`) }, 'tags'],
    ['a tag over 40 characters', { tags: ['x'.repeat(41)] }, 'tags'],
  ])('rejects %s as BAD_USER_INPUT naming the field, and creates nothing', async (_name, overrides, field) => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const response = await server.gql(StartThreadDocument, { input: threadInput(community.id, overrides) }, { token: author.token });
    expect(fieldsOf(response)).toContain(field);
    expect(response.data).toBeNull();
    expect((await feedOf(community.community.slug)).totalCount).toBe(0);
  });

  it('reports every invalid field at once', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const response = await server.gql(
      StartThreadDocument,
      { input: threadInput(community.id, { title: ' ', body: '', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }) },
      { token: author.token },
    );
    expect(fieldsOf(response)).toEqual(expect.arrayContaining(['title', 'body', 'tags']));
  });

  it.each([
    ['garbage', 'not-an-id'],
    ['the ID of a member', toGlobalId('Member', '00000000-0000-4000-8000-000000000000')],
  ])('rejects a communityId that is %s as BAD_USER_INPUT on communityId', async (_name, communityId) => {
    const member = await server.factories.member();
    const response = await server.gql(StartThreadDocument, { input: threadInput(communityId) }, { token: member.token });
    expect(fieldsOf(response)).toEqual(['communityId']);
  });

  it('answers NOT_FOUND for a community that does not exist', async () => {
    const member = await server.factories.member();
    const missing = toGlobalId('Community', '00000000-0000-4000-8000-000000000000');
    expectError(await server.gql(StartThreadDocument, { input: threadInput(missing) }, { token: member.token }), 'NOT_FOUND');
  });
});

describe('reading threads of an OPEN community', () => {
  it('needs no account: the feed, thread(id) with its posts, and node(id) for a thread and a post', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author, { title: 'Open to all' });
    const post = await server.factories.post(thread, author, { body: 'Anyone may read this' });

    const feed = await feedOf(community.community.slug);
    expect(feed!.edges.map((e) => e.node.title)).toEqual(['Open to all']);

    const read = expectData(await server.gql(ThreadDocument, { id: thread.id })).thread!;
    expect(read).toMatchObject({ id: thread.id, title: 'Open to all', replyCount: 1 });
    expect(read.posts.edges.map((e) => e.node.body)).toEqual(['Anyone may read this']);

    const threadNode = expectData(await server.gql(NodeDocument, { id: thread.id })).node;
    expect(threadNode).toMatchObject({ __typename: 'Thread', id: thread.id, title: 'Open to all' });
    const postNode = expectData(await server.gql(NodeDocument, { id: post.id })).node;
    expect(postNode).toMatchObject({ __typename: 'Post', id: post.id, body: 'Anyone may read this' });
  });

  it('answers null for an unknown thread, a malformed ID and the ID of another type', async () => {
    const member = await server.factories.member();
    for (const id of [toGlobalId('Thread', '00000000-0000-4000-8000-000000000000'), 'garbage', member.id]) {
      expect(expectData(await server.gql(ThreadDocument, { id })).thread).toBeNull();
    }
  });
});
