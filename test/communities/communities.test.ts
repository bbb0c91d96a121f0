import {
  CommunitiesDocument,
  type CommunitiesQuery,
  CommunityDocument,
  CommunityMembersDocument,
  CreateCommunityDocument,
  MemberMembershipsDocument,
} from '../generated/graphql';
import { CommunityRole, MembershipStatus, OrgRole } from '../support/factories';
import { expectData, expectError, startTestServer, type GraphQLResponse, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const createInput = (overrides: Record<string, unknown> = {}) => ({
  name: 'Digital and technology tools',
  slug: `digital-tools-${Math.random().toString(36).slice(2, 8)}`,
  description: 'Apps, devices and platforms for school libraries',
  topics: ['Technology', 'apps'],
  ...overrides,
});

describe('createCommunity', () => {
  it('is refused to anonymous viewers, members and council members', async () => {
    expectError(await server.gql(CreateCommunityDocument, { input: createInput() }), 'UNAUTHENTICATED');
    for (const orgRole of [OrgRole.MEMBER, OrgRole.COUNCIL]) {
      const member = await server.factories.member({ orgRole });
      expectError(await server.gql(CreateCommunityDocument, { input: createInput() }, { token: member.token }), 'FORBIDDEN');
    }
  });

  it('lets staff and board members create an OPEN community with normalised topics', async () => {
    for (const orgRole of [OrgRole.STAFF, OrgRole.BOARD]) {
      const founder = await server.factories.member({ orgRole });
      const input = createInput();
      const { createCommunity } = expectData(await server.gql(CreateCommunityDocument, { input }, { token: founder.token }));
      expect(createCommunity).toMatchObject({ slug: input.slug, visibility: 'OPEN', topics: ['technology', 'apps'], memberCount: 0 });
      expect(createCommunity.viewerMembership).toBeNull();
    }
  });

  it('can make the founder its ACTIVE lead', async () => {
    const staff = await server.factories.staff();
    const { createCommunity } = expectData(
      await server.gql(CreateCommunityDocument, { input: createInput({ joinAsLead: true }) }, { token: staff.token }),
    );
    expect(createCommunity.memberCount).toBe(1);
    expect(createCommunity.viewerMembership).toEqual({ status: 'ACTIVE', roles: ['LEAD'] });
  });

  it('requires a rationale for a RESTRICTED community and writes nothing without one', async () => {
    const staff = await server.factories.staff();
    const input = createInput({ visibility: 'RESTRICTED' });
    const error = expectError(await server.gql(CreateCommunityDocument, { input }, { token: staff.token }), 'BAD_USER_INPUT');
    expect(error.extensions?.fieldErrors).toEqual([expect.objectContaining({ field: 'membershipRationale' })]);
    expect(expectData(await server.gql(CommunityDocument, { slug: input.slug })).community).toBeNull();

    const withRationale = { ...input, membershipRationale: 'Members discuss individual students' };
    const { createCommunity } = expectData(await server.gql(CreateCommunityDocument, { input: withRationale }, { token: staff.token }));
    expect(createCommunity).toMatchObject({ visibility: 'RESTRICTED', membershipRationale: 'Members discuss individual students' });
  });

  it('refuses a taken slug with CONFLICT', async () => {
    const staff = await server.factories.staff();
    const input = createInput();
    expectData(await server.gql(CreateCommunityDocument, { input }, { token: staff.token }));
    expectError(await server.gql(CreateCommunityDocument, { input: { ...input, name: 'Another name' } }, { token: staff.token }), 'CONFLICT');
  });

  it('validates name, slug, description and topics', async () => {
    const staff = await server.factories.staff();
    const input = createInput({ name: 'x', slug: 'Not A Slug', description: ' ', topics: Array.from({ length: 11 }, (_, i) => `t${i}`) });
    const error = expectError(await server.gql(CreateCommunityDocument, { input }, { token: staff.token }), 'BAD_USER_INPUT');
    const fields = (error.extensions?.fieldErrors as { field: string }[]).map((e) => e.field);
    expect(new Set(fields)).toEqual(new Set(['name', 'slug', 'description', 'topics']));
  });
});

describe('communities and community(slug)', () => {
  let reading: TestServer;
  beforeAll(async () => {
    reading = await startTestServer();
    const f = reading.factories;
    await f.community({ name: 'Information literacy instruction', slug: 'info-lit', topics: ['information literacy', 'teaching'], description: 'Teaching students to evaluate sources' });
    await f.community({ name: 'Literature and reading promotion', slug: 'reading', topics: ['reading'], description: 'Book clubs and reading challenges' });
    await f.community({ name: 'Teacher collaboration', slug: 'teachers', topics: ['teaching'], description: 'Co-planning with classroom teachers' });
    await f.community({ name: 'Diversity, equity and inclusion', slug: 'dei', topics: ['dei'], description: 'Inclusive collections', visibility: 'RESTRICTED' as never });
    await f.community({ name: 'Digital and technology tools', slug: 'digital', topics: ['technology'], description: '100% practical_tools' });
  });
  afterAll(() => reading.close());

  it('lists every community by name to anonymous viewers, restricted ones included', async () => {
    const { communities } = expectData(await reading.gql(CommunitiesDocument, {}));
    expect(communities.totalCount).toBe(5);
    expect(communities.edges.map((e) => e.node.slug)).toEqual(['digital', 'dei', 'info-lit', 'reading', 'teachers']);
    expect(communities.pageInfo.hasNextPage).toBe(false);
  });

  it('pages with first/after without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null | undefined = undefined;
    for (let i = 0; i < 5; i++) {
      const response: GraphQLResponse<CommunitiesQuery> = await reading.gql(CommunitiesDocument, { first: 2, after });
      const { communities } = expectData(response);
      seen.push(...communities.edges.map((e) => e.node.slug));
      expect(communities.totalCount).toBe(5);
      if (!communities.pageInfo.hasNextPage) break;
      after = communities.pageInfo.endCursor;
    }
    expect(seen).toEqual(['digital', 'dei', 'info-lit', 'reading', 'teachers']);
  });

  it('searches name and description, case-insensitively, treating % and _ as text', async () => {
    const bySearch = async (search: string) =>
      expectData(await reading.gql(CommunitiesDocument, { search })).communities.edges.map((e) => e.node.slug);
    expect(await bySearch('READING')).toEqual(['reading']);
    expect(await bySearch('sources')).toEqual(['info-lit']);
    expect(await bySearch('teach collab')).toEqual(['teachers']);
    expect(await bySearch('100%')).toEqual(['digital']);
    expect(await bySearch('_')).toEqual(['digital']);
    expect(await bySearch("'; drop table community; --")).toEqual([]);
  });

  it('filters by topic', async () => {
    const { communities } = expectData(await reading.gql(CommunitiesDocument, { topic: 'Teaching' }));
    expect(communities.edges.map((e) => e.node.slug)).toEqual(['info-lit', 'teachers']);
    expect(communities.totalCount).toBe(2);
  });

  it('refuses first outside 1..100 and a malformed cursor', async () => {
    expectError(await reading.gql(CommunitiesDocument, { first: 0 }), 'BAD_USER_INPUT');
    expectError(await reading.gql(CommunitiesDocument, { first: 101 }), 'BAD_USER_INPUT');
    expectError(await reading.gql(CommunitiesDocument, { after: 'definitely-not-a-cursor' }), 'BAD_USER_INPUT');
  });

  it('returns null for an unknown slug', async () => {
    expect(expectData(await reading.gql(CommunityDocument, { slug: 'nope' })).community).toBeNull();
  });

  it("keeps a RESTRICTED community's name and description public", async () => {
    const { community } = expectData(await reading.gql(CommunityDocument, { slug: 'dei' }));
    expect(community).toMatchObject({ name: 'Diversity, equity and inclusion', description: 'Inclusive collections', visibility: 'RESTRICTED' });
  });
});

