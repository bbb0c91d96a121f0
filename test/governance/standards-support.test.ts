import {
  AllSupportRequestsDocument,
  AuditLogDocument,
  CommunitySupportDocument,
  CommunitySupportRequestsDocument,
  CommunitySupportSummaryDocument,
  DecideSupportRequestDocument,
  GovernanceNodeDocument,
  RequestSupportDocument,
  type SupportKind,
} from '../generated/graphql';
import { fromGlobalId } from '../../src/shared/ids';
import { CommunityRole, OrgRole, ResourceKind } from '../support/factories';
import { badInputFields, countRows, expectData, expectError, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const HOUR = 3_600_000;
const requestCount = (slug: string) =>
  countRows(server, 'select count(*) as n from support_request r join community c on c.id = r.community_id where c.slug = ?', slug);

async function world(options: { restricted?: boolean } = {}) {
  const community = options.restricted ? await server.factories.restrictedCommunity() : await server.factories.community();
  const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
  const staff = await server.factories.staff();
  const board = await server.factories.member({ orgRole: OrgRole.BOARD });
  return { community, slug: community.community.slug, lead, staff, board };
}

const ask = (communityId: string, kind: SupportKind = 'PRACTICE_SESSION', estimatedCost = '250') => ({
  input: { communityId, kind, details: 'A facilitated practice session on lateral reading for 20 members', estimatedCost },
});

describe('Community.support', () => {
  it('is public: the standard support, the mailing list and a folder holding only the DOCUMENT resources, newest first', async () => {
    const { community, slug, lead } = await world();
    const now = Date.now();
    await server.factories.resource(community, lead, { kind: ResourceKind.LINK, title: 'A link' });
    const older = await server.factories.resource(community, lead, { kind: ResourceKind.DOCUMENT, title: 'Older plan', createdAt: new Date(now - 2 * HOUR) });
    const newer = await server.factories.resource(community, lead, { kind: ResourceKind.DOCUMENT, title: 'Newer plan', createdAt: new Date(now - HOUR) });
    await server.factories.resource(community, lead, { kind: ResourceKind.VIDEO, title: 'A video' });
    await server.factories.resource(community, lead, { kind: ResourceKind.DOCUMENT, title: 'Removed', removedAt: new Date() });

    const { community: read } = expectData(await server.gql(CommunitySupportDocument, { slug, first: 1 }));
    const support = read!.support;
    expect(support).toMatchObject({
      listed: true,
      hostedMeetings: true,
      announcements: true,
      mailingListAddress: `${slug}@lists.practicehub.localhost`,
      documentFolder: { name: `${community.community.name} documents`, resourceCount: 2 },
    });
    const folder = support.documentFolder.resources!;
    expect(folder.totalCount).toBe(2);
    expect(folder.edges.map((e) => e.node)).toEqual([{ id: newer.id, title: 'Newer plan', kind: 'DOCUMENT' }]);
    const { community: next } = expectData(await server.gql(CommunitySupportDocument, { slug, first: 1, after: folder.pageInfo.endCursor }));
    expect(next!.support.documentFolder.resources!.edges.map((e) => e.node.id)).toEqual([older.id]);
    expect(next!.support.documentFolder.resources!.pageInfo.hasNextPage).toBe(false);
  });

  it("of a RESTRICTED community: the summary is public, the folder's documents only for its members and staff", async () => {
    const { community, slug, lead, staff } = await world({ restricted: true });
    const doc = await server.factories.resource(community, lead, { kind: ResourceKind.DOCUMENT, title: 'Confidential rubric' });
    const outsider = await server.factories.member();
    for (const token of [undefined, outsider.token]) {
      const summary = expectData(await server.gql(CommunitySupportSummaryDocument, { slug }, { token }));
      expect(summary.community!.support).toMatchObject({ mailingListAddress: `${slug}@lists.practicehub.localhost`, documentFolder: { resourceCount: 1 } });
      const response = await server.gql(CommunitySupportDocument, { slug }, { token });
      const error = expectError(response, 'FORBIDDEN');
      expect(error.path).toEqual(['community', 'support', 'documentFolder', 'resources']);
      expect(response.data!.community!.support.documentFolder.resources).toBeNull();
      expect(JSON.stringify(response.data)).not.toContain('Confidential rubric');
    }
    for (const reader of [lead, staff]) {
      const { community: read } = expectData(await server.gql(CommunitySupportDocument, { slug }, { token: reader.token }));
      expect(read!.support.documentFolder.resources!.edges.map((e) => e.node.id)).toEqual([doc.id]);
    }
  });
});

describe('requestSupport', () => {
  it('needs a signed-in member (UNAUTHENTICATED), and the LEAD, a meeting or event coordinator or staff (FORBIDDEN); nothing is written', async () => {
    const { community, slug, board } = await world();
    expectError(await server.gql(RequestSupportDocument, ask(community.id)), 'UNAUTHENTICATED');
    const member = await server.factories.activeMember(community);
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    const outsider = await server.factories.member();
    const other = await world();
    for (const who of [member, monitor, outsider, board, other.lead]) {
      const response = await server.gql(RequestSupportDocument, ask(community.id), { token: who.token });
      expectError(response, 'FORBIDDEN');
      expect(response.data).toBeNull();
    }
    expect(await requestCount(slug)).toBe(0);
  });

  it('refuses a negative, over-precise or non-numeric cost and blank details (BAD_USER_INPUT)', async () => {
    const { community, slug, lead } = await world();
    for (const cost of ['-5', '1.234', 'abc', '10000000', '', '1,000']) {
      expect(badInputFields(await server.gql(RequestSupportDocument, ask(community.id, 'OTHER', cost), { token: lead.token }))).toEqual(['estimatedCost']);
    }
    const blank = { input: { ...ask(community.id).input, details: '  ' } };
    expect(badInputFields(await server.gql(RequestSupportDocument, blank, { token: lead.token }))).toContain('details');
    expect(await requestCount(slug)).toBe(0);
  });

  it('is refused for a RETIRED community (FORBIDDEN)', async () => {
    const { community, slug, lead, staff } = await world();
    await server.em().execute(`update community set status = 'RETIRED', retired_at = now() where slug = ?`, [slug]);
    for (const who of [lead, staff]) {
      expect(expectError(await server.gql(RequestSupportDocument, ask(community.id), { token: who.token }), 'FORBIDDEN').message).toMatch(/retired/);
    }
    expect(await requestCount(slug)).toBe(0);
  });

  it('is open to the LEAD, the meeting and event coordinators and staff: REQUESTED, the cost kept in cents', async () => {
    const { community, lead, staff } = await world();
    const meetings = await server.factories.activeMember(community, [CommunityRole.MEETING_COORDINATOR]);
    const events = await server.factories.activeMember(community, [CommunityRole.EVENT_COORDINATOR]);
    const costs = ['0', '250', '1250.5', '99.99'];
    const expected = [
      ['0.00', 0],
      ['250.00', 25_000],
      ['1250.50', 125_050],
      ['99.99', 9999],
    ];
    for (const [i, who] of [lead, meetings, events, staff].entries()) {
      const { requestSupport } = expectData(await server.gql(RequestSupportDocument, ask(community.id, 'MEETING_FACILITATION', costs[i]), { token: who.token }));
      expect(requestSupport).toMatchObject({
        kind: 'MEETING_FACILITATION',
        status: 'REQUESTED',
        estimatedCost: expected[i]![0],
        estimatedCostCents: expected[i]![1],
        needsBoardApproval: false,
        requestedBy: { id: who.id },
        community: { id: community.id },
        staffDecidedBy: null,
      });
    }
  });
});

describe('decideSupportRequest', () => {
  it('staff approve an ordinary request: APPROVED; the board may not take the first step, LEADs may not decide, a decided one is CONFLICT', async () => {
    const { community, lead, staff, board } = await world();
    const { requestSupport } = expectData(await server.gql(RequestSupportDocument, ask(community.id, 'PRACTICE_SESSION'), { token: lead.token }));
    const decide = (approve: boolean, note?: string) => ({ input: { requestId: requestSupport.id, approve, note } });
    expectError(await server.gql(DecideSupportRequestDocument, decide(true)), 'UNAUTHENTICATED');
    expectError(await server.gql(DecideSupportRequestDocument, decide(true), { token: lead.token }), 'FORBIDDEN');
    expect(expectError(await server.gql(DecideSupportRequestDocument, decide(true), { token: board.token }), 'FORBIDDEN').message).toMatch(/Staff decide/);
    const outsider = await server.factories.member();
    expectError(await server.gql(DecideSupportRequestDocument, decide(true), { token: outsider.token }), 'FORBIDDEN');

    const { decideSupportRequest } = expectData(await server.gql(DecideSupportRequestDocument, decide(true, 'Room 4 is yours'), { token: staff.token }));
    expect(decideSupportRequest).toMatchObject({ status: 'APPROVED', staffNote: 'Room 4 is yours', staffDecidedBy: { id: staff.id }, boardDecidedBy: null });
    expect(decideSupportRequest.staffDecidedAt).toEqual(expect.any(String));
    expectError(await server.gql(DecideSupportRequestDocument, decide(false, 'Changed our mind'), { token: staff.token }), 'CONFLICT');
    expectError(await server.gql(DecideSupportRequestDocument, decide(false, 'No'), { token: board.token }), 'CONFLICT');
  });

  it('an IN_PERSON_MEETING staff approve waits for the board (AWAITING_BOARD): staff may not take the board\'s step; the board approves', async () => {
    const { community, lead, staff, board } = await world();
    const { requestSupport } = expectData(await server.gql(RequestSupportDocument, ask(community.id, 'IN_PERSON_MEETING', '1800'), { token: lead.token }));
    expect(requestSupport.needsBoardApproval).toBe(true);
    const decide = (approve: boolean, note?: string) => ({ input: { requestId: requestSupport.id, approve, note } });
    const { decideSupportRequest: staffStep } = expectData(await server.gql(DecideSupportRequestDocument, decide(true), { token: staff.token }));
    expect(staffStep).toMatchObject({ status: 'AWAITING_BOARD', staffDecidedBy: { id: staff.id }, staffNote: null, boardDecidedBy: null });

    const again = expectError(await server.gql(DecideSupportRequestDocument, decide(true), { token: staff.token }), 'FORBIDDEN');
    expect(again.message).toMatch(/board/);
    expectError(await server.gql(DecideSupportRequestDocument, decide(false, 'Too dear'), { token: staff.token }), 'FORBIDDEN');
    expectError(await server.gql(DecideSupportRequestDocument, decide(true), { token: lead.token }), 'FORBIDDEN');
    const [row] = await server.em().execute<{ status: string }[]>('select status from support_request where id = ?', [fromGlobalId(requestSupport.id)!.id]);
    expect(row!.status).toBe('AWAITING_BOARD');

    const { decideSupportRequest: boardStep } = expectData(await server.gql(DecideSupportRequestDocument, decide(true, 'Budget line 12'), { token: board.token }));
    expect(boardStep).toMatchObject({ status: 'APPROVED', boardDecidedBy: { id: board.id }, boardNote: 'Budget line 12', staffDecidedBy: { id: staff.id } });
    expect(boardStep.boardDecidedAt).toEqual(expect.any(String));
  });

  it('declining needs a note (BAD_USER_INPUT, nothing changes) and ends the request, at the staff stage or the board\'s', async () => {
    const { community, lead, staff, board } = await world();
    const { requestSupport: first } = expectData(await server.gql(RequestSupportDocument, ask(community.id, 'OTHER'), { token: lead.token }));
    const { requestSupport: second } = expectData(await server.gql(RequestSupportDocument, ask(community.id, 'IN_PERSON_MEETING'), { token: lead.token }));
    for (const note of [undefined, '   ']) {
      expect(badInputFields(await server.gql(DecideSupportRequestDocument, { input: { requestId: first.id, approve: false, note } }, { token: staff.token }))).toEqual([
        'note',
      ]);
    }
    const { decideSupportRequest: declined } = expectData(
      await server.gql(DecideSupportRequestDocument, { input: { requestId: first.id, approve: false, note: 'Outside what we fund' } }, { token: staff.token }),
    );
    expect(declined).toMatchObject({ status: 'DECLINED', staffNote: 'Outside what we fund' });

    expectData(await server.gql(DecideSupportRequestDocument, { input: { requestId: second.id, approve: true } }, { token: staff.token }));
    expect(badInputFields(await server.gql(DecideSupportRequestDocument, { input: { requestId: second.id, approve: false } }, { token: board.token }))).toEqual(['note']);
    const { decideSupportRequest: boardDeclined } = expectData(
      await server.gql(DecideSupportRequestDocument, { input: { requestId: second.id, approve: false, note: 'Not this year' } }, { token: board.token }),
    );
    expect(boardDeclined).toMatchObject({ status: 'DECLINED', boardNote: 'Not this year', boardDecidedBy: { id: board.id } });
    expectError(await server.gql(DecideSupportRequestDocument, { input: { requestId: second.id, approve: true } }, { token: board.token }), 'CONFLICT');
  });

  it('is audited: requested, and each stage decided, with the statuses before and after', async () => {
    const { community, lead, staff, board } = await world();
    const { requestSupport } = expectData(await server.gql(RequestSupportDocument, ask(community.id, 'IN_PERSON_MEETING', '75.25'), { token: lead.token }));
    expectData(await server.gql(DecideSupportRequestDocument, { input: { requestId: requestSupport.id, approve: true } }, { token: staff.token }));
    expectData(await server.gql(DecideSupportRequestDocument, { input: { requestId: requestSupport.id, approve: true, note: 'Yes' } }, { token: board.token }));
    const { auditLog } = expectData(await server.gql(AuditLogDocument, { communityId: community.id }, { token: board.token }));
    const entries = auditLog.edges.map((e) => e.node).filter((e) => e.subjectNodeId === requestSupport.id);
    expect(entries.map((e) => [e.action, e.actor?.id, e.details])).toEqual([
      ['supportRequest.decided', board.id, expect.objectContaining({ stage: 'BOARD', note: 'Yes', before: { status: 'AWAITING_BOARD' }, after: { status: 'APPROVED' } })],
      ['supportRequest.decided', staff.id, expect.objectContaining({ stage: 'STAFF', before: { status: 'REQUESTED' }, after: { status: 'AWAITING_BOARD' } })],
      ['supportRequest.requested', lead.id, { after: { kind: 'IN_PERSON_MEETING', estimatedCost: '75.25', status: 'REQUESTED' } }],
    ]);
    expect(entries[0]!.subject).toEqual({ id: requestSupport.id, __typename: 'SupportRequest' });
  });
});

describe('Community.supportRequests and node(id)', () => {
  it("are for the community's LEADs, staff and board (others FORBIDDEN); the member who asked reads their own request", async () => {
    const { community, slug, lead, staff, board } = await world();
    const coordinator = await server.factories.activeMember(community, [CommunityRole.EVENT_COORDINATOR]);
    const { requestSupport: mine } = expectData(await server.gql(RequestSupportDocument, ask(community.id, 'OTHER'), { token: coordinator.token }));
    const { requestSupport: leads } = expectData(await server.gql(RequestSupportDocument, ask(community.id, 'IN_PERSON_MEETING'), { token: lead.token }));
    const member = await server.factories.activeMember(community);

    for (const token of [undefined, member.token, coordinator.token]) {
      const response = await server.gql(CommunitySupportRequestsDocument, { slug }, { token });
      expectError(response, 'FORBIDDEN');
      expect(response.data!.community!.supportRequests).toBeNull();
    }
    for (const reader of [lead, staff, board]) {
      const { community: read } = expectData(await server.gql(CommunitySupportRequestsDocument, { slug, first: 1 }, { token: reader.token }));
      expect(read!.supportRequests!.totalCount).toBe(2);
      expect(read!.supportRequests!.edges.map((e) => e.node.id)).toEqual([leads.id]);
      const { community: next } = expectData(
        await server.gql(CommunitySupportRequestsDocument, { slug, first: 1, after: read!.supportRequests!.pageInfo.endCursor }, { token: reader.token }),
      );
      expect(next!.supportRequests!.edges.map((e) => e.node.id)).toEqual([mine.id]);
      expect(expectData(await server.gql(GovernanceNodeDocument, { id: mine.id }, { token: reader.token })).node).toMatchObject({ status: 'REQUESTED' });
    }
    const { community: filtered } = expectData(await server.gql(CommunitySupportRequestsDocument, { slug, status: 'REQUESTED' }, { token: staff.token }));
    expect(filtered!.supportRequests!.totalCount).toBe(2);
    expectData(await server.gql(DecideSupportRequestDocument, { input: { requestId: leads.id, approve: true } }, { token: staff.token }));
    const { community: awaiting } = expectData(await server.gql(CommunitySupportRequestsDocument, { slug, status: 'AWAITING_BOARD' }, { token: board.token }));
    expect(awaiting!.supportRequests!.edges.map((e) => e.node.id)).toEqual([leads.id]);

    expect(expectData(await server.gql(GovernanceNodeDocument, { id: mine.id }, { token: coordinator.token })).node).toMatchObject({ kind: 'OTHER' });
    expectError(await server.gql(GovernanceNodeDocument, { id: leads.id }, { token: coordinator.token }), 'FORBIDDEN');
    expectError(await server.gql(GovernanceNodeDocument, { id: mine.id }, { token: member.token }), 'FORBIDDEN');
    expectError(await server.gql(GovernanceNodeDocument, { id: mine.id }), 'FORBIDDEN');
    // Deciding needs reading first: a member who may not read it is FORBIDDEN, not told its state.
    expectError(await server.gql(DecideSupportRequestDocument, { input: { requestId: mine.id, approve: true } }, { token: member.token }), 'FORBIDDEN');
  });
});

describe('supportRequests (every community)', () => {
  it("is refused to anonymous viewers and to members, LEADs included; staff and the board see every community's, the board its queue", async () => {
    const one = await world();
    const two = await world();
    const { requestSupport: a } = expectData(await server.gql(RequestSupportDocument, ask(one.community.id, 'IN_PERSON_MEETING'), { token: one.lead.token }));
    const { requestSupport: b } = expectData(await server.gql(RequestSupportDocument, ask(two.community.id, 'IN_PERSON_MEETING'), { token: two.lead.token }));
    expectError(await server.gql(AllSupportRequestsDocument, {}), 'UNAUTHENTICATED');
    expectError(await server.gql(AllSupportRequestsDocument, {}, { token: one.lead.token }), 'FORBIDDEN');
    for (const request of [a, b]) {
      expectData(await server.gql(DecideSupportRequestDocument, { input: { requestId: request.id, approve: true } }, { token: one.staff.token }));
    }
    const { supportRequests: queue } = expectData(await server.gql(AllSupportRequestsDocument, { status: 'AWAITING_BOARD', first: 100 }, { token: one.board.token }));
    const ids = queue.edges.map((e) => e.node.id);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    expect(ids.indexOf(a.id)).toBeGreaterThanOrEqual(0);
    expect(queue.edges.every((e) => e.node.status === 'AWAITING_BOARD')).toBe(true);
    const { supportRequests: page } = expectData(await server.gql(AllSupportRequestsDocument, { first: 1 }, { token: one.staff.token }));
    expect(page.totalCount).toBeGreaterThanOrEqual(2);
    const { supportRequests: next } = expectData(await server.gql(AllSupportRequestsDocument, { first: 1, after: page.pageInfo.endCursor }, { token: one.staff.token }));
    expect(next.edges[0]!.node.id).not.toBe(page.edges[0]!.node.id);
  });
});
