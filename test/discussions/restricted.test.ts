import {
  CommunityFeedDocument,
  CommunityInfoDocument,
  CommunityThreadsDocument,
  NodeDocument,
  NodesDocument,
  PostNodeDocument,
  ReplyToThreadDocument,
  StartThreadDocument,
  ThreadDocument,
} from '../generated/graphql';
import { expectData, expectError, startTestServer, type GraphQLResponse, type TestServer } from '../support/server';
import { CommunityRole, MembershipStatus, type BuiltMember } from '../support/factories';
import { Membership } from '../../src/modules/communities/membership.entity';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** One RESTRICTED community with a thread and a reply, and one OPEN community with the same, plus people around them. */
async function world() {
  const restricted = await server.factories.restrictedCommunity();
  const member = await server.factories.activeMember(restricted, [CommunityRole.DISCUSSION_MONITOR]);
  const thread = await server.factories.thread(restricted, member, { title: 'Student data policy' });
  const post = await server.factories.post(thread, member, { body: 'Confidential reply' });

  const pending = await server.factories.member();
  await server.factories.membership(pending, restricted, { status: MembershipStatus.PENDING });
  const left = await server.factories.member();
  await server.factories.membership(left, restricted, { status: MembershipStatus.LEFT });
  const outsider = await server.factories.member();
  const staff = await server.factories.staff();

  const open = await server.factories.community();
  const openAuthor = await server.factories.activeMember(open);
  const openThread = await server.factories.thread(open, openAuthor, { title: 'Open thread' });
  const openPost = await server.factories.post(openThread, openAuthor, { body: 'Open reply' });
  // The outsider is a member elsewhere: membership of one community opens no other.
  await server.factories.membership(outsider, open);

  return { restricted, member, thread, post, pending, left, outsider, staff, open, openThread, openPost };
}

type World = Awaited<ReturnType<typeof world>>;
let w: World;
beforeAll(async () => {
  w = await world();
});

/** Every non-member viewer: anonymous, signed in but never joined, PENDING, LEFT. */
const nonMembers: [string, (w: World) => BuiltMember | null][] = [
  ['an anonymous viewer', () => null],
  ['a member of another community', (w) => w.outsider],
  ['a PENDING member', (w) => w.pending],
  ['a member who LEFT', (w) => w.left],
];
const tokenOf = (who: BuiltMember | null) => who?.token ?? undefined;

function expectForbidden<R>(response: GraphQLResponse<R>) {
  expectError(response, 'FORBIDDEN');
  const text = JSON.stringify(response);
  expect(text).not.toContain('Student data policy');
  expect(text).not.toContain('Confidential reply');
}

describe.each(nonMembers)('a RESTRICTED community read by %s', (_name, who) => {
  it('shows its name and description', async () => {
    const { community } = expectData(await server.gql(CommunityInfoDocument, { slug: w.restricted.community.slug }, { token: tokenOf(who(w)) }));
    expect(community).toMatchObject({ id: w.restricted.id, name: w.restricted.community.name, description: 'A community for testing', visibility: 'RESTRICTED' });
  });

  it('refuses community(slug).threads as FORBIDDEN', async () => {
    expectForbidden(await server.gql(CommunityThreadsDocument, { slug: w.restricted.community.slug, first: 10 }, { token: tokenOf(who(w)) }));
    expectForbidden(await server.gql(CommunityFeedDocument, { slug: w.restricted.community.slug, first: 10 }, { token: tokenOf(who(w)) }));
  });

  it('refuses thread(id) as FORBIDDEN', async () => {
    expectForbidden(await server.gql(ThreadDocument, { id: w.thread.id }, { token: tokenOf(who(w)) }));
  });

  it('refuses node(id) for a thread and for a post as FORBIDDEN', async () => {
    expectForbidden(await server.gql(NodeDocument, { id: w.thread.id }, { token: tokenOf(who(w)) }));
    expectForbidden(await server.gql(NodeDocument, { id: w.post.id }, { token: tokenOf(who(w)) }));
    expectForbidden(await server.gql(PostNodeDocument, { id: w.post.id }, { token: tokenOf(who(w)) }));
  });

  it('refuses the restricted items of nodes(ids) as FORBIDDEN, and still returns the readable ones', async () => {
    const ids = [w.openThread.id, w.thread.id, w.post.id, w.openPost.id, w.restricted.id];
    const response = await server.gql(NodesDocument, { ids }, { token: tokenOf(who(w)) });
    expectForbidden(response);
    // One error per refused item, at its position (in whatever order they settled).
    const paths = response.errors!.filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => e.path);
    expect(paths.sort((a, b) => Number(a![1]) - Number(b![1]))).toEqual([
      ['nodes', 1],
      ['nodes', 2],
    ]);
    expect(response.data?.nodes).toEqual([
      { __typename: 'Thread', id: w.openThread.id },
      null,
      null,
      { __typename: 'Post', id: w.openPost.id },
      { __typename: 'Community', id: w.restricted.id },
    ]);
  });

  it('refuses to write there', async () => {
    const token = tokenOf(who(w));
    const code = token ? 'FORBIDDEN' : 'UNAUTHENTICATED';
    expectError(await server.gql(StartThreadDocument, { input: { communityId: w.restricted.id, title: 'x', body: 'y' } }, { token }), code);
    expectError(await server.gql(ReplyToThreadDocument, { input: { threadId: w.thread.id, body: 'y' } }, { token }), code);
    const staffView = expectData(await server.gql(ThreadDocument, { id: w.thread.id }, { token: w.staff.token })).thread!;
    expect(staffView.replyCount).toBe(1);
    expect(staffView.posts.totalCount).toBe(1);
  });
});