describe('members of a community', () => {
  it('lists ACTIVE members with their roles, and counts only them', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const plain = await server.factories.activeMember(community);
    await server.factories.membership(await server.factories.member(), community, { status: MembershipStatus.PENDING });
    await server.factories.membership(await server.factories.member(), community, { status: MembershipStatus.LEFT });
    const { community: read } = expectData(await server.gql(CommunityMembersDocument, { slug: community.community.slug }));
    expect(read?.members!.totalCount).toBe(2);
    expect(read?.members!.edges.map((e) => e.node.id)).toEqual([lead.id, plain.id]);
    expect(read?.members!.edges[0]!.membership.roles).toEqual(['LEAD']);
    const { community: counted } = expectData(await server.gql(CommunityDocument, { slug: community.community.slug }));
    expect(counted?.memberCount).toBe(2);
  });

  it('hides the member list of a RESTRICTED community from non-members, pending members and anonymous viewers', async () => {
    const community = await server.factories.restrictedCommunity();
    const member = await server.factories.activeMember(community);
    const pending = await server.factories.member();
    await server.factories.membership(pending, community, { status: MembershipStatus.PENDING });
    const outsider = await server.factories.member();
    const slug = community.community.slug;
    for (const token of [undefined, outsider.token, pending.token]) {
      const response = await server.gql(CommunityMembersDocument, { slug }, { token });
      expectError(response, 'FORBIDDEN');
    }
    const staff = await server.factories.staff();
    for (const token of [member.token, staff.token]) {
      const { community: read } = expectData(await server.gql(CommunityMembersDocument, { slug }, { token }));
      expect(read?.members!.totalCount).toBe(1);
    }
  });
});

describe("a member's memberships", () => {
  it('shows others only ACTIVE memberships in communities the viewer may read, and everything to the member', async () => {
    const open = await server.factories.community();
    const restricted = await server.factories.restrictedCommunity();
    const pendingIn = await server.factories.community();
    const subject = await server.factories.member();
    await server.factories.membership(subject, open);
    await server.factories.membership(subject, restricted);
    await server.factories.membership(subject, pendingIn, { status: MembershipStatus.PENDING });

    const slugsFor = async (token?: string) => {
      const { node } = expectData(await server.gql(MemberMembershipsDocument, { id: subject.id }, { token }));
      if (node?.__typename !== 'Member') throw new Error('expected a member');
      return { slugs: node.memberships.edges.map((e) => e.node.community.slug).sort(), total: node.memberships.totalCount, email: node.email };
    };
    const anonymous = await slugsFor();
    expect(anonymous).toEqual({ slugs: [open.community.slug], total: 1, email: null });

    const fellow = await server.factories.activeMember(restricted);
    expect((await slugsFor(fellow.token)).slugs).toEqual([open.community.slug, restricted.community.slug].sort());

    const self = await slugsFor(subject.token);
    expect(self.total).toBe(3);
    expect(self.email).toBe(subject.email);
  });
});
