import { GrantRoleWithTermDocument, CommunityOpenRolesDocument, InboxDocument, MembershipTermsDocument } from '../generated/graphql';
import { CommunityRole } from '../support/factories';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { captureMail, fanOutAll, jobsDone } from '../notifications/support';
import { fromGlobalId } from '../../src/shared/ids';
import { ROLE_TERMS_JOB, runRoleTerms } from '../../src/modules/governance/roles/roleTerms.background';

let server: TestServer;
beforeAll(async () => {
  // The schedule never fires during the test: each test runs the handler itself, at the `now` it chooses.
  server = await startTestServer({ ROLE_TERMS_CRON: '0 0 1 1 *', ROLE_TERM_WARNING_DAYS: '14', EMAIL_DELAY_SECONDS: '3600' });
  captureMail(server);
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const DAY = 86_400_000;
const dbId = (globalId: string) => fromGlobalId(globalId)!.id;
const run = (now = new Date()) => runRoleTerms(server.app.services, now);

type Row = { recipient_id: string; kind: string; title: string; subject_type: string; subject_id: string };
const notifications = (communityId: string, kind: string) =>
  server.em().execute<Row[]>('select recipient_id, kind::text as kind, title, subject_type, subject_id from notification where community_id = ? and kind = ? order by recipient_id', [communityId, kind]);
const eventsOf = (communityId: string, type: string) =>
  server.em().execute<{ payload: Record<string, string> }[]>('select payload from domain_event where community_id = ? and type = ? order by id', [communityId, type]);
const audits = (communityId: string, action: string) =>
  server.em().execute<{ details: Record<string, unknown>; actor_id: string | null }[]>('select details, actor_id from audit_entry where community_id = ? and action = ? order by created_at', [communityId, action]);

async function world(name = 'Phonics practice') {
  const community = await server.factories.community({ name });
  const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
  const holder = await server.factories.activeMember(community);
  const grant = async (membershipId: string, role: CommunityRole, termEndsAt: Date) =>
    expectData(await server.gql(GrantRoleWithTermDocument, { input: { membershipId, role, termEndsAt: termEndsAt.toISOString() } }, { token: lead.token }));
  return { community, lead, holder, grant };
}

describe('the ROLE_TERM_ENDING warning', () => {
  it('goes once to the holder and the LEADs when a term ends within ROLE_TERM_WARNING_DAYS, however often the job runs', async () => {
    const { community, lead, holder, grant } = await world();
    const far = await server.factories.activeMember(community);
    const ends = new Date(Date.now() + 3 * DAY);
    await grant(holder.membershipId, CommunityRole.MEETING_COORDINATOR, ends);
    await grant(far.membershipId, CommunityRole.EVENT_COORDINATOR, new Date(Date.now() + 30 * DAY));
    await run();
    await run();
    await Promise.all([run(), run()]); // two instances at once
    await fanOutAll(server);

    const rows = await notifications(community.community.id, 'ROLE_TERM_ENDING');
    expect(rows.map((r) => r.recipient_id).sort()).toEqual([holder.member.id, lead.member.id].sort());
    const byRecipient = Object.fromEntries(rows.map((r) => [r.recipient_id, r]));
    expect(byRecipient[holder.member.id]!.title).toBe(`Your term as meeting coordinator of Phonics practice ends on ${ends.toISOString().slice(0, 10)}`);
    expect(byRecipient[lead.member.id]!.title).toContain(`${holder.member.displayName}'s term as meeting coordinator`);
    for (const row of rows) expect([row.subject_type, row.subject_id]).toEqual(['Membership', dbId(holder.membershipId)]);
    expect(await eventsOf(community.community.id, 'RoleTermEnding')).toHaveLength(1);
    // Both read it in their inbox, its subject (the holder's membership) re-read through the membership's policy.
    for (const reader of [holder, lead]) {
      const { viewer } = expectData(await server.gql(InboxDocument, {}, { token: reader.token }));
      const entry = viewer!.notifications.edges.find((edge) => edge.node.kind === 'ROLE_TERM_ENDING')!.node;
      expect(entry.subject).toEqual({ __typename: 'Membership', id: holder.membershipId });
    }
  });

  it('is due again when the term is renewed to a new end', async () => {
    const { community, holder, grant } = await world();
    await grant(holder.membershipId, CommunityRole.MEETING_COORDINATOR, new Date(Date.now() + 2 * DAY));
    await run();
    await grant(holder.membershipId, CommunityRole.MEETING_COORDINATOR, new Date(Date.now() + 20 * DAY));
    await run();
    expect(await eventsOf(community.community.id, 'RoleTermEnding')).toHaveLength(1);
    await run(new Date(Date.now() + 10 * DAY));
    expect(await eventsOf(community.community.id, 'RoleTermEnding')).toHaveLength(2);
  });
});

describe('a term that ends', () => {
  it('lapses the role (TERM_ENDED) and, when nobody else holds it, opens it and tells the LEADs (ROLE_VACANT), once', async () => {
    const { community, lead, holder, grant } = await world('Reading recovery');
    await grant(holder.membershipId, CommunityRole.EVENT_COORDINATOR, new Date(Date.now() + 2000));
    const later = new Date(Date.now() + 10_000);
    expect((await run(later)).lapsed).toBeGreaterThanOrEqual(1);
    await run(later);
    await fanOutAll(server);

    const { node } = expectData(await server.gql(MembershipTermsDocument, { id: holder.membershipId }, { token: holder.token }));
    if (node?.__typename !== 'Membership') throw new Error('expected a membership');
    expect(node.roles).toEqual([]);
    expect(node.roleTerms[0]).toMatchObject({ role: 'EVENT_COORDINATOR', endReason: 'TERM_ENDED', endedAt: later.toISOString() });
    expect(expectData(await server.gql(CommunityOpenRolesDocument, { slug: community.community.slug })).community!.openRoles).toEqual(['EVENT_COORDINATOR']);

    const vacant = await notifications(community.community.id, 'ROLE_VACANT');
    expect(vacant).toEqual([
      { recipient_id: lead.member.id, kind: 'ROLE_VACANT', title: 'Reading recovery has no event coordinator any more: the role is open', subject_type: 'Community', subject_id: community.community.id },
    ]);
    expect(await eventsOf(community.community.id, 'RoleTermEnded')).toHaveLength(1);
    expect(await eventsOf(community.community.id, 'RoleVacant')).toHaveLength(1);
    const [ended] = await audits(community.community.id, 'roles.termEnded');
    expect(ended).toMatchObject({ actor_id: null, details: { role: 'EVENT_COORDINATOR', reason: 'TERM_ENDED', membershipId: holder.membershipId } });
    const { viewer } = expectData(await server.gql(InboxDocument, {}, { token: lead.token }));
    expect(viewer!.notifications.edges.map((edge) => [edge.node.kind, edge.node.subject])).toContainEqual(['ROLE_VACANT', { __typename: 'Community', id: community.id }]);
    expect((await audits(community.community.id, 'roles.vacant'))[0]!.details).toMatchObject({ role: 'EVENT_COORDINATOR', before: { openRoles: [] }, after: { openRoles: ['EVENT_COORDINATOR'] } });
  });

  it('leaves the role filled, and nobody told, when another member still holds it', async () => {
    const { community, holder, grant } = await world();
    const other = await server.factories.activeMember(community);
    await grant(holder.membershipId, CommunityRole.DISCUSSION_MONITOR, new Date(Date.now() + 2000));
    await grant(other.membershipId, CommunityRole.DISCUSSION_MONITOR, new Date(Date.now() + 100 * DAY));
    await run(new Date(Date.now() + 10_000));
    await fanOutAll(server);
    expect(await server.em().execute("select 1 from membership where id = ? and roles = '{}'", [dbId(holder.membershipId)])).toHaveLength(1);
    expect(await eventsOf(community.community.id, 'RoleTermEnded')).toHaveLength(1);
    expect(await eventsOf(community.community.id, 'RoleVacant')).toEqual([]);
    expect(await notifications(community.community.id, 'ROLE_VACANT')).toEqual([]);
    expect(expectData(await server.gql(CommunityOpenRolesDocument, { slug: community.community.slug })).community!.openRoles).toEqual([]);
  });

  it('tells staff as well when the lapsed role was the last LEAD; two holders lapsing at once vacate it once', async () => {
    const community = await server.factories.community();
    const staff = await server.factories.staff();
    const leads = await Promise.all([0, 1].map(() => server.factories.activeMember(community, [CommunityRole.LEAD])));
    // Both LEAD terms end at once (set directly: a LEAD's term as the demo data or a renewal would leave it).
    for (const lead of leads) {
      await server.em().execute("insert into role_term (id, membership_id, role, started_at, term_ends_at) values (gen_random_uuid(), ?, 'LEAD', now(), now() + interval '1 second')", [dbId(lead.membershipId)]);
    }
    const later = new Date(Date.now() + 10_000);
    await Promise.all([run(later), run(later)]);
    await fanOutAll(server);
    expect(await eventsOf(community.community.id, 'RoleTermEnded')).toHaveLength(2);
    expect(await eventsOf(community.community.id, 'RoleVacant')).toHaveLength(1);
    const vacant = await notifications(community.community.id, 'ROLE_VACANT');
    expect(vacant.map((r) => r.recipient_id)).toContain(staff.member.id);
    expect(vacant.map((r) => r.recipient_id)).not.toContain(leads[0]!.member.id);
    expect(expectData(await server.gql(CommunityOpenRolesDocument, { slug: community.community.slug })).community!.openRoles).toEqual(['LEAD']);
  });

  it('does not lapse a term renewed before the job ran', async () => {
    const { community, holder, grant } = await world();
    await grant(holder.membershipId, CommunityRole.MEETING_COORDINATOR, new Date(Date.now() + 1500));
    await grant(holder.membershipId, CommunityRole.MEETING_COORDINATOR, new Date(Date.now() + 50 * DAY));
    await run(new Date(Date.now() + 10_000));
    expect(await eventsOf(community.community.id, 'RoleTermEnded')).toEqual([]);
    expect(await server.em().execute("select 1 from membership where id = ? and roles = '{MEETING_COORDINATOR}'", [dbId(holder.membershipId)])).toHaveLength(1);
  });
});

describe('the roles.terms job', () => {
  it('is a queued job (what ROLE_TERMS_CRON fires) that runs the same pass', async () => {
    const { community, holder, grant } = await world();
    await grant(holder.membershipId, CommunityRole.MEETING_COORDINATOR, new Date(Date.now() + 5 * DAY));
    await server.app.services.jobs.send(ROLE_TERMS_JOB, {});
    await jobsDone(server, ROLE_TERMS_JOB);
    expect(await eventsOf(community.community.id, 'RoleTermEnding')).toHaveLength(1);
  });
});
