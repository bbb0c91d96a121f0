import { CommunitiesHealthDocument, CommunityHealthDocument, CommunityHealthRankingDocument } from '../generated/graphql';
import { CommunityRole, CommunityVisibility, MembershipStatus, OrgRole, ThreadKind, type BuiltMember } from '../support/factories';
import { badInputFields, expectData, expectError, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const MINUTE = 60_000;
const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms);
const sql = (text: string, ...params: unknown[]) => server.em().execute(text, params);

/**
 * A community whose figures are known exactly. Over the last 90 days:
 * - ACTIVE members: lead (LEAD + DISCUSSION_MONITOR), ann (MEETING_COORDINATOR), bob, endorser, reactor, quiet → 6;
 *   a LEFT member (EVENT_COORDINATOR, who still replied) and a PENDING one do not count;
 * - threads: t1 (ann, 10 days ago; replies by ann herself at +5 min, bob at +30 min, lead at +2 h, the left member at +3 h),
 *   t2 (bob's QUESTION, 5 days ago; lead at +90 min), t3 (lead's QUESTION, 3 days ago, no reply),
 *   t5 (bob, 2 days ago; only a deleted reply by ann) → 4 threads, 5 replies, first replies 30 and 90 → median 60;
 *   questions 2, unanswered 1 (t3);
 * - t4 (ann's QUESTION, 200 days ago, unanswered) and a resource and a reaction 200 days ago are only in a year's figures;
 * - resources: one by the lead (and one removed) → 1; endorsements: the endorser's; reactions: the reactor's;
 * - active: lead, ann, bob, endorser, reactor → 5 (quiet did nothing lately; the left member is not ACTIVE);
 * - roles filled 3 (LEAD, DISCUSSION_MONITOR, MEETING_COORDINATOR); open roles 2 (set in SQL).
 */
async function knownCommunity(visibility = CommunityVisibility.OPEN) {
  const f = server.factories;
  const community = await f.community({ visibility });
  const lead = await f.activeMember(community, [CommunityRole.LEAD, CommunityRole.DISCUSSION_MONITOR]);
  const ann = await f.activeMember(community, [CommunityRole.MEETING_COORDINATOR]);
  const bob = await f.activeMember(community);
  const endorser = await f.activeMember(community);
  const reactor = await f.activeMember(community);
  const quiet = await f.activeMember(community);
  const left = await f.member();
  await f.membership(left, community, { status: MembershipStatus.LEFT, roles: [CommunityRole.EVENT_COORDINATOR] });
  const pending = await f.member();
  await f.membership(pending, community, { status: MembershipStatus.PENDING });

  const thread = async (author: BuiltMember, createdAt: Date, kind = ThreadKind.DISCUSSION) => {
    const built = await f.thread(community, author, { kind });
    await sql('update thread set created_at = ? where id = ?', createdAt.toISOString(), built.thread.id);
    built.thread.createdAt = createdAt;
    return built;
  };
  const reply = (t: Awaited<ReturnType<typeof thread>>, author: BuiltMember, minutesAfter: number) =>
    f.post(t, author, { createdAt: new Date(t.thread.createdAt.getTime() + minutesAfter * MINUTE) });

  const t1 = await thread(ann, ago(10 * DAY));
  await reply(t1, ann, 5);
  const bobsReply = await reply(t1, bob, 30);
  await reply(t1, lead, 120);
  await reply(t1, left, 180);
  const t2 = await thread(bob, ago(5 * DAY), ThreadKind.QUESTION);
  await reply(t2, lead, 90);
  await thread(lead, ago(3 * DAY), ThreadKind.QUESTION);
  const t5 = await thread(bob, ago(2 * DAY));
  const deleted = await reply(t5, ann, 1);
  await sql('update post set deleted_at = now() where id = ?', deleted.post.id);
  const t4 = await thread(ann, ago(200 * DAY), ThreadKind.QUESTION);

  const resource = await f.resource(community, lead, { createdAt: ago(DAY) });
  await f.resource(community, ann, { createdAt: ago(DAY), removedAt: new Date() });
  await f.resource(community, quiet, { createdAt: ago(200 * DAY) });
  await sql('insert into resource_endorsement (id, resource_id, member_id) values (gen_random_uuid(), ?, ?)', resource.resource.id, endorser.member.id);
  await sql(`insert into reaction (id, post_id, member_id, emoji) values (gen_random_uuid(), ?, ?, '👍')`, bobsReply.post.id, reactor.member.id);
  const oldReply = await reply(t4, bob, 10);
  await sql('update post set deleted_at = now() where id = ?', oldReply.post.id);
  await sql(`insert into reaction (id, post_id, member_id, emoji, created_at) values (gen_random_uuid(), ?, ?, '🎉', ?)`, bobsReply.post.id, quiet.member.id, ago(200 * DAY).toISOString());
  await sql(`update community set open_roles = '{EVENT_COORDINATOR,DISCUSSION_MONITOR}' where id = ?`, community.community.id);
  return { community, slug: community.community.slug, lead, ann, bob, quiet, pending, left };
}

