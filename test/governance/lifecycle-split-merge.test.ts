import {
  AuditLogDocument,
  CommunityThreadsDocument,
  MergeCommunitiesDocument,
  NodeDocument,
  SearchDocument,
  SplitCommunityDocument,
  ThreadDocument,
  LifecycleCommunityBySlugDocument,
} from '../generated/graphql';
import { MEMBERSHIP_REFERENCES } from '../../src/modules/governance/lifecycle/moveMemberships';
import { CommunityRole, MembershipStatus } from '../support/factories';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { dbId, freshSlug, placeOf, snapshot } from './lifecycleSupport';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

type Built = Awaited<ReturnType<TestServer['factories']['community']>>;

async function addStandard(community: Built, text: string, rationale = 'Because') {
  await server.em().execute('insert into community_standard (id, community_id, text, rationale) values (gen_random_uuid(), ?, ?, ?)', [community.community.id, text, rationale]);
}

async function setMembership(id: string, values: { preference?: string; joinedAt?: string | null }) {
  if (values.preference) await server.em().execute('update membership set notification_preference = ? where id = ?', [values.preference, dbId(id)]);
  if (values.joinedAt !== undefined) await server.em().execute('update membership set joined_at = ? where id = ?', [values.joinedAt, dbId(id)]);
}

const membershipsOf = (communityId: string) =>
  server
    .em()
    .execute<{ id: string; member_id: string; status: string; roles: string[]; notification_preference: string; joined_ms: string | null }[]>(
      'select id, member_id, status, roles, notification_preference, (extract(epoch from joined_at) * 1000)::bigint::text as joined_ms from membership where community_id = ? order by member_id',
      [communityId],
    );

const standardsOf = async (communityId: string) =>
  (await server.em().execute<{ text: string; rationale: string }[]>('select text, rationale from community_standard where community_id = ? order by text', [communityId])).map(
    (row) => [row.text, row.rationale],
  );

const word = () => `zq${Math.random().toString(36).slice(2, 10)}`;

