import {
  CommunityOpenRolesDocument,
  CreateCommunityDocument,
  GrantRoleWithTermDocument,
  HandOverRoleDocument,
  LeaveWithRolesDocument,
  MembershipTermsDocument,
  RevokeRoleDocument,
  RoleTermNodeDocument,
  SetOpenRolesDocument,
} from '../generated/graphql';
import { CommunityRole, MembershipStatus } from '../support/factories';
import { badInputFields, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { fromGlobalId, toGlobalId } from '../../src/shared/ids';
import { moveRoleTerms } from '../../src/modules/governance/roles/roleTerms';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ ROLE_TERMS_CRON: '0 0 1 1 *' });
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const dbId = (globalId: string) => fromGlobalId(globalId)!.id;
/** How many rows a SELECT returns. */
const countRows = async (_server: TestServer, sql: string, ...params: unknown[]) => (await server.em().execute(sql, params)).length;
const termsOf = (membershipId: string) => countRows(server, 'select 1 from role_term where membership_id = ?', dbId(membershipId));
const audits = (communityId: string, action: string) =>
  server.em().execute<{ action: string; details: Record<string, unknown>; actor_id: string | null; subject_id: string }[]>(
    'select action, details, actor_id, subject_id from audit_entry where community_id = ? and action = ? order by created_at',
    [dbId(communityId), action],
  );

async function world() {
  const community = await server.factories.community();
  const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
  const member = await server.factories.activeMember(community);
  return { community, lead, member };
}

describe('grantCommunityRole with a term', () => {
  it('is refused to anonymous viewers and members who are not a LEAD, with nothing written', async () => {
    const { community, member } = await world();
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    const input = { membershipId: member.membershipId, role: 'MEETING_COORDINATOR' as const, termEndsAt: inDays(30) };
    expectError(await server.gql(GrantRoleWithTermDocument, { input }), 'UNAUTHENTICATED');
    for (const token of [member.token, monitor.token]) expectError(await server.gql(GrantRoleWithTermDocument, { input }, { token }), 'FORBIDDEN');
    expect(await termsOf(member.membershipId)).toBe(0);
  });

  it('refuses a termEndsAt that is not in the future (BAD_USER_INPUT), with nothing written', async () => {
    const { lead, member } = await world();
    const input = { membershipId: member.membershipId, role: 'MEETING_COORDINATOR' as const, termEndsAt: new Date(Date.now() - 1000).toISOString() };
    const response = await server.gql(GrantRoleWithTermDocument, { input }, { token: lead.token });
    expectError(response, 'BAD_USER_INPUT');
    expect(badInputFields(response)).toEqual(['termEndsAt']);
    expect(await termsOf(member.membershipId)).toBe(0);
    expect(await countRows(server, "select 1 from membership where id = ? and roles = '{}'", dbId(member.membershipId))).toBe(1);
  });

  it('opens a term with its end; granting again with a new end moves it (one term); revoking ends it; all audited', async () => {
    const { community, lead, member } = await world();
    const grant = (termEndsAt?: string) =>
      server.gql(GrantRoleWithTermDocument, { input: { membershipId: member.membershipId, role: 'MEETING_COORDINATOR', termEndsAt } }, { token: lead.token });
    const first = inDays(90);
    const granted = expectData(await grant(first)).grantCommunityRole;
    expect(granted.roles).toEqual(['MEETING_COORDINATOR']);
    expect(granted.roleTerms).toEqual([
      expect.objectContaining({ role: 'MEETING_COORDINATOR', termEndsAt: first, endedAt: null, endReason: null, grantedBy: { id: lead.id } }),
    ]);
    // Granting again without a term changes nothing; with a new one, the open term's end moves.
    expect(expectData(await grant()).grantCommunityRole.roleTerms[0]!.termEndsAt).toBe(first);
    const renewed = inDays(365);
    const again = expectData(await grant(renewed)).grantCommunityRole;
    expect(again.roleTerms).toHaveLength(1);
    expect(again.roleTerms[0]!.termEndsAt).toBe(renewed);

    const revoked = expectData(
      await server.gql(RevokeRoleDocument, { input: { membershipId: member.membershipId, role: 'MEETING_COORDINATOR' } }, { token: lead.token }),
    ).revokeCommunityRole;
    expect(revoked.roles).toEqual([]);
    expect(revoked.roleTerms[0]).toMatchObject({ endReason: 'REVOKED', endedAt: expect.any(String) });

    const [grantAudit] = await audits(community.id, 'roles.granted');
    expect(grantAudit!.details).toMatchObject({ role: 'MEETING_COORDINATOR', membershipId: member.membershipId, termEndsAt: first });
    expect(grantAudit!.actor_id).toBe(lead.member.id);
    const [changed] = await audits(community.id, 'roles.termChanged');
    expect(changed!.details).toMatchObject({ before: { termEndsAt: first }, after: { termEndsAt: renewed } });
    expect((await audits(community.id, 'roles.revoked'))[0]!.details).toMatchObject({ role: 'MEETING_COORDINATOR' });
  });

  it('refuses a term end on revokeCommunityRole', async () => {
    const { lead, member } = await world();
    const input = { membershipId: member.membershipId, role: 'LEAD' as const, termEndsAt: inDays(3) };
    expectError(await server.gql(RevokeRoleDocument, { input }, { token: lead.token }), 'BAD_USER_INPUT');
  });

  it('fills an open role: the granted role leaves the community’s open roles', async () => {
    const { community, lead, member } = await world();
    expectData(await server.gql(SetOpenRolesDocument, { input: { communityId: community.id, roles: ['EVENT_COORDINATOR', 'DISCUSSION_MONITOR'] } }, { token: lead.token }));
    expectData(await server.gql(GrantRoleWithTermDocument, { input: { membershipId: member.membershipId, role: 'EVENT_COORDINATOR' } }, { token: lead.token }));
    const { community: read } = expectData(await server.gql(CommunityOpenRolesDocument, { slug: community.community.slug }));
    expect(read!.openRoles).toEqual(['DISCUSSION_MONITOR']);
    expect((await audits(community.id, 'roles.granted'))[0]!.details).toMatchObject({ openRoles: { before: ['DISCUSSION_MONITOR', 'EVENT_COORDINATOR'], after: ['DISCUSSION_MONITOR'] } });
  });
});

