import {
  CommunitiesWithThreadsDocument,
  CommunityDocument,
  LogInDocument,
  NodeDocument,
  NodesDocument,
  SignUpDocument,
  UpdateProfileDocument,
  ViewerCommunityThreadsDocument,
} from '../generated/graphql';
import { CommunityRole, MembershipStatus } from '../support/factories';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('lists that include RESTRICTED communities', () => {
  it('keep the rest of the list when one community\'s threads are forbidden', async () => {
    const open = await server.factories.community({ slug: 'aaa-open' });
    const restricted = await server.factories.community({ slug: 'aaa-restricted', visibility: 'RESTRICTED' as never });
    const author = await server.factories.activeMember(open);
    await server.factories.thread(open, author);
    const response = await server.gql(CommunitiesWithThreadsDocument, {});
    expect(response.data).not.toBeNull();
    const edges = response.data!.communities.edges;
    expect(edges.find((e) => e.node.slug === open.community.slug)?.node.threads).toEqual({ totalCount: 1 });
    expect(edges.find((e) => e.node.slug === restricted.community.slug)?.node.threads).toBeNull();
    const error = expectError(response, 'FORBIDDEN');
    expect(error.path).toEqual(['communities', 'edges', edges.findIndex((e) => e.node.slug === restricted.community.slug), 'node', 'threads']);
  });

  it("refuse a PENDING member the community's threads through their own memberships", async () => {
    const restricted = await server.factories.restrictedCommunity();
    const author = await server.factories.activeMember(restricted);
    await server.factories.thread(restricted, author);
    const pending = await server.factories.member();
    await server.factories.membership(pending, restricted, { status: MembershipStatus.PENDING });
    const response = await server.gql(ViewerCommunityThreadsDocument, {}, { token: pending.token });
    expectError(response, 'FORBIDDEN');
    const edge = response.data?.viewer?.memberships.edges[0];
    expect(edge?.node.status).toBe('PENDING');
    expect(edge?.node.community.threads).toBeNull();
  });
});

describe('node(id) on memberships that are not ACTIVE', () => {
  it('shows a pending request to the applicant, the lead and staff, not to other members', async () => {
    const restricted = await server.factories.restrictedCommunity();
    const lead = await server.factories.activeMember(restricted, [CommunityRole.LEAD]);
    const plain = await server.factories.activeMember(restricted);
    const applicant = await server.factories.member();
    const pending = await server.factories.membership(applicant, restricted, { status: MembershipStatus.PENDING });
    const staff = await server.factories.staff();
    for (const token of [applicant.token, lead.token, staff.token]) {
      expect(expectData(await server.gql(NodeDocument, { id: pending.id }, { token })).node).toMatchObject({ status: 'PENDING' });
    }
    expectError(await server.gql(NodeDocument, { id: pending.id }, { token: plain.token }), 'FORBIDDEN');
  });

  it('keeps a past membership of an OPEN community private', async () => {
    const open = await server.factories.community();
    const former = await server.factories.member();
    const left = await server.factories.membership(former, open, { status: MembershipStatus.LEFT });
    expectError(await server.gql(NodeDocument, { id: left.id }), 'FORBIDDEN');
    expect(expectData(await server.gql(NodeDocument, { id: left.id }, { token: former.token })).node).toMatchObject({ status: 'LEFT' });
  });
});

describe('viewerMembership', () => {
  it('is null when anonymous or not a member, and shows PENDING and LEFT as they are', async () => {
    const restricted = await server.factories.restrictedCommunity();
    const slug = restricted.community.slug;
    expect(expectData(await server.gql(CommunityDocument, { slug })).community?.viewerMembership).toBeNull();
    const stranger = await server.factories.member();
    expect(expectData(await server.gql(CommunityDocument, { slug }, { token: stranger.token })).community?.viewerMembership).toBeNull();
    const pending = await server.factories.member();
    await server.factories.membership(pending, restricted, { status: MembershipStatus.PENDING });
    expect(expectData(await server.gql(CommunityDocument, { slug }, { token: pending.token })).community?.viewerMembership).toEqual({ status: 'PENDING', roles: [] });
    const former = await server.factories.member();
    await server.factories.membership(former, restricted, { status: MembershipStatus.LEFT });
    expect(expectData(await server.gql(CommunityDocument, { slug }, { token: former.token })).community?.viewerMembership?.status).toBe('LEFT');
  });
});

describe('bad input', () => {
  it('nodes refuses more than 100 IDs; unknown and malformed IDs are null', async () => {
    const ids = Array.from({ length: 101 }, () => 'x');
    expectError(await server.gql(NodesDocument, { ids }), 'BAD_USER_INPUT');
    const member = await server.factories.member();
    const { nodes } = expectData(await server.gql(NodesDocument, { ids: [member.id, 'garbage', Buffer.from('Thread:00000000-0000-4000-8000-000000000000').toString('base64url')] }));
    expect(nodes).toEqual([{ __typename: 'Member', id: member.id }, null, null]);
  });

  it('a missing required input field is BAD_USER_INPUT with fieldErrors naming the variable', async () => {
    const response = await server.raw({
      query: 'mutation ($input: LogInInput!) { logIn(input: $input) { token } }',
      variables: { input: { email: 'a@example.org' } },
    });
    const error = expectError(response, 'BAD_USER_INPUT');
    expect(error.extensions?.fieldErrors).toEqual([expect.objectContaining({ field: 'input' })]);
  });

  it('logIn refuses oversized input before any lookup', async () => {
    const response = await server.gql(LogInDocument, { input: { email: `${'a'.repeat(300)}@example.org`, password: 'x' } });
    expect(expectError(response, 'BAD_USER_INPUT').extensions?.fieldErrors).toEqual([expect.objectContaining({ field: 'email' })]);
  });

  it('updateProfile refuses a blank display name and keeps the old one', async () => {
    const member = await server.factories.member({ displayName: 'Keep Me' });
    expectError(await server.gql(UpdateProfileDocument, { input: { displayName: '   ' } }, { token: member.token }), 'BAD_USER_INPUT');
    const { node } = expectData(await server.gql(NodeDocument, { id: member.id }));
    expect(node).toMatchObject({ displayName: 'Keep Me' });
  });

  it('setOrgRole refuses a role that does not exist', async () => {
    const staff = await server.factories.staff();
    const target = await server.factories.member();
    const response = await server.raw(
      { query: `mutation { setOrgRole(input: { memberId: "${target.id}", role: KING }) { orgRole } }` },
      { token: staff.token },
    );
    expectError(response, 'GRAPHQL_VALIDATION_FAILED');
  });
});

describe('sign-up limits', () => {
  it('limit sign-ups per client IP, taken from X-Forwarded-For only behind a trusted proxy', async () => {
    const limited = await startTestServer({ SIGNUPS_PER_IP_PER_HOUR: '2', TRUST_PROXY: 'true' });
    try {
      const signUp = (n: number, ip: string) =>
        limited.gql(
          SignUpDocument,
          { input: { email: `ip-${n}-${Math.random()}@example.org`, password: 'a long enough password', displayName: `P${n}` } },
          { headers: { 'x-forwarded-for': `${ip}, 10.0.0.1` } },
        );
      expectData(await signUp(1, '203.0.113.7'));
      expectData(await signUp(2, '203.0.113.7'));
      expectError(await signUp(3, '203.0.113.7'), 'RATE_LIMITED');
      expectData(await signUp(4, '198.51.100.9'));
    } finally {
      await limited.close();
    }
  });
});