const healthOf = async (slug: string, days: number | undefined, token?: string) =>
  server.gql(CommunityHealthDocument, { slug, days }, { token });

describe('Community.health', () => {
  it('is FORBIDDEN to anonymous viewers, non-members, PENDING and LEFT members; days outside 1..730 are BAD_USER_INPUT', async () => {
    const { slug, pending, left } = await knownCommunity();
    const outsider = await server.factories.member();
    const council = await server.factories.member({ orgRole: OrgRole.COUNCIL });
    for (const token of [undefined, outsider.token, council.token, pending.token, left.token]) {
      const response = await healthOf(slug, 90, token);
      expectError(response, 'FORBIDDEN');
      expect(response.data?.community?.health).toBeNull();
    }
    const staff = await server.factories.staff();
    for (const days of [0, -1, 731]) {
      const response = await healthOf(slug, days, staff.token);
      expectError(response, 'BAD_USER_INPUT');
      expect(badInputFields(response)).toEqual(['days']);
    }
  });

  it('counts exactly what happened in the period (members, staff and board read it)', async () => {
    const { slug, quiet } = await knownCommunity();
    const board = await server.factories.member({ orgRole: OrgRole.BOARD });
    const staff = await server.factories.staff();
    for (const token of [quiet.token, board.token, staff.token]) {
      const { community } = expectData(await healthOf(slug, undefined, token));
      expect(community!.health).toEqual({
        periodDays: 90,
        activeMembers: 5,
        memberCount: 6,
        threadsStarted: 4,
        replies: 5,
        medianFirstReplyMinutes: 60,
        questionsAsked: 2,
        unansweredQuestions: 1,
        resourcesShared: 1,
        meetingsHeld: 0,
        meetingAttendance: null,
        rolesFilled: 3,
        openRoles: 2,
      });
    }
    // A year also sees the old question (unanswered: its one reply is deleted), the old resource and the old reaction.
    const { community } = expectData(await healthOf(slug, 365, staff.token));
    expect(community!.health).toMatchObject({
      periodDays: 365,
      activeMembers: 6,
      threadsStarted: 5,
      replies: 5,
      questionsAsked: 3,
      unansweredQuestions: 2,
      resourcesShared: 2,
      medianFirstReplyMinutes: 60,
    });
    // The last day saw only the endorsement and the reaction (the resource was shared just over a day ago).
    const { community: lastDay } = expectData(await healthOf(slug, 1, staff.token));
    expect(lastDay!.health).toMatchObject({ threadsStarted: 0, replies: 0, medianFirstReplyMinutes: null, resourcesShared: 0, activeMembers: 2 });
  });

  it('follows readContent for RESTRICTED communities: ACTIVE members, staff and board', async () => {
    const { slug, quiet } = await knownCommunity(CommunityVisibility.RESTRICTED);
    const outsider = await server.factories.member();
    expectError(await healthOf(slug, 90, outsider.token), 'FORBIDDEN');
    const board = await server.factories.member({ orgRole: OrgRole.BOARD });
    for (const token of [quiet.token, board.token]) {
      expect(expectData(await healthOf(slug, 90, token)).community!.health).toMatchObject({ threadsStarted: 4, activeMembers: 5 });
    }
  });

  it('costs one statement for a whole list of communities', async () => {
    const staff = await server.factories.staff();
    const run = async (first: number) => {
      server.queries.length = 0;
      const { communities } = expectData(await server.gql(CommunitiesHealthDocument, { first }, { token: staff.token }));
      expect(communities.edges.length).toBeGreaterThan(0);
      return server.queries.filter((q) => q.includes('health_communities')).length;
    };
    await knownCommunity();
    expect(await run(1)).toBe(1);
    expect(await run(20)).toBe(1);
  });
});