describe('a founded community', () => {
  it('starts its first LEAD’s term when it is created', async () => {
    const staff = await server.factories.staff();
    const slug = `termed-${Math.random().toString(36).slice(2, 8)}`;
    const input = { name: 'Termed community', slug, description: 'Founded with a lead', topics: [], joinAsLead: true };
    expectData(await server.gql(CreateCommunityDocument, { input }, { token: staff.token }));
    const terms = await server.em().execute<{ granted_by_id: string }[]>(
      "select t.granted_by_id from role_term t join membership m on m.id = t.membership_id join community c on c.id = m.community_id where c.slug = ? and t.role = 'LEAD' and t.ended_at is null",
      [slug],
    );
    expect(terms).toEqual([{ granted_by_id: staff.member.id }]);
  });
});

describe('handOverRole', () => {
  async function handoverWorld() {
    const base = await world();
    const { community, lead } = base;
    const holder = await server.factories.activeMember(community);
    expectData(await server.gql(GrantRoleWithTermDocument, { input: { membershipId: holder.membershipId, role: 'DISCUSSION_MONITOR', termEndsAt: inDays(60) } }, { token: lead.token }));
    return { ...base, holder };
  }
  const input = (from: { membershipId: string }, to: { membershipId: string } | string, role = 'DISCUSSION_MONITOR' as const, note = 'The spam filter needs a weekly look') => ({
    fromMembershipId: from.membershipId,
    toMembershipId: typeof to === 'string' ? to : to.membershipId,
    role,
    note,
  });
  const unchanged = async (holder: { membershipId: string }, recipient: string) => {
    expect(await countRows(server, "select 1 from membership where id = ? and roles = '{DISCUSSION_MONITOR}'", dbId(holder.membershipId))).toBe(1);
    expect(await countRows(server, "select 1 from role_term where membership_id = ? and ended_at is null", dbId(holder.membershipId))).toBe(1);
    expect(await countRows(server, 'select 1 from role_term where membership_id = ?', dbId(recipient))).toBe(0);
  };

  it('is refused to anonymous viewers and to members unrelated to the role (FORBIDDEN), with nothing written', async () => {
    const { community, holder, member } = await handoverWorld();
    expectError(await server.gql(HandOverRoleDocument, { input: input(holder, member) }), 'UNAUTHENTICATED');
    const bystander = await server.factories.activeMember(community);
    const otherCommunity = await server.factories.community();
    const otherLead = await server.factories.activeMember(otherCommunity, [CommunityRole.LEAD]);
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    for (const token of [bystander.token, otherLead.token, monitor.token, member.token]) {
      const response = await server.gql(HandOverRoleDocument, { input: input(holder, member) }, { token });
      expectError(response, 'FORBIDDEN');
      expect(response.data).toBeNull();
    }
    await unchanged(holder, member.membershipId);
  });

  it('refuses a recipient in another community or PENDING, and a from-member not holding the role (BAD_USER_INPUT)', async () => {
    const { community, holder, lead, member } = await handoverWorld();
    const elsewhere = await server.factories.activeMember(await server.factories.community());
    const pending = await server.factories.membership(await server.factories.member(), community, { status: MembershipStatus.PENDING });
    for (const [to, field] of [[elsewhere.membershipId, 'toMembershipId'], [pending.id, 'toMembershipId'], [holder.membershipId, 'toMembershipId']] as const) {
      const response = await server.gql(HandOverRoleDocument, { input: input(holder, to) }, { token: holder.token });
      expectError(response, 'BAD_USER_INPUT');
      expect(badInputFields(response)).toEqual([field]);
    }
    await unchanged(holder, elsewhere.membershipId);
    await unchanged(holder, pending.id);
    // The LEAD may hand over anyone's role, but only a role that is held.
    const response = await server.gql(HandOverRoleDocument, { input: input(member, holder) }, { token: lead.token });
    expectError(response, 'BAD_USER_INPUT');
    expect(badInputFields(response)).toEqual(['role']);
    const notHeld = await server.gql(HandOverRoleDocument, { input: input(holder, member, 'EVENT_COORDINATOR' as never) }, { token: holder.token });
    expect(badInputFields(notHeld)).toEqual(['role']);
    await unchanged(holder, member.membershipId);
  });

  it('lets the holder hand over: the role moves, the history keeps the note and the successor, audited', async () => {
    const { community, holder, member } = await handoverWorld();
    const { handOverRole } = expectData(await server.gql(HandOverRoleDocument, { input: input(holder, member) }, { token: holder.token }));
    expect(handOverRole).toMatchObject({ id: member.membershipId, roles: ['DISCUSSION_MONITOR'] });
    expect(handOverRole.roleTerms).toEqual([expect.objectContaining({ role: 'DISCUSSION_MONITOR', endedAt: null, termEndsAt: null, grantedBy: { id: holder.id } })]);

    // Fellow members read the former holder's history, the handover note included.
    const { node } = expectData(await server.gql(MembershipTermsDocument, { id: holder.membershipId }, { token: member.token }));
    if (node?.__typename !== 'Membership') throw new Error('expected a membership');
    expect(node.roles).toEqual([]);
    expect(node.roleTerms).toEqual([
      expect.objectContaining({ role: 'DISCUSSION_MONITOR', endReason: 'HANDED_OVER', handoverNote: 'The spam filter needs a weekly look', handedOverTo: { id: member.membershipId } }),
    ]);
    const termId = node.roleTerms[0]!.id;
    expect(expectData(await server.gql(RoleTermNodeDocument, { id: termId })).node).toMatchObject({ __typename: 'RoleTerm', handoverNote: 'The spam filter needs a weekly look' });

    const [audit] = await audits(community.id, 'roles.handedOver');
    expect(audit!.details).toMatchObject({ role: 'DISCUSSION_MONITOR', from: holder.membershipId, to: member.membershipId, note: 'The spam filter needs a weekly look' });
    const events = await server.em().execute<{ type: string }[]>(
      "select type from domain_event where community_id = ? and type in ('RoleGranted', 'RoleRevoked') and payload->>'role' = 'DISCUSSION_MONITOR' order by id",
      [community.community.id],
    );
    expect(events.map((e) => e.type)).toEqual(['RoleGranted', 'RoleRevoked', 'RoleGranted']);
  });

  it('lets a LEAD hand over their LEAD role (the recipient is then the LEAD) with a term, and staff hand over anyone’s', async () => {
    const { community, holder, lead, member } = await handoverWorld();
    const termEndsAt = inDays(365);
    const { handOverRole } = expectData(
      await server.gql(HandOverRoleDocument, { input: { ...input(lead, member, 'LEAD' as never, 'Minutes are in the shared folder'), termEndsAt } }, { token: lead.token }),
    );
    expect(handOverRole.roles).toEqual(['LEAD']);
    expect(handOverRole.roleTerms[0]).toMatchObject({ role: 'LEAD', termEndsAt });
    expect(await countRows(server, "select 1 from membership where id = ? and roles = '{}'", dbId(lead.membershipId))).toBe(1);
    // The new LEAD may now hand over another member's role; so may staff, without being a member.
    const next = await server.factories.activeMember(community);
    expectData(await server.gql(HandOverRoleDocument, { input: input(holder, next) }, { token: member.token }));
    const staff = await server.factories.staff();
    const { handOverRole: byStaff } = expectData(await server.gql(HandOverRoleDocument, { input: input(next, holder) }, { token: staff.token }));
    expect(byStaff).toMatchObject({ id: holder.membershipId, roles: ['DISCUSSION_MONITOR'] });
  });

  it('keeps role terms private where the membership is: an outsider of a RESTRICTED community is refused', async () => {
    const community = await server.factories.restrictedCommunity();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const outsider = await server.factories.member();
    expectError(await server.gql(MembershipTermsDocument, { id: lead.membershipId }, { token: outsider.token }), 'FORBIDDEN');
    const [term] = await server.em().execute<{ id: string }[]>('insert into role_term (id, membership_id, role, started_at) values (gen_random_uuid(), ?, ?, now()) returning id', [dbId(lead.membershipId), 'LEAD']);
    const termGlobalId = toGlobalId('RoleTerm', term!.id);
    expectError(await server.gql(RoleTermNodeDocument, { id: termGlobalId }, { token: outsider.token }), 'FORBIDDEN');
    expect(expectData(await server.gql(RoleTermNodeDocument, { id: termGlobalId }, { token: lead.token })).node).toMatchObject({ role: 'LEAD' });
  });
});