describe('splitCommunity', () => {
  it('founds the parts with every ACTIVE and PENDING member, the listed threads (with posts) and resources, and retires the original as their archive', async () => {
    const staff = await server.factories.staff();
    const original = await server.factories.restrictedCommunity();
    await addStandard(original, 'Anonymise student work', 'Privacy');
    await addStandard(original, 'Cite your sources');
    const lead = await server.factories.activeMember(original, [CommunityRole.LEAD]);
    await setMembership(lead.membershipId, { preference: 'DAILY_DIGEST', joinedAt: '2026-01-05T10:00:00.000Z' });
    const pending = await server.factories.member();
    await server.factories.membership(pending, original, { status: MembershipStatus.PENDING });
    const gone = await server.factories.member();
    await server.factories.membership(gone, original, { status: MembershipStatus.LEFT });
    const [t1, t2, t3] = [await server.factories.thread(original, lead), await server.factories.thread(original, lead), await server.factories.thread(original, lead)];
    const posts = [await server.factories.post(t1, lead), await server.factories.post(t1, lead), await server.factories.post(t2, lead), await server.factories.post(t3, lead)];
    const [r1, r2] = [await server.factories.resource(original, lead), await server.factories.resource(original, lead)];
    const before = await snapshot(server);

    const parts = [
      { name: 'Alpha part', slug: freshSlug('alpha'), description: 'First half', topics: ['Alpha'], threadIds: [t1.id], resourceIds: [r1.id] },
      { name: 'Beta part', slug: freshSlug('beta'), description: 'Second half', topics: ['beta'], threadIds: [t2.id] },
    ];
    const { splitCommunity } = expectData(await server.gql(SplitCommunityDocument, { input: { communityId: original.id, parts } }, { token: staff.token }));
    expect(splitCommunity).toEqual([
      expect.objectContaining({ name: 'Alpha part', slug: parts[0]!.slug, topics: ['alpha'], status: 'ACTIVE', splitFrom: { id: original.id, slug: original.community.slug } }),
      expect.objectContaining({ name: 'Beta part', slug: parts[1]!.slug, topics: ['beta'], status: 'ACTIVE', splitFrom: { id: original.id, slug: original.community.slug } }),
    ]);
    for (const created of splitCommunity) {
      expect(created).toMatchObject({ visibility: 'RESTRICTED', membershipRationale: original.community.membershipRationale, memberCount: 1, successors: [], retiredAt: null });
    }
    const [alpha, beta] = splitCommunity.map((c) => dbId(c.id)) as [string, string];

    // The original: a RETIRED archive with the parts as successors, found by slug, keeping its own memberships.
    const { community: archived } = expectData(await server.gql(LifecycleCommunityBySlugDocument, { slug: original.community.slug }, { token: staff.token }));
    expect(archived).toMatchObject({ status: 'RETIRED', mergedInto: null, successors: splitCommunity.map((c) => ({ id: c.id, slug: c.slug })) });
    expect(Date.parse(archived!.retiredAt!)).toBeGreaterThan(Date.now() - 60_000);

    // Nothing lost or duplicated: 2 communities, 2 × (ACTIVE + PENDING) memberships and 2 × 2 standards more; the same threads, posts, resources.
    const after = await snapshot(server);
    expect(after).toMatchObject({
      community: before.community + 2,
      membership: before.membership + 4,
      communityStandard: before.communityStandard + 4,
      thread: before.thread,
      post: before.post,
      resource: before.resource,
    });
    expect(await membershipsOf(original.community.id)).toHaveLength(3);
    for (const part of [alpha, beta]) {
      const copied = await membershipsOf(part);
      expect(copied.map((m) => [m.member_id, m.status, m.roles, m.notification_preference])).toEqual(
        [
          [lead.member.id, 'ACTIVE', ['LEAD'], 'DAILY_DIGEST'],
          [pending.member.id, 'PENDING', [], 'REALTIME'],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );
      expect(copied.find((m) => m.member_id === lead.member.id)!.joined_ms).toBe(String(Date.parse('2026-01-05T10:00:00.000Z')));
      expect(await standardsOf(part)).toEqual([
        ['Anonymise student work', 'Privacy'],
        ['Cite your sources', 'Because'],
      ]);
    }

    // Listed threads and resources moved, keeping their IDs; posts follow their thread; the rest stay in the archive.
    expect(await placeOf(server, 'thread', [t1.thread.id, t2.thread.id, t3.thread.id])).toEqual({ [t1.thread.id]: alpha, [t2.thread.id]: beta, [t3.thread.id]: original.community.id });
    expect(await placeOf(server, 'post', posts.map((p) => p.post.id))).toEqual({
      [posts[0]!.post.id]: alpha,
      [posts[1]!.post.id]: alpha,
      [posts[2]!.post.id]: beta,
      [posts[3]!.post.id]: original.community.id,
    });
    expect(await placeOf(server, 'resource', [r1.resource.id, r2.resource.id])).toEqual({ [r1.resource.id]: alpha, [r2.resource.id]: original.community.id });
    const { thread } = expectData(await server.gql(ThreadDocument, { id: t1.id }, { token: lead.token }));
    expect(thread).toMatchObject({ id: t1.id, community: { slug: parts[0]!.slug } });

    // Audited: the split on the original (before/after), each part's founding with where it came from.
    const { auditLog } = expectData(await server.gql(AuditLogDocument, { communityId: original.id }, { token: staff.token }));
    expect(auditLog.edges[0]!.node).toMatchObject({
      action: 'community.split',
      details: {
        before: { status: 'ACTIVE', listed: true },
        after: { status: 'RETIRED', listed: false },
        successors: splitCommunity.map((c) => ({ id: c.id, slug: c.slug })),
        parts: [expect.objectContaining({ threads: 1, resources: 1, members: 2, standards: 2 }), expect.objectContaining({ threads: 1, resources: 0, members: 2, standards: 2 })],
      },
    });
    const { auditLog: partLog } = expectData(await server.gql(AuditLogDocument, { communityId: splitCommunity[0]!.id }, { token: staff.token }));
    expect(partLog.edges.map((e) => e.node)).toEqual([expect.objectContaining({ action: 'community.created', details: expect.objectContaining({ splitFrom: original.id }) })]);
  });

  it('makes moved threads and replies searchable under their new community', async () => {
    const staff = await server.factories.staff();
    const original = await server.factories.community();
    const author = await server.factories.activeMember(original);
    const [titleWord, replyWord] = [word(), word()];
    const moved = await server.factories.thread(original, author, { title: `Moving ${titleWord}` });
    await server.factories.post(moved, author, { body: `A reply about ${replyWord}` });
    const parts = [
      { name: 'Searchable part', slug: freshSlug('searchable'), description: 'Has the thread', topics: [], threadIds: [moved.id] },
      { name: 'Empty part', slug: freshSlug('empty'), description: 'Has nothing', topics: [], threadIds: [] },
    ];
    const { splitCommunity } = expectData(await server.gql(SplitCommunityDocument, { input: { communityId: original.id, parts } }, { token: staff.token }));
    for (const [query, communityId, expected] of [
      [titleWord, splitCommunity[0]!.id, 1],
      [replyWord, splitCommunity[0]!.id, 1],
      [titleWord, original.id, 0],
      [replyWord, original.id, 0],
    ] as const) {
      const { search } = expectData(await server.gql(SearchDocument, { query, communityId }, { token: author.token }));
      expect([query, communityId, search.totalCount]).toEqual([query, communityId, expected]);
    }
  });
});

describe('mergeCommunities', () => {
  it('lists, in MEMBERSHIP_REFERENCES, every foreign key to membership.id in the database', async () => {
    const referencing = (table: string) =>
      server.em().execute<{ table_name: string; column_name: string }[]>(
        'select kcu.table_name, kcu.column_name from information_schema.referential_constraints rc ' +
          'join information_schema.key_column_usage kcu on kcu.constraint_name = rc.constraint_name and kcu.constraint_schema = rc.constraint_schema ' +
          'join information_schema.constraint_column_usage ccu on ccu.constraint_name = rc.unique_constraint_name and ccu.constraint_schema = rc.unique_constraint_schema ' +
          "where ccu.table_name = ? and ccu.column_name = 'id' and kcu.table_schema = 'public' order by 1, 2",
        [table],
      );
    // The query finds foreign keys (those to community.id, for instance)…
    expect(await referencing('community')).toEqual(expect.arrayContaining([{ table_name: 'membership', column_name: 'community_id' }, { table_name: 'thread', column_name: 'community_id' }]));
    // …and those to membership.id are exactly the list the merge re-points.
    const listed = MEMBERSHIP_REFERENCES.map(({ table, column }) => ({ table_name: table, column_name: column }));
    expect(listed.sort((a, b) => `${a.table_name}.${a.column_name}`.localeCompare(`${b.table_name}.${b.column_name}`))).toEqual(await referencing('membership'));
  });

  it('moves every thread, post, resource and member into one new community: one membership per member, the strongest kept; the sources retire', async () => {
    const staff = await server.factories.staff();
    const open = await server.factories.community({ name: 'Open source' });
    const restricted = await server.factories.restrictedCommunity();
    await addStandard(open, 'Be kind');
    await addStandard(restricted, '  Be kind ');
    await addStandard(restricted, 'Cite your sources');
    // In both: ACTIVE in each, the restricted one earlier, with LEAD and a daily digest; the open one with a role and weekly.
    const both = await server.factories.member();
    const inOpen = await server.factories.membership(both, open, { roles: [CommunityRole.EVENT_COORDINATOR] });
    const inRestricted = await server.factories.membership(both, restricted, { roles: [CommunityRole.LEAD] });
    await setMembership(inOpen.id, { preference: 'WEEKLY_DIGEST', joinedAt: '2026-03-01T00:00:00.000Z' });
    await setMembership(inRestricted.id, { preference: 'DAILY_DIGEST', joinedAt: '2026-02-01T00:00:00.000Z' });
    // Left one, waiting for the other: PENDING wins.
    const waiting = await server.factories.member();
    await server.factories.membership(waiting, open, { status: MembershipStatus.LEFT });
    const waitingRequest = await server.factories.membership(waiting, restricted, { status: MembershipStatus.PENDING });
    const openOnly = await server.factories.activeMember(open);
    const threads = [await server.factories.thread(open, openOnly), await server.factories.thread(restricted, both), await server.factories.thread(restricted, both)];
    for (const thread of threads) await server.factories.post(thread, both);
    const resources = [await server.factories.resource(open, openOnly), await server.factories.resource(restricted, both)];
    const before = await snapshot(server);

    const input = { communityIds: [open.id, restricted.id], into: { name: 'Merged practice', slug: freshSlug('merged'), description: 'Together', topics: ['Merged'] } };
    const { mergeCommunities } = expectData(await server.gql(MergeCommunitiesDocument, { input }, { token: staff.token }));
    // RESTRICTED because a source was, with that source's rationale.
    expect(mergeCommunities).toMatchObject({
      name: 'Merged practice',
      status: 'ACTIVE',
      visibility: 'RESTRICTED',
      membershipRationale: restricted.community.membershipRationale,
      memberCount: 2,
      successors: [],
      mergedInto: null,
    });
    const merged = dbId(mergeCommunities.id);

    const after = await snapshot(server);
    expect(after).toMatchObject({
      community: before.community + 1,
      membership: before.membership - 2,
      communityStandard: before.communityStandard + 2,
      thread: before.thread,
      post: before.post,
      resource: before.resource,
    });
    expect(await placeOf(server, 'thread', threads.map((t) => t.thread.id))).toEqual(Object.fromEntries(threads.map((t) => [t.thread.id, merged])));
    const postIds = (await server.em().execute<{ id: string }[]>(`select id from post where thread_id in (?, ?, ?)`, threads.map((t) => t.thread.id))).map((r) => r.id);
    expect(Object.values(await placeOf(server, 'post', postIds))).toEqual([merged, merged, merged]);
    expect(await placeOf(server, 'resource', resources.map((r) => r.resource.id))).toEqual(Object.fromEntries(resources.map((r) => [r.resource.id, merged])));
    expect(await standardsOf(merged)).toEqual([
      ['Be kind', 'Because'],
      ['Cite your sources', 'Because'],
    ]);

    // One membership per member, the kept row's ID surviving: the earliest ACTIVE one, with the union of roles and the more frequent preference.
    const memberships = await membershipsOf(merged);
    expect(memberships).toHaveLength(3);
    expect(memberships.find((m) => m.member_id === both.member.id)).toMatchObject({
      id: dbId(inRestricted.id),
      status: 'ACTIVE',
      roles: ['EVENT_COORDINATOR', 'LEAD'],
      notification_preference: 'DAILY_DIGEST',
      joined_ms: String(Date.parse('2026-02-01T00:00:00.000Z')),
    });
    expect(memberships.find((m) => m.member_id === waiting.member.id)).toMatchObject({ id: dbId(waitingRequest.id), status: 'PENDING' });
    expect(memberships.find((m) => m.member_id === openOnly.member.id)).toMatchObject({ id: dbId(openOnly.membershipId), status: 'ACTIVE' });
    expect(await membershipsOf(open.community.id)).toEqual([]);
    expect(await membershipsOf(restricted.community.id)).toEqual([]);
    const { node } = expectData(await server.gql(NodeDocument, { id: inRestricted.id }, { token: both.token }));
    expect(node).toMatchObject({ __typename: 'Membership', status: 'ACTIVE' });
    expect(expectData(await server.gql(NodeDocument, { id: inOpen.id }, { token: staff.token })).node).toBeNull();

    // The sources: RETIRED archives pointing at the merged community.
    for (const source of [open, restricted]) {
      const { community } = expectData(await server.gql(LifecycleCommunityBySlugDocument, { slug: source.community.slug }, { token: staff.token }));
      expect(community).toMatchObject({ status: 'RETIRED', mergedInto: { id: mergeCommunities.id }, successors: [{ id: mergeCommunities.id }] });
      expect(Date.parse(community!.retiredAt!)).toBeGreaterThan(Date.now() - 60_000);
      const { auditLog } = expectData(await server.gql(AuditLogDocument, { communityId: source.id }, { token: staff.token }));
      expect(auditLog.edges[0]!.node).toMatchObject({
        action: 'community.merged',
        details: { before: { status: 'ACTIVE', mergedInto: null }, after: { status: 'RETIRED', mergedInto: mergeCommunities.id }, memberships: { kept: 3, removed: 2 } },
      });
    }
    const { auditLog } = expectData(await server.gql(AuditLogDocument, { communityId: mergeCommunities.id }, { token: staff.token }));
    expect(auditLog.edges[0]!.node).toMatchObject({ action: 'community.created', details: { mergedFrom: [open.id, restricted.id] } });
  });
});

describe('merged content obeys the merged community’s visibility', () => {
  /** A RESTRICTED source with a thread and a reply (each with a word of its own) and an OPEN one, merged as `extra` says. */
  async function mergeRestricted(extra: { visibility?: 'OPEN' | 'RESTRICTED'; visibilityRationale?: string }) {
    const staff = await server.factories.staff();
    const restricted = await server.factories.restrictedCommunity();
    const open = await server.factories.community();
    const member = await server.factories.activeMember(restricted);
    const [titleWord, replyWord] = [word(), word()];
    const thread = await server.factories.thread(restricted, member, { title: `Private ${titleWord}` });
    await server.factories.post(thread, member, { body: `Only for members: ${replyWord}` });
    const slug = freshSlug('merged');
    const input = {
      communityIds: [restricted.id, open.id],
      into: { name: 'Merged for reading', slug, description: 'Visibility test', topics: [], ...(extra.visibility ? { visibility: extra.visibility } : {}) },
      visibilityRationale: extra.visibilityRationale,
    };
    const { mergeCommunities } = expectData(await server.gql(MergeCommunitiesDocument, { input }, { token: staff.token }));
    return { thread, titleWord, replyWord, merged: mergeCommunities, slug };
  }

  it('keeps a RESTRICTED source’s thread FORBIDDEN to non-members on node(id), thread(id), search and the community’s threads', async () => {
    const { thread, titleWord, replyWord, merged, slug } = await mergeRestricted({});
    expect(merged.visibility).toBe('RESTRICTED');
    const outsider = await server.factories.member();
    for (const token of [outsider.token, undefined]) {
      expectError(await server.gql(NodeDocument, { id: thread.id }, { token }), 'FORBIDDEN');
      expectError(await server.gql(ThreadDocument, { id: thread.id }, { token }), 'FORBIDDEN');
      expectError(await server.gql(CommunityThreadsDocument, { slug }, { token }), 'FORBIDDEN');
      expectError(await server.gql(SearchDocument, { query: titleWord, communityId: merged.id }, { token }), 'FORBIDDEN');
      for (const query of [titleWord, replyWord]) expect(expectData(await server.gql(SearchDocument, { query }, { token })).search.totalCount).toBe(0);
    }
  });

  it('makes it readable by anyone once merged into an OPEN community with a rationale', async () => {
    const { thread, titleWord, replyWord, merged, slug } = await mergeRestricted({ visibility: 'OPEN', visibilityRationale: 'The board decided this practice is public' });
    expect(merged).toMatchObject({ visibility: 'OPEN', membershipRationale: null });
    const outsider = await server.factories.member();
    for (const token of [outsider.token, undefined]) {
      expect(expectData(await server.gql(NodeDocument, { id: thread.id }, { token })).node).toMatchObject({ __typename: 'Thread', id: thread.id });
      expect(expectData(await server.gql(ThreadDocument, { id: thread.id }, { token })).thread).toMatchObject({ id: thread.id, community: { slug } });
      expect(expectData(await server.gql(CommunityThreadsDocument, { slug }, { token })).community!.threads!.edges.map((e) => e.node.id)).toEqual([thread.id]);
      for (const communityId of [merged.id, undefined]) {
        const hits = expectData(await server.gql(SearchDocument, { query: titleWord, communityId }, { token })).search;
        expect(hits.edges.map((e) => e.node)).toEqual([expect.objectContaining({ __typename: 'Thread', id: thread.id })]);
        const replies = expectData(await server.gql(SearchDocument, { query: replyWord, communityId }, { token })).search;
        expect(replies.edges.map((e) => e.node.__typename)).toEqual(['Post']);
      }
    }
  });
});
