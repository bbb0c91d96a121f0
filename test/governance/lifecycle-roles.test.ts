import { AcceptCommunityStandardsDocument, HandOverRoleDocument, SetOpenRolesDocument, LeaveWithRolesDocument, AddCommunityStandardDocument, CommunityStandardsDocument, GrantRoleWithTermDocument, MergeCommunitiesDocument, RetireCommunityDocument, SplitCommunityDocument } from '../generated/graphql';
import { CommunityRole } from '../support/factories';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { fromGlobalId } from '../../src/shared/ids';
import { runRoleTerms } from '../../src/modules/governance/roles/roleTerms.background';

/** Role terms across the lifecycle: they follow merged memberships, continue in split parts, and rest in archives. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ ROLE_TERMS_CRON: '0 0 1 1 *', ROLE_TERM_WARNING_DAYS: '14' });
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const DAY = 86_400_000;
const dbId = (globalId: string) => fromGlobalId(globalId)!.id;
const slug = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

type Term = { membership_id: string; role: string; term_ends_at: Date | null; ended_at: Date | null; end_reason: string | null };
const termsOfMember = (memberId: string) =>
  server
    .em()
    .execute<Term[]>(
      'select t.membership_id, t.role, t.term_ends_at, t.ended_at, t.end_reason from role_term t join membership m on m.id = t.membership_id where m.member_id = ? order by t.role, t.ended_at nulls first',
      [memberId],
    );

async function grantMonitor(lead: { token: string }, membershipId: string, termEndsAt: Date) {
  const input = { membershipId, role: CommunityRole.DISCUSSION_MONITOR, termEndsAt: termEndsAt.toISOString() };
  expectData(await server.gql(GrantRoleWithTermDocument, { input }, { token: lead.token }));
}

describe('role terms through split, merge and retirement', () => {
  it('merge: a member monitoring both sources ends with one membership and one open term, running to the later end', async () => {
    const staff = await server.factories.staff();
    const [a, b] = [await server.factories.community(), await server.factories.community()];
    const leadA = await server.factories.activeMember(a, [CommunityRole.LEAD]);
    const leadB = await server.factories.activeMember(b, [CommunityRole.LEAD]);
    const member = await server.factories.member();
    const inA = await server.factories.membership(member, a);
    const inB = await server.factories.membership(member, b);
    const sooner = new Date(Date.now() + 30 * DAY);
    const later = new Date(Date.now() + 90 * DAY);
    await grantMonitor(leadA, inA.id, sooner);
    await grantMonitor(leadB, inB.id, later);

    const into = { name: 'Merged monitors', slug: slug('merged'), description: 'Both together', topics: ['merging'] };
    const { mergeCommunities } = expectData(await server.gql(MergeCommunitiesDocument, { input: { communityIds: [a.id, b.id], into } }, { token: staff.token }));
    const memberships = await server.em().execute<{ id: string; roles: string[] }[]>('select id, roles from membership where member_id = ?', [member.member.id]);
    expect(memberships).toHaveLength(1);
    expect(memberships[0]!.roles).toEqual([CommunityRole.DISCUSSION_MONITOR]);
    const terms = await termsOfMember(member.member.id);
    // Every term now belongs to the one membership; one stays open (to the later end), the duplicate ended MERGED.
    expect(terms.every((t) => t.membership_id === memberships[0]!.id)).toBe(true);
    const open = terms.filter((t) => !t.ended_at);
    expect(open).toHaveLength(1);
    expect(new Date(open[0]!.term_ends_at!).getTime()).toBe(later.getTime());
    expect(terms.filter((t) => t.end_reason === 'MERGED')).toHaveLength(1);
    const [kept] = await server.em().execute<{ community_id: string }[]>('select community_id from membership where id = ?', [memberships[0]!.id]);
    expect(kept!.community_id).toBe(dbId(mergeCommunities.id));
  });

  it('split: a role held in the original continues in each part on the same term; the archive is left alone by the term job', async () => {
    const staff = await server.factories.staff();
    const original = await server.factories.community();
    const lead = await server.factories.activeMember(original, [CommunityRole.LEAD]);
    const monitor = await server.factories.activeMember(original);
    const ends = new Date(Date.now() + 5 * DAY);
    await grantMonitor(lead, monitor.membershipId, ends);
    const thread = await server.factories.thread(original, lead);

    const parts = [
      { name: 'Part one', slug: slug('part'), description: 'One half', topics: ['one'], threadIds: [thread.id] },
      { name: 'Part two', slug: slug('part'), description: 'Other half', topics: ['two'], threadIds: [] },
    ];
    const { splitCommunity } = expectData(await server.gql(SplitCommunityDocument, { input: { communityId: original.id, parts } }, { token: staff.token }));
    const terms = await termsOfMember(monitor.member.id);
    const open = terms.filter((t) => !t.ended_at && t.role === CommunityRole.DISCUSSION_MONITOR);
    // The archive's term and one per part, all ending when the original did.
    expect(open).toHaveLength(3);
    expect(open.every((t) => new Date(t.term_ends_at!).getTime() === ends.getTime())).toBe(true);

    // Ten days on every term has ended: the parts' lapse, the retired original's stays as it was (an archive).
    await runRoleTerms(server.app.services, new Date(Date.now() + 10 * DAY));
    const byCommunity = await server.em().execute<{ community_id: string; roles: string[] }[]>(
      'select community_id, roles from membership where member_id = ?',
      [monitor.member.id],
    );
    const roles = new Map(byCommunity.map((row) => [row.community_id, row.roles]));
    expect(roles.get(original.community.id)).toEqual([CommunityRole.DISCUSSION_MONITOR]);
    for (const part of splitCommunity) expect(roles.get(dbId(part.id))).toEqual([]);
    const [vacancies] = await server.em().execute<{ n: string }[]>(
      `select count(*) as n from domain_event where type = 'RoleVacant' and community_id = ?`,
      [original.community.id],
    );
    expect(Number(vacancies!.n)).toBe(0);
  });

  it('retire: no ending-term warning for a retired community', async () => {
    const staff = await server.factories.staff();
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const monitor = await server.factories.activeMember(community);
    await grantMonitor(lead, monitor.membershipId, new Date(Date.now() + 3 * DAY));
    expectData(await server.gql(RetireCommunityDocument, { input: { communityId: community.id, reason: 'Its work is done' } }, { token: staff.token }));
    await runRoleTerms(server.app.services, new Date());
    const [warnings] = await server.em().execute<{ n: string }[]>(
      `select count(*) as n from domain_event where type = 'RoleTermEnding' and community_id = ?`,
      [community.community.id],
    );
    expect(Number(warnings!.n)).toBe(0);
  });

  it('split: a member who accepted the original\'s standards has accepted each part\'s (the part starts with the same standards)', async () => {
    const staff = await server.factories.staff();
    const original = await server.factories.community();
    const lead = await server.factories.activeMember(original, [CommunityRole.LEAD]);
    const member = await server.factories.activeMember(original);
    const standard = { communityId: original.id, text: 'Anonymise student work', rationale: 'Privacy of pupils' };
    expectData(await server.gql(AddCommunityStandardDocument, { input: standard }, { token: lead.token }));
    const before = expectData(await server.gql(CommunityStandardsDocument, { slug: original.community.slug }, { token: member.token })).community!;
    expectData(await server.gql(AcceptCommunityStandardsDocument, { input: { communityId: original.id, version: before.standards.version } }, { token: member.token }));

    const parts = [
      { name: 'Part A', slug: slug('part'), description: 'A', topics: ['a'], threadIds: [] },
      { name: 'Part B', slug: slug('part'), description: 'B', topics: ['b'], threadIds: [] },
    ];
    const { splitCommunity } = expectData(await server.gql(SplitCommunityDocument, { input: { communityId: original.id, parts } }, { token: staff.token }));
    for (const part of splitCommunity) {
      const { community } = expectData(await server.gql(CommunityStandardsDocument, { slug: part.slug }, { token: member.token }));
      expect(community!.standards.additions.map((a) => a.text)).toEqual(['Anonymise student work']);
      expect(community!.viewerMembership).toMatchObject({ status: 'ACTIVE', acceptedStandardsVersion: community!.standards.version, standardsAccepted: true });
    }
  });

  it('retired: its roles stay as they were — granting, handing over and setting open roles are refused, and a LEAD leaving vacates nothing', async () => {
    const staff = await server.factories.staff();
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const member = await server.factories.activeMember(community);
    expectData(await server.gql(RetireCommunityDocument, { input: { communityId: community.id, reason: 'Done' } }, { token: staff.token }));
    const grant = { membershipId: member.membershipId, role: CommunityRole.DISCUSSION_MONITOR };
    for (const token of [lead.token, staff.token]) {
      const response = await server.gql(GrantRoleWithTermDocument, { input: grant }, { token });
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(response.errors?.[0]?.message).toBe('This community is retired and read-only');
    }
    const handOver = { fromMembershipId: lead.membershipId, toMembershipId: member.membershipId, role: CommunityRole.LEAD, note: 'Over to you' };
    const handed = await server.gql(HandOverRoleDocument, { input: handOver }, { token: lead.token });
    expect(handed.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const opened = await server.gql(SetOpenRolesDocument, { input: { communityId: community.id, roles: [CommunityRole.EVENT_COORDINATOR] } }, { token: staff.token });
    expect(opened.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(opened.errors?.[0]?.message).toBe('This community is retired and read-only');
    const [roles] = await server.em().execute<{ roles: string[] }[]>('select roles from membership where id = ?', [dbId(member.membershipId)]);
    expect(roles!.roles).toEqual([]);

    expect(expectData(await server.gql(LeaveWithRolesDocument, { communityId: community.id }, { token: lead.token })).leaveCommunity.status).toBe('LEFT');
    const [vacancies] = await server.em().execute<{ n: string }[]>(`select count(*) as n from domain_event where type = 'RoleVacant' and community_id = ?`, [community.community.id]);
    expect(Number(vacancies!.n)).toBe(0);
    const [row] = await server.em().execute<{ open_roles: string[] }[]>('select open_roles from community where id = ?', [community.community.id]);
    expect(row!.open_roles).toEqual([]);
  });
});