describe('setOpenRoles', () => {
  it('is refused to anonymous viewers, plain members and monitors, with nothing written', async () => {
    const { community, member } = await world();
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    const input = { communityId: community.id, roles: ['LEAD' as const] };
    expectError(await server.gql(SetOpenRolesDocument, { input }), 'UNAUTHENTICATED');
    for (const token of [member.token, monitor.token]) expectError(await server.gql(SetOpenRolesDocument, { input }, { token }), 'FORBIDDEN');
    expect(expectData(await server.gql(CommunityOpenRolesDocument, { slug: community.community.slug })).community!.openRoles).toEqual([]);
    expect(await audits(community.id, 'roles.openRolesSet')).toEqual([]);
  });

  it('lets the LEAD and staff set them (each once, in a stable order), publicly readable, audited before/after', async () => {
    const { community, lead } = await world();
    const set = (roles: string[], token: string) => server.gql(SetOpenRolesDocument, { input: { communityId: community.id, roles: roles as never } }, { token });
    expect(expectData(await set(['MEETING_COORDINATOR', 'DISCUSSION_MONITOR', 'MEETING_COORDINATOR'], lead.token)).setOpenRoles.openRoles).toEqual([
      'DISCUSSION_MONITOR',
      'MEETING_COORDINATOR',
    ]);
    expect(expectData(await server.gql(CommunityOpenRolesDocument, { slug: community.community.slug })).community!.openRoles).toEqual(['DISCUSSION_MONITOR', 'MEETING_COORDINATOR']);
    const staff = await server.factories.staff();
    expect(expectData(await set(['EVENT_COORDINATOR'], staff.token)).setOpenRoles.openRoles).toEqual(['EVENT_COORDINATOR']);
    expectData(await set(['EVENT_COORDINATOR'], staff.token)); // unchanged: no second entry
    const entries = await audits(community.id, 'roles.openRolesSet');
    expect(entries.map((e) => e.details)).toEqual([
      { before: { openRoles: [] }, after: { openRoles: ['DISCUSSION_MONITOR', 'MEETING_COORDINATOR'] } },
      { before: { openRoles: ['DISCUSSION_MONITOR', 'MEETING_COORDINATOR'] }, after: { openRoles: ['EVENT_COORDINATOR'] } },
    ]);
    expect(await countRows(server, "select 1 from domain_event where type = 'OpenRolesChanged' and community_id = ?", community.community.id)).toBe(2);
  });
});