describe.each([
  ['an ACTIVE member', (w: World) => w.member],
  ['staff who are not members', (w: World) => w.staff],
])('a RESTRICTED community read by %s', (_name, who) => {
  it('shows its threads on every path', async () => {
    const token = who(w).token;
    const { community } = expectData(await server.gql(CommunityThreadsDocument, { slug: w.restricted.community.slug }, { token }));
    expect(community!.threads!.edges.map((e) => e.node.id)).toEqual([w.thread.id]);

    const feed = expectData(await server.gql(CommunityFeedDocument, { slug: w.restricted.community.slug, first: 10 }, { token })).community!;
    expect(feed.threads!.edges[0]!.node.posts.edges.map((e) => e.node.body)).toEqual(['Confidential reply']);

    const { thread } = expectData(await server.gql(ThreadDocument, { id: w.thread.id }, { token }));
    expect(thread).toMatchObject({ title: 'Student data policy', replyCount: 1 });
    expect(thread!.posts.edges.map((e) => e.node.body)).toEqual(['Confidential reply']);

    expect(expectData(await server.gql(NodeDocument, { id: w.thread.id }, { token })).node).toMatchObject({ title: 'Student data policy' });
    expect(expectData(await server.gql(NodeDocument, { id: w.post.id }, { token })).node).toMatchObject({ body: 'Confidential reply' });
    expect(expectData(await server.gql(NodesDocument, { ids: [w.thread.id, w.post.id] }, { token })).nodes).toEqual([
      { __typename: 'Thread', id: w.thread.id },
      { __typename: 'Post', id: w.post.id },
    ]);
  });
});

describe('a member who is approved', () => {
  it('reads the content once ACTIVE, and loses it again after leaving', async () => {
    const community = await server.factories.restrictedCommunity();
    const author = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const applicant = await server.factories.member();
    const { membership } = await server.factories.membership(applicant, community, { status: MembershipStatus.PENDING });
    expectError(await server.gql(ThreadDocument, { id: thread.id }, { token: applicant.token }), 'FORBIDDEN');

    await server.em().nativeUpdate(Membership, { id: membership.id }, { status: MembershipStatus.ACTIVE, joinedAt: new Date() });
    expect(expectData(await server.gql(ThreadDocument, { id: thread.id }, { token: applicant.token })).thread!.id).toBe(thread.id);

    await server.em().nativeUpdate(Membership, { id: membership.id }, { status: MembershipStatus.LEFT, joinedAt: null });
    expectError(await server.gql(ThreadDocument, { id: thread.id }, { token: applicant.token }), 'FORBIDDEN');
  });
});

describe('an OPEN community', () => {
  it('is readable anonymously on every path', async () => {
    const { community } = expectData(await server.gql(CommunityThreadsDocument, { slug: w.open.community.slug }));
    expect(community!.threads!.edges.map((e) => e.node.id)).toEqual([w.openThread.id]);
    const feed = expectData(await server.gql(CommunityFeedDocument, { slug: w.open.community.slug, first: 10 })).community!;
    expect(feed.threads!.edges[0]!.node.posts.edges.map((e) => e.node.body)).toEqual(['Open reply']);
    expect(expectData(await server.gql(ThreadDocument, { id: w.openThread.id })).thread!.title).toBe('Open thread');
    expect(expectData(await server.gql(NodeDocument, { id: w.openPost.id })).node).toMatchObject({ body: 'Open reply' });
    expect(expectData(await server.gql(NodesDocument, { ids: [w.openThread.id, w.openPost.id] })).nodes).toHaveLength(2);
  });
});