describe('communityHealthRanking', () => {
  it('is refused to anonymous viewers (UNAUTHENTICATED) and members (FORBIDDEN); bad days are BAD_USER_INPUT', async () => {
    expectError(await server.gql(CommunityHealthRankingDocument, {}), 'UNAUTHENTICATED');
    const member = await server.factories.member();
    const response = await server.gql(CommunityHealthRankingDocument, {}, { token: member.token });
    expectError(response, 'FORBIDDEN');
    expect(response.data).toBeNull();
    const board = await server.factories.member({ orgRole: OrgRole.BOARD });
    expect(badInputFields(await server.gql(CommunityHealthRankingDocument, { days: 0 }, { token: board.token }))).toEqual(['days']);
  });

  it('ranks every ACTIVE community, healthiest first, with the documented score, page by page', async () => {
    const known = await knownCommunity();
    const idle = await server.factories.community();
    await server.factories.activeMember(idle);
    const retired = await knownCommunity();
    await sql(`update community set status = 'RETIRED', retired_at = now() where id = ?`, retired.community.community.id);
    const board = await server.factories.member({ orgRole: OrgRole.BOARD });

    const { communityHealthRanking: all } = expectData(await server.gql(CommunityHealthRankingDocument, { first: 100 }, { token: board.token }));
    const [{ n }] = await server.em().execute<{ n: string }[]>(`select count(*) as n from community where status = 'ACTIVE'`);
    expect(all.totalCount).toBe(Number(n));
    expect(all.edges.map((e) => e.rank)).toEqual(all.edges.map((_, i) => i + 1));
    const scores = all.edges.map((e) => e.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const slugs = all.edges.map((e) => e.community.slug);
    expect(slugs).not.toContain(retired.slug);
    expect(slugs.indexOf(known.slug)).toBeLessThan(slugs.indexOf(idle.community.slug));
    const edge = all.edges.find((e) => e.community.slug === known.slug)!;
    // 0.35·5/6 + 0.25·min(1, 10/6/3) + 0.20·1440/1500 + 0.10·(1 − 1/2) + 0.10·3/5
    expect(edge.score).toBeCloseTo(0.35 * (5 / 6) + 0.25 * (10 / 6 / 3) + 0.2 * (1440 / 1500) + 0.1 * 0.5 + 0.1 * 0.6, 4);
    expect(edge.health).toMatchObject({ activeMembers: 5, threadsStarted: 4, medianFirstReplyMinutes: 60 });
    expect(all.edges.find((e) => e.community.slug === idle.community.slug)!.score).toBe(0);

    // Paging continues the same ranking.
    const { communityHealthRanking: first } = expectData(await server.gql(CommunityHealthRankingDocument, { first: 1 }, { token: board.token }));
    expect(first.pageInfo.hasNextPage).toBe(true);
    const { communityHealthRanking: second } = expectData(
      await server.gql(CommunityHealthRankingDocument, { first: 1, after: first.pageInfo.endCursor }, { token: board.token }),
    );
    expect(second.edges.map((e) => [e.rank, e.community.slug])).toEqual([[2, all.edges[1]!.community.slug]]);
    expectError(await server.gql(CommunityHealthRankingDocument, { after: 'nope' }, { token: board.token }), 'BAD_USER_INPUT');
  });
});