describe('leaveCommunity', () => {
  it('ends the leaver’s terms and makes a role nobody else holds vacant (open, audited)', async () => {
    const { community, lead, member } = await world();
    const coordinator = await server.factories.activeMember(community, [CommunityRole.MEETING_COORDINATOR]);
    for (const role of ['EVENT_COORDINATOR', 'MEETING_COORDINATOR'] as const) {
      expectData(await server.gql(GrantRoleWithTermDocument, { input: { membershipId: member.membershipId, role, termEndsAt: inDays(100) } }, { token: lead.token }));
    }
    const { leaveCommunity } = expectData(await server.gql(LeaveWithRolesDocument, { communityId: community.id }, { token: member.token }));
    expect(leaveCommunity.status).toBe('LEFT');
    expect(leaveCommunity.roleTerms.map((t) => [t.role, t.endReason])).toEqual(
      expect.arrayContaining([['EVENT_COORDINATOR', 'LEFT_COMMUNITY'], ['MEETING_COORDINATOR', 'LEFT_COMMUNITY']]),
    );
    // The meeting coordinator role is still held by someone; the event coordinator role is now vacant.
    expect(expectData(await server.gql(CommunityOpenRolesDocument, { slug: community.community.slug })).community!.openRoles).toEqual(['EVENT_COORDINATOR']);
    expect((await audits(community.id, 'roles.vacant')).map((e) => e.details.role)).toEqual(['EVENT_COORDINATOR']);
    expect((await audits(community.id, 'roles.termEnded')).map((e) => e.details.reason)).toEqual(['LEFT_COMMUNITY', 'LEFT_COMMUNITY']);
    expect(coordinator).toBeDefined();
  });
});

