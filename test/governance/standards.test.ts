import {
  AcceptCommunityStandardsDocument,
  AddCommunityStandardDocument,
  ApproveMembershipDocument,
  AuditLogDocument,
  CodeOfConductVersionsDocument,
  CreateCommunityDocument,
  CommunityStandardsDocument,
  CurrentCodeOfConductDocument,
  GovernanceNodeDocument,
  JoinCommunityDocument,
  MutationFieldsDocument,
  PublishCodeOfConductDocument,
} from '../generated/graphql';
import { CommunityRole, OrgRole } from '../support/factories';
import { badInputFields, countRows, expectData, expectError, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const currentCode = async () => expectData(await server.gql(CurrentCodeOfConductDocument, {})).codeOfConduct;
const standardsOf = async (slug: string, token?: string) =>
  expectData(await server.gql(CommunityStandardsDocument, { slug }, { token })).community!;
const codeCount = () => countRows(server, 'select count(*) as n from code_of_conduct');
const standardCount = (slug: string) =>
  countRows(server, 'select count(*) as n from community_standard s join community c on c.id = s.community_id where c.slug = ?', slug);
const retire = (slug: string) => server.em().execute(`update community set status = 'RETIRED', retired_at = now() where slug = ?`, [slug]);

async function communityWithLead(options: { restricted?: boolean } = {}) {
  const community = options.restricted ? await server.factories.restrictedCommunity() : await server.factories.community();
  const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
  return { community, lead, slug: community.community.slug };
}

const addition = (communityId: string, text = 'Share lesson plans under CC BY', rationale = 'So members can adapt them freely') => ({
  input: { communityId, text, rationale },
});

describe("the organisation's code of conduct", () => {
  it('is public: anonymous viewers read the current version, and version 1 covers the essentials', async () => {
    const code = await currentCode();
    expect(code.version).toBeGreaterThanOrEqual(1);
    const { codeOfConductVersions } = expectData(await server.gql(CodeOfConductVersionsDocument, { first: 100 }));
    const first = codeOfConductVersions.edges.map((e) => e.node).find((node) => node.version === 1)!;
    expect(first.publishedBy).toBeNull();
    for (const topic of [/respect/i, /confidential/i, /student/i, /patron/i, /harassment/i, /good intent/i, /report concerns to staff/i]) {
      expect(first.body).toMatch(topic);
    }
  });

  it('cannot be published by anonymous viewers (UNAUTHENTICATED), nor by a LEAD, a board or council member (FORBIDDEN); nothing is written', async () => {
    const before = await currentCode();
    const audited = await countRows(server, `select count(*) as n from audit_entry where action = 'codeOfConduct.published'`);
    const input = { body: 'Anything goes.' };
    expectError(await server.gql(PublishCodeOfConductDocument, { input }), 'UNAUTHENTICATED');
    const { lead } = await communityWithLead();
    const board = await server.factories.member({ orgRole: OrgRole.BOARD });
    const council = await server.factories.member({ orgRole: OrgRole.COUNCIL });
    for (const who of [lead, board, council]) {
      const response = await server.gql(PublishCodeOfConductDocument, { input }, { token: who.token });
      expectError(response, 'FORBIDDEN');
      expect(response.data).toBeNull();
    }
    expect(await currentCode()).toEqual(before);
    expect(await countRows(server, `select count(*) as n from audit_entry where action = 'codeOfConduct.published'`)).toBe(audited);
  });

  it('has no mutation that edits or removes a standard or the code: communities only add', async () => {
    const { __schema } = expectData(await server.gql(MutationFieldsDocument, {}));
    const names = __schema.mutationType!.fields!.map((field) => field.name);
    expect(names.filter((name) => /(delete|remove|update|edit|replace|set|change|retract|withdraw).*(standard|conduct)/i.test(name))).toEqual([]);
    expect(names.filter((name) => /(standard|conduct)/i.test(name)).sort()).toEqual(
      ['acceptCommunityStandards', 'addCommunityStandard', 'publishCodeOfConduct'].sort(),
    );
  });

  it('refuses a blank text and one identical to the current version (BAD_USER_INPUT), writing nothing', async () => {
    const staff = await server.factories.staff();
    const before = await codeCount();
    expect(badInputFields(await server.gql(PublishCodeOfConductDocument, { input: { body: '   \n ' } }, { token: staff.token }))).toContain('body');
    expect(badInputFields(await server.gql(PublishCodeOfConductDocument, { input: { body: 'x'.repeat(20_001) } }, { token: staff.token }))).toContain('body');
    const current = await currentCode();
    expect(badInputFields(await server.gql(PublishCodeOfConductDocument, { input: { body: current.body } }, { token: staff.token }))).toEqual(['body']);
    expect(await codeCount()).toBe(before);
  });

  it('gains a version when staff publish one; earlier versions stay as they were, readable through node(id); audited', async () => {
    const staff = await server.factories.staff();
    const before = await currentCode();
    const body = `${before.body}\n\n7. Meetings start on time. (${Math.random()})`;
    const { publishCodeOfConduct: published } = expectData(await server.gql(PublishCodeOfConductDocument, { input: { body } }, { token: staff.token }));
    expect(published).toMatchObject({ version: before.version + 1, body, publishedBy: { id: staff.id } });
    expect(await currentCode()).toEqual(published);

    const { codeOfConductVersions } = expectData(await server.gql(CodeOfConductVersionsDocument, { first: 1 }));
    expect(codeOfConductVersions.totalCount).toBe(before.version + 1);
    expect(codeOfConductVersions.edges[0]!.node.version).toBe(published.version);
    const { codeOfConductVersions: next } = expectData(
      await server.gql(CodeOfConductVersionsDocument, { first: 1, after: codeOfConductVersions.pageInfo.endCursor }),
    );
    expect(next.edges[0]!.node).toEqual(before);
    const { node } = expectData(await server.gql(GovernanceNodeDocument, { id: before.id }));
    expect(node).toMatchObject({ __typename: 'CodeOfConduct', version: before.version });

    const { auditLog } = expectData(await server.gql(AuditLogDocument, { first: 100 }, { token: staff.token }));
    const entry = auditLog.edges.map((e) => e.node).find((e) => e.action === 'codeOfConduct.published' && e.subjectNodeId === published.id)!;
    expect(entry).toMatchObject({ actor: { id: staff.id }, details: { before: { version: before.version }, after: { version: published.version } } });
  });
});

describe('addCommunityStandard', () => {
  it('needs a signed-in member, and the community LEAD or staff: members, coordinators and other leads are FORBIDDEN; nothing is written', async () => {
    const { community, slug } = await communityWithLead();
    expectError(await server.gql(AddCommunityStandardDocument, addition(community.id)), 'UNAUTHENTICATED');
    const member = await server.factories.activeMember(community);
    const coordinator = await server.factories.activeMember(community, [CommunityRole.MEETING_COORDINATOR, CommunityRole.DISCUSSION_MONITOR]);
    const outsider = await server.factories.member({ orgRole: OrgRole.BOARD });
    const { lead: otherLead } = await communityWithLead();
    for (const who of [member, coordinator, outsider, otherLead]) {
      const response = await server.gql(AddCommunityStandardDocument, addition(community.id), { token: who.token });
      expectError(response, 'FORBIDDEN');
      expect(response.data).toBeNull();
    }
    expect(await standardCount(slug)).toBe(0);
  });

  it('refuses a blank or over-long text or rationale (BAD_USER_INPUT on each field)', async () => {
    const { community, lead, slug } = await communityWithLead();
    const blank = await server.gql(AddCommunityStandardDocument, addition(community.id, '  ', '\n'), { token: lead.token });
    expect(badInputFields(blank).sort()).toEqual(expect.arrayContaining(['rationale', 'text']));
    const long = await server.gql(AddCommunityStandardDocument, addition(community.id, 'x'.repeat(1001), 'y'.repeat(2001)), { token: lead.token });
    expect(new Set(badInputFields(long))).toEqual(new Set(['text', 'rationale']));
    expect(await standardCount(slug)).toBe(0);
  });

  it('is refused on a RETIRED community, to its LEAD and to staff alike (FORBIDDEN), whose standards stay readable', async () => {
    const { community, lead, slug } = await communityWithLead();
    const staff = await server.factories.staff();
    expectData(await server.gql(AddCommunityStandardDocument, addition(community.id), { token: lead.token }));
    await retire(slug);
    for (const who of [lead, staff]) {
      const error = expectError(await server.gql(AddCommunityStandardDocument, addition(community.id, 'Another'), { token: who.token }), 'FORBIDDEN');
      expect(error.message).toMatch(/retired/);
    }
    expect(await standardCount(slug)).toBe(1);
    expect((await standardsOf(slug)).standards.additions).toHaveLength(1);
  });

  it("adds to the code without touching it; the version changes with each addition and each publication; public; audited", async () => {
    const { community, lead, slug } = await communityWithLead({ restricted: true });
    const staff = await server.factories.staff();
    const code = await currentCode();
    const start = await standardsOf(slug);
    expect(start.standards).toEqual({ version: `${code.version}.0`, codeOfConduct: { version: code.version, body: code.body }, additions: [] });

    const { addCommunityStandard: first } = expectData(
      await server.gql(AddCommunityStandardDocument, addition(community.id, 'No vendor pitches', 'Members asked for a sales-free space'), { token: lead.token }),
    );
    expect(first.standards.version).toBe(`${code.version}.1`);
    expect(first.standards.additions).toEqual([
      expect.objectContaining({ text: 'No vendor pitches', rationale: 'Members asked for a sales-free space', addedBy: { id: lead.id }, community: { id: community.id } }),
    ]);
    const { addCommunityStandard: second } = expectData(
      await server.gql(AddCommunityStandardDocument, addition(community.id, '  Cite your sources  ', 'We teach it, we do it'), { token: staff.token }),
    );
    expect(second.standards.version).toBe(`${code.version}.2`);
    expect(second.standards.additions.map((a) => a.text)).toEqual(['No vendor pitches', 'Cite your sources']);
    expect(await currentCode()).toEqual(code);

    // Public, like the description: an anonymous viewer of this RESTRICTED community reads them.
    const anonymous = await standardsOf(slug);
    expect(anonymous.standards.version).toBe(`${code.version}.2`);
    expect(anonymous.standards.additions).toHaveLength(2);
    const { node } = expectData(await server.gql(GovernanceNodeDocument, { id: first.standards.additions[0]!.id }));
    expect(node).toMatchObject({ __typename: 'CommunityStandard', text: 'No vendor pitches' });

    const { publishCodeOfConduct } = expectData(
      await server.gql(PublishCodeOfConductDocument, { input: { body: `${code.body}\n(revised ${Math.random()})` } }, { token: staff.token }),
    );
    expect((await standardsOf(slug)).standards.version).toBe(`${publishCodeOfConduct.version}.2`);

    const { auditLog } = expectData(await server.gql(AuditLogDocument, { communityId: community.id }, { token: staff.token }));
    const added = auditLog.edges.map((e) => e.node).filter((e) => e.action === 'standard.added');
    expect(added.map((e) => e.details)).toEqual([
      expect.objectContaining({ text: 'Cite your sources', before: { version: `${code.version}.1` }, after: { version: `${code.version}.2` } }),
      expect.objectContaining({ text: 'No vendor pitches', before: { version: `${code.version}.0` }, after: { version: `${code.version}.1` } }),
    ]);
    expect(added.map((e) => e.actor?.id)).toEqual([staff.id, lead.id]);
  });
});

describe('concurrent changes', () => {
  it('two additions at once make two versions, two publications at once two consecutive code versions', async () => {
    const { community, lead, slug } = await communityWithLead();
    const staff = await server.factories.staff();
    const code = await currentCode();
    const added = await Promise.all(
      ['First', 'Second'].map((text) => server.gql(AddCommunityStandardDocument, addition(community.id, text), { token: lead.token })),
    );
    expect(added.map((r) => expectData(r).addCommunityStandard.standards.version).sort()).toEqual([`${code.version}.1`, `${code.version}.2`]);
    expect(await standardCount(slug)).toBe(2);
    const published = await Promise.all(
      ['A', 'B'].map((tag) => server.gql(PublishCodeOfConductDocument, { input: { body: `${code.body} (${tag} ${Math.random()})` } }, { token: staff.token })),
    );
    expect(published.map((r) => expectData(r).publishCodeOfConduct.version).sort()).toEqual([code.version + 1, code.version + 2]);
  });
});

describe('accepted standards', () => {
  it('are recorded when a member joins an OPEN community, and go stale when the standards change', async () => {
    const { community, lead, slug } = await communityWithLead();
    const member = await server.factories.member();
    const { version } = (await standardsOf(slug)).standards;
    expectData(await server.gql(JoinCommunityDocument, { input: { communityId: community.id } }, { token: member.token }));
    expect((await standardsOf(slug, member.token)).viewerMembership).toMatchObject({ acceptedStandardsVersion: version, standardsAccepted: true });
    expectData(await server.gql(AddCommunityStandardDocument, addition(community.id), { token: lead.token }));
    expect((await standardsOf(slug, member.token)).viewerMembership).toMatchObject({ acceptedStandardsVersion: version, standardsAccepted: false });
  });

  it("are recorded for a new community's first LEAD", async () => {
    const staff = await server.factories.staff();
    const slug = `founded-${Math.random().toString(36).slice(2, 8)}`;
    const input = { name: 'Founded directly', slug, description: 'By staff', topics: [], joinAsLead: true };
    expectData(await server.gql(CreateCommunityDocument, { input }, { token: staff.token }));
    const read = await standardsOf(slug, staff.token);
    expect(read.viewerMembership).toMatchObject({ status: 'ACTIVE', acceptedStandardsVersion: read.standards.version, standardsAccepted: true });
  });

  it('are recorded when a RESTRICTED community approves a request, not before', async () => {
    const { community, lead, slug } = await communityWithLead({ restricted: true });
    expectData(await server.gql(AddCommunityStandardDocument, addition(community.id), { token: lead.token }));
    const member = await server.factories.member();
    const { joinCommunity } = expectData(await server.gql(JoinCommunityDocument, { input: { communityId: community.id } }, { token: member.token }));
    expect(joinCommunity.status).toBe('PENDING');
    expect((await standardsOf(slug, member.token)).viewerMembership).toMatchObject({ acceptedStandardsVersion: null, standardsAccepted: false });
    expectData(await server.gql(ApproveMembershipDocument, { membershipId: joinCommunity.id }, { token: lead.token }));
    const after = await standardsOf(slug, member.token);
    expect(after.viewerMembership).toMatchObject({ status: 'ACTIVE', acceptedStandardsVersion: after.standards.version, standardsAccepted: true });
    expect(after.standards.version).toMatch(/\.1$/);
  });

  it('acceptCommunityStandards: anonymous UNAUTHENTICATED, non-members and pending members FORBIDDEN, a malformed version BAD_USER_INPUT', async () => {
    const { community, slug } = await communityWithLead({ restricted: true });
    const { version } = (await standardsOf(slug)).standards;
    const input = { communityId: community.id, version };
    expectError(await server.gql(AcceptCommunityStandardsDocument, { input }), 'UNAUTHENTICATED');
    const outsider = await server.factories.member();
    expectError(await server.gql(AcceptCommunityStandardsDocument, { input }, { token: outsider.token }), 'FORBIDDEN');
    const pending = await server.factories.member();
    expectData(await server.gql(JoinCommunityDocument, { input: { communityId: community.id } }, { token: pending.token }));
    expectError(await server.gql(AcceptCommunityStandardsDocument, { input }, { token: pending.token }), 'FORBIDDEN');
    const member = await server.factories.activeMember(community);
    expect(badInputFields(await server.gql(AcceptCommunityStandardsDocument, { input: { ...input, version: 'latest' } }, { token: member.token }))).toEqual([
      'version',
    ]);
    expect(await countRows(server, `select count(*) as n from audit_entry a join community c on c.id = a.community_id where c.slug = ?`, slug)).toBe(0);
  });

  it('acceptCommunityStandards records the current version; a stale one is CONFLICT (the standards changed) and changes nothing', async () => {
    const { community, lead, slug } = await communityWithLead();
    const member = await server.factories.activeMember(community);
    const old = (await standardsOf(slug)).standards.version;
    expectData(await server.gql(AddCommunityStandardDocument, addition(community.id), { token: lead.token }));
    const current = (await standardsOf(slug)).standards.version;
    expect(current).not.toBe(old);

    const stale = expectError(
      await server.gql(AcceptCommunityStandardsDocument, { input: { communityId: community.id, version: old } }, { token: member.token }),
      'CONFLICT',
    );
    expect(stale.message).toMatch(/standards changed/);
    expect(stale.message).toContain(current);
    expect((await standardsOf(slug, member.token)).viewerMembership).toMatchObject({ acceptedStandardsVersion: null, standardsAccepted: false });

    const { acceptCommunityStandards } = expectData(
      await server.gql(AcceptCommunityStandardsDocument, { input: { communityId: community.id, version: current } }, { token: member.token }),
    );
    expect(acceptCommunityStandards).toMatchObject({ id: member.membershipId, acceptedStandardsVersion: current, standardsAccepted: true });
    // Accepting again changes nothing (and audits nothing more).
    expectData(await server.gql(AcceptCommunityStandardsDocument, { input: { communityId: community.id, version: current } }, { token: member.token }));
    const staff = await server.factories.staff();
    const { auditLog } = expectData(await server.gql(AuditLogDocument, { communityId: community.id }, { token: staff.token }));
    const accepted = auditLog.edges.map((e) => e.node).filter((e) => e.action === 'standards.accepted');
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ actor: { id: member.id }, subjectNodeId: member.membershipId, details: { after: { acceptedStandardsVersion: current } } });
  });
});
