import { CommunitiesWithResourcesDocument, CommunityResourcesDocument } from '../generated/graphql';
import type { CommunityResourcesQuery, CommunityResourcesQueryVariables, ResourceKind, ResourceOrder } from '../generated/graphql';
import { expectData, expectError, startTestServer, type GraphQLResponse, type TestServer } from '../support/server';
import type { Community } from '../../src/modules/communities/community.entity';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const list = (variables: CommunityResourcesQueryVariables, token?: string) => server.gql(CommunityResourcesDocument, variables, { token });

/** Walks every page of a listing and returns the titles in order. */
async function walk(slug: string, options: { orderBy?: ResourceOrder; tag?: string; kind?: ResourceKind; first: number }) {
  const titles: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 50; pages += 1) {
    const response: GraphQLResponse<CommunityResourcesQuery> = await list({ slug, ...options, after });
    const connection = expectData(response).community!.resources!;
    titles.push(...connection.edges.map((e) => e.node.title));
    if (!connection.pageInfo.hasNextPage) return titles;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

describe('Community.resources', () => {
  let community: { community: Community; id: string };
  beforeAll(async () => {
    community = await server.factories.community();
    const sharer = await server.factories.activeMember(community);
    // r0 is the oldest; endorsement counts tie in groups so the tie-breaks matter.
    const specs = [
      { title: 'r0', endorsementCount: 3, kind: 'LINK', tags: ['reading'] },
      { title: 'r1', endorsementCount: 1, kind: 'VIDEO', tags: ['reading', 'video'] },
      { title: 'r2', endorsementCount: 3, kind: 'LINK', tags: [] },
      { title: 'r3', endorsementCount: 0, kind: 'TOOL', tags: ['reading'] },
      { title: 'r4', endorsementCount: 3, kind: 'LINK', tags: ['tools'] },
      { title: 'r5', endorsementCount: 1, kind: 'DOCUMENT', tags: ['reading'] },
      { title: 'r6', endorsementCount: 0, kind: 'LINK', tags: [] },
    ] as const;
    for (const [i, spec] of specs.entries()) {
      await server.factories.resource(community, sharer, { ...spec, tags: [...spec.tags], kind: spec.kind as never, createdAt: minutesAgo(100 - i) });
    }
    // The same createdAt twice: only the id can order these two.
    const tie = minutesAgo(50);
    await server.factories.resource(community, sharer, { title: 'tie-a', createdAt: tie, endorsementCount: 2 });
    await server.factories.resource(community, sharer, { title: 'tie-b', createdAt: tie, endorsementCount: 2 });
    await server.factories.resource(community, sharer, { title: 'removed', removedAt: new Date(), endorsementCount: 9 });
  });

  it('lists newest first by default, removed ones left out, with a totalCount', async () => {
    const { community: found } = expectData(await list({ slug: community.community.slug, first: 100 }));
    const titles = found!.resources!.edges.map((e) => e.node.title);
    expect(titles.slice(0, 2).sort()).toEqual(['tie-a', 'tie-b']);
    expect(titles.slice(2)).toEqual(['r6', 'r5', 'r4', 'r3', 'r2', 'r1', 'r0']);
    expect(found!.resources!.totalCount).toBe(9);
  });

  it('orders by endorsements, newest first among equals', async () => {
    const titles = await walk(community.community.slug, { orderBy: 'ENDORSEMENTS', first: 100 });
    expect(titles.slice(0, 3)).toEqual(['r4', 'r2', 'r0']);
    expect(titles.slice(3, 5).sort()).toEqual(['tie-a', 'tie-b']);
    expect(titles.slice(5)).toEqual(['r5', 'r1', 'r6', 'r3']);
  });

  it.each([1, 2, 3, 4])('pages of %i walk both orders without gaps or duplicates', async (first) => {
    for (const orderBy of ['NEWEST', 'ENDORSEMENTS'] as const) {
      const all = await walk(community.community.slug, { orderBy, first: 100 });
      expect(await walk(community.community.slug, { orderBy, first })).toEqual(all);
    }
  });

  it('filters by tag (as stored: case and spaces do not matter) and by kind, and counts the filtered set', async () => {
    const slug = community.community.slug;
    expect(await walk(slug, { tag: '  READING ', first: 2 })).toEqual(['r5', 'r3', 'r1', 'r0']);
    const links = await walk(slug, { kind: 'LINK', orderBy: 'ENDORSEMENTS', first: 2 });
    expect([...links.slice(0, 3), ...links.slice(3, 5).sort(), ...links.slice(5)]).toEqual(['r4', 'r2', 'r0', 'tie-a', 'tie-b', 'r6']);
    expect(await walk(slug, { tag: 'reading', kind: 'DOCUMENT', first: 5 })).toEqual(['r5']);
    const { community: found } = expectData(await list({ slug, tag: 'reading', first: 1 }));
    expect(found!.resources!.totalCount).toBe(4);
    expect(expectData(await list({ slug, tag: 'nothing-has-this', first: 5 })).community!.resources).toMatchObject({ totalCount: 0, edges: [] });
  });

  it('refuses a cursor from the other order, a malformed cursor and a page size over 100 (BAD_USER_INPUT)', async () => {
    const slug = community.community.slug;
    const { community: found } = expectData(await list({ slug, first: 1 }));
    const newestCursor = found!.resources!.pageInfo.endCursor!;
    expectError(await list({ slug, orderBy: 'ENDORSEMENTS', after: newestCursor }), 'BAD_USER_INPUT');
    expectError(await list({ slug, after: 'bm90IGEgY3Vyc29y' }), 'BAD_USER_INPUT');
    expectError(await list({ slug, first: 101 }), 'BAD_USER_INPUT');
  });

  it('refuses a tag filter with a NUL or other control character as BAD_USER_INPUT on tag', async () => {
    for (const tag of ['read\u0000ing', '\u0007']) {
      const response = await list({ slug: community.community.slug, tag });
      expect(expectError(response, 'BAD_USER_INPUT').extensions?.fieldErrors).toEqual([expect.objectContaining({ field: 'tag' })]);
    }
    expect(server.unexpectedErrors).toEqual([]);
  });

  it('is FORBIDDEN (null) for a RESTRICTED community to anonymous viewers and non-members; members and staff see it', async () => {
    const restricted = await server.factories.restrictedCommunity();
    const member = await server.factories.activeMember(restricted);
    await server.factories.resource(restricted, member, { title: 'Secret syllabus' });
    const slug = restricted.community.slug;
    for (const token of [undefined, (await server.factories.member()).token]) {
      const response = await list({ slug, first: 5 }, token);
      expectError(response, 'FORBIDDEN');
      expect(response.data?.community?.resources).toBeNull();
      expect(JSON.stringify(response)).not.toContain('Secret syllabus');
    }
    expect(expectData(await list({ slug, first: 5 }, member.token)).community!.resources!.edges.map((e) => e.node.title)).toEqual(['Secret syllabus']);
    const staff = await server.factories.staff();
    expect(expectData(await list({ slug, first: 5 }, staff.token)).community!.resources!.totalCount).toBe(1);
  });

  it('costs a fixed number of statements however many communities and resources are listed', async () => {
    // Staff read every community (restricted ones included), so the whole list resolves without refusals.
    const viewer = await server.factories.staff();
    const run = async () => {
      server.queries.length = 0;
      const data = expectData(await server.gql(CommunitiesWithResourcesDocument, {}, { token: viewer.token }));
      return { data, statements: server.queries.length };
    };
    const before = await run();
    for (let i = 0; i < 4; i += 1) {
      const extra = await server.factories.community();
      const sharer = await server.factories.activeMember(extra);
      for (let j = 0; j < 3; j += 1) await server.factories.resource(extra, sharer);
    }
    const after = await run();
    const listed = after.data.communities.edges.reduce((n, e) => n + (e.node.resources?.edges.length ?? 0), 0);
    expect(listed).toBeGreaterThan(12);
    expect(after.statements).toBe(before.statements);
  });
});