describe('moveRoleTerms (for merging memberships)', () => {
  it('moves the history and handovers to the surviving membership; a role open on both keeps one term, to the later end', async () => {
    const { community, lead, member: into } = await world();
    const from = await server.factories.activeMember(community);
    const predecessor = await server.factories.activeMember(community);
    const grant = async (who: { membershipId: string }, role: string, termEndsAt?: string) =>
      expectData(await server.gql(GrantRoleWithTermDocument, { input: { membershipId: who.membershipId, role: role as never, termEndsAt } }, { token: lead.token }));
    await grant(predecessor, 'EVENT_COORDINATOR');
    expectData(await server.gql(HandOverRoleDocument, { input: { fromMembershipId: predecessor.membershipId, toMembershipId: from.membershipId, role: 'EVENT_COORDINATOR', note: 'n' } }, { token: lead.token }));
    const later = inDays(60);
    await grant(from, 'DISCUSSION_MONITOR', later);
    await grant(into, 'DISCUSSION_MONITOR', inDays(30));

    await server.em().transactional((em) => moveRoleTerms(em as never, dbId(from.membershipId), dbId(into.membershipId)));

    expect(await termsOf(from.membershipId)).toBe(0);
    const terms = await server.em().execute<{ role: string; ended_at: Date | null; end_reason: string | null; term_ends_at: Date | null }[]>(
      'select role, ended_at, end_reason, term_ends_at from role_term where membership_id = ? order by role, ended_at nulls first',
      [dbId(into.membershipId)],
    );
    expect(terms.map((t) => [t.role, t.end_reason, t.term_ends_at && new Date(t.term_ends_at).toISOString()])).toEqual([
      ['DISCUSSION_MONITOR', null, later],
      ['DISCUSSION_MONITOR', 'MERGED', later],
      ['EVENT_COORDINATOR', null, null],
    ]);
    expect(await countRows(server, 'select 1 from role_term where handed_over_to_id = ?', dbId(into.membershipId))).toBe(1);
  });
});
