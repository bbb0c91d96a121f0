import {
  DecideProposalDocument,
  type ProposalDecision,
  ProposalNodeDocument,
  ProposalNodesDocument,
  ProposalsDocument,
  type ProposalStatus,
  ProposeCommunityDocument,
  ProposedCommunityBySlugDocument,
  UpdateProposalDocument,
  WithdrawProposalDocument,
} from '../generated/graphql';
import { CommunityVisibility, OrgRole } from '../support/factories';
import { countRows, distinctBadInputFields, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { auditActions, insertMeeting, propose, proposalInput, receivedAt, seconds } from './proposalSupport';

let server: TestServer;
beforeAll(async () => {
  // The timeline job is run by hand in these tests.
  server = await startTestServer({ PROPOSAL_TIMELINE_CRON: '0 0 1 1 *' });
});
afterAll(() => server.close());
// Board meetings concern every proposal: each test sets up its own calendar.
beforeEach(() => server.em().execute('delete from board_meeting'));
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const APPROVE = 'APPROVE' as ProposalDecision;
const DECLINE = 'DECLINE' as ProposalDecision;
const board = () => server.factories.member({ orgRole: OrgRole.BOARD });

/** What a proposal looks like in the database, for "nothing changed" checks. */
const row = async (dbId: string) =>
  (await server.em().execute<Record<string, unknown>[]>('select status, name, decision, decided_at, community_id, withdrawn_at from community_proposal where id = ?', [dbId]))[0];

describe('proposeCommunity', () => {
  it('is refused to anonymous viewers', async () => {
    expectError(await server.gql(ProposeCommunityDocument, { input: proposalInput() }), 'UNAUTHENTICATED');
  });

  it('requires the rationales when they are used (BAD_USER_INPUT, both at once) and stores nothing', async () => {
    const member = await server.factories.member();
    const input = proposalInput({ additionalStandards: ['No recordings of sessions'], visibility: CommunityVisibility.RESTRICTED, standardsRationale: '  ' });
    const response = await server.gql(ProposeCommunityDocument, { input }, { token: member.token });
    expect(distinctBadInputFields(response)).toEqual(['standardsRationale', 'membershipRationale']);
    expect(await countRows(server, 'select count(*) as n from community_proposal where slug = ?', input.slug)).toBe(0);
    expect(await countRows(server, 'select count(*) as n from domain_event where type = ? and actor_id = ?', 'ProposalSubmitted', member.member.id)).toBe(0);
  });

  it('validates every field: the slug pattern, blank and over-long texts, control characters', async () => {
    const member = await server.factories.member();
    const input = proposalInput({ slug: 'Not A Slug', name: ' ', statementOfNeed: 'x'.repeat(5001), intendedImpact: 'bad\u0000text', topics: [''] });
    const fields = distinctBadInputFields(await server.gql(ProposeCommunityDocument, { input }, { token: member.token }));
    expect(fields.sort()).toEqual(['intendedImpact', 'name', 'slug', 'statementOfNeed', 'topics'].sort());
  });

  it('refuses a slug an existing community has (CONFLICT)', async () => {
    const member = await server.factories.member();
    const { community } = await server.factories.community();
    expectError(await server.gql(ProposeCommunityDocument, { input: proposalInput({ slug: community.slug }) }, { token: member.token }), 'CONFLICT');
  });

  it('stores what the member proposed, SUBMITTED, with an event and an audit entry', async () => {
    const member = await server.factories.member();
    const proposal = await propose(server, member.token, {
      topics: [' Makerspaces ', 'STEM', 'stem'],
      additionalStandards: ['Share project files under CC BY', 'Share project files under CC BY', ' Credit student makers '],
      standardsRationale: 'Projects are meant to be reused',
      visibility: CommunityVisibility.RESTRICTED,
      membershipRationale: 'Members share photos of student work',
      resourcesRequested: '  ',
    });
    expect(proposal).toMatchObject({
      status: 'SUBMITTED',
      proposer: { id: member.id },
      topics: ['makerspaces', 'stem'],
      additionalStandards: ['Share project files under CC BY', 'Credit student makers'],
      resourcesRequested: null,
      visibility: 'RESTRICTED',
      reviewDeadline: null,
      overdue: false,
      decision: null,
      community: null,
    });
    expect(Date.parse(proposal.receivedAt)).toBeGreaterThan(Date.now() - 60_000);
    const [event] = await server.em().execute<{ payload: Record<string, unknown>; community_id: string | null }[]>(
      "select payload, community_id from domain_event where type = 'ProposalSubmitted' and payload->>'proposalId' = ?",
      [proposal.dbId],
    );
    expect(event).toMatchObject({ community_id: null, payload: { proposalId: proposal.dbId, proposerId: member.member.id } });
    const [audit] = await auditActions(server, proposal.dbId);
    expect(audit).toMatchObject({ action: 'proposal.submitted', actor_id: member.member.id, details: { after: { slug: proposal.slug, visibility: 'RESTRICTED' } } });
  });
});

describe('reading proposals', () => {
  it('keeps a proposal from other members on every path: node(id), nodes, the list', async () => {
    const proposer = await server.factories.member();
    const other = await server.factories.member();
    const council = await server.factories.member({ orgRole: OrgRole.COUNCIL });
    const proposal = await propose(server, proposer.token);
    for (const reader of [other, council]) {
      const response = await server.gql(ProposalNodeDocument, { id: proposal.id }, { token: reader.token });
      expect(expectError(response, 'FORBIDDEN').message).toMatch(/proposer, the board and staff/);
      expect(response.data?.node ?? null).toBeNull();
      const nodes = await server.gql(ProposalNodesDocument, { ids: [proposal.id] }, { token: reader.token });
      expectError(nodes, 'FORBIDDEN');
      expect(nodes.data?.nodes).toEqual([null]);
      const { proposals } = expectData(await server.gql(ProposalsDocument, {}, { token: reader.token }));
      expect(proposals.edges.map((e) => e.node.id)).not.toContain(proposal.id);
    }
    expectError(await server.gql(ProposalNodeDocument, { id: proposal.id }), 'FORBIDDEN');
    expectError(await server.gql(ProposalsDocument, {}), 'UNAUTHENTICATED');
  });

  it('shows the proposer their own, and the board and staff all of them, filtered by status in SQL', async () => {
    const proposer = await server.factories.member();
    const mine = await propose(server, proposer.token);
    const withdrawn = await propose(server, proposer.token);
    expectData(await server.gql(WithdrawProposalDocument, { proposalId: withdrawn.id }, { token: proposer.token }));
    const someoneElses = await propose(server, (await server.factories.member()).token);

    const own = expectData(await server.gql(ProposalsDocument, {}, { token: proposer.token })).proposals;
    expect(own.edges.map((e) => e.node.id)).toEqual([withdrawn.id, mine.id]);
    expect(own.totalCount).toBe(2);
    const node = expectData(await server.gql(ProposalNodeDocument, { id: mine.id }, { token: proposer.token })).node;
    expect(node).toMatchObject({ __typename: 'CommunityProposal', status: 'SUBMITTED' });

    for (const reader of [await board(), await server.factories.staff()]) {
      const all = expectData(await server.gql(ProposalsDocument, { first: 100 }, { token: reader.token })).proposals;
      expect(all.edges.map((e) => e.node.id)).toEqual(expect.arrayContaining([mine.id, withdrawn.id, someoneElses.id]));
      const submitted = expectData(await server.gql(ProposalsDocument, { status: 'SUBMITTED' as ProposalStatus, first: 100 }, { token: reader.token })).proposals;
      expect(submitted.edges.map((e) => e.node.id)).toEqual(expect.arrayContaining([mine.id, someoneElses.id]));
      expect(submitted.edges.every((e) => e.node.status === 'SUBMITTED')).toBe(true);
      expect(submitted.totalCount).toBe(submitted.edges.length);
      const first = expectData(await server.gql(ProposalsDocument, { first: 1 }, { token: reader.token })).proposals;
      const next = expectData(await server.gql(ProposalsDocument, { first: 1, after: first.pageInfo.endCursor }, { token: reader.token })).proposals;
      expect(next.edges[0]!.node.id).not.toBe(first.edges[0]!.node.id);
    }
    const onlyWithdrawn = expectData(await server.gql(ProposalsDocument, { status: 'WITHDRAWN' as ProposalStatus }, { token: proposer.token })).proposals;
    expect(onlyWithdrawn.edges.map((e) => e.node.id)).toEqual([withdrawn.id]);
  });
});

describe('updateProposal', () => {
  it('is refused to another member, and to the board (FORBIDDEN), changing nothing', async () => {
    const proposer = await server.factories.member();
    const proposal = await propose(server, proposer.token);
    for (const other of [await server.factories.member(), await board()]) {
      const response = await server.gql(UpdateProposalDocument, { input: { proposalId: proposal.id, name: 'Taken over' } }, { token: other.token });
      expect(expectError(response, 'FORBIDDEN').message).toMatch(/Only the proposer/);
    }
    expect((await row(proposal.dbId))!.name).toBe(proposal.name);
  });

  it('is refused once the first board meeting after receipt has started (FORBIDDEN, clear message), whether or not the job ran', async () => {
    const proposer = await server.factories.member();
    const proposal = await propose(server, proposer.token);
    await receivedAt(server, proposal.dbId, seconds(-60));
    await insertMeeting(server, seconds(-30));
    const response = await server.gql(UpdateProposalDocument, { input: { proposalId: proposal.id, name: 'Too late' } }, { token: proposer.token });
    expect(expectError(response, 'FORBIDDEN').message).toMatch(/board has started reviewing this proposal/);
    expect(await row(proposal.dbId)).toMatchObject({ status: 'SUBMITTED', name: proposal.name });
    expect(await auditActions(server, proposal.dbId)).toHaveLength(1);
  });

  it('checks the rationales against the merged proposal (BAD_USER_INPUT), changing nothing', async () => {
    const proposer = await server.factories.member();
    const proposal = await propose(server, proposer.token);
    const response = await server.gql(UpdateProposalDocument, { input: { proposalId: proposal.id, additionalStandards: ['Cameras off'], name: 'Changed' } }, { token: proposer.token });
    expect(distinctBadInputFields(response)).toEqual(['standardsRationale']);
    expect((await row(proposal.dbId))!.name).toBe(proposal.name);
    const restricted = await server.gql(UpdateProposalDocument, { input: { proposalId: proposal.id, visibility: CommunityVisibility.RESTRICTED } }, { token: proposer.token });
    expect(distinctBadInputFields(restricted)).toEqual(['membershipRationale']);
  });

  it('changes what the proposer gave while SUBMITTED, with before/after in the audit log', async () => {
    const proposer = await server.factories.member();
    const proposal = await propose(server, proposer.token);
    // A meeting that has not started yet does not stop editing.
    await insertMeeting(server, seconds(3600));
    const { updateProposal } = expectData(
      await server.gql(
        UpdateProposalDocument,
        { input: { proposalId: proposal.id, name: 'Makerspaces and Robotics', additionalStandards: ['Credit student makers'], standardsRationale: 'Students own their work' } },
        { token: proposer.token },
      ),
    );
    expect(updateProposal).toMatchObject({ status: 'SUBMITTED', name: 'Makerspaces and Robotics', description: proposal.description, additionalStandards: ['Credit student makers'] });
    expect(updateProposal.updatedAt).not.toBeNull();
    const entries = await auditActions(server, proposal.dbId);
    expect(entries.map((e) => e.action)).toEqual(['proposal.submitted', 'proposal.updated']);
    expect(entries[1]!.details).toEqual({
      before: { name: proposal.name, additionalStandards: [], standardsRationale: null },
      after: { name: 'Makerspaces and Robotics', additionalStandards: ['Credit student makers'], standardsRationale: 'Students own their work' },
    });
    // The same values again: nothing recorded.
    expectData(await server.gql(UpdateProposalDocument, { input: { proposalId: proposal.id, name: 'Makerspaces and Robotics' } }, { token: proposer.token }));
    expect(await auditActions(server, proposal.dbId)).toHaveLength(2);
  });
});

describe('withdrawProposal', () => {
  it('is refused to another member (FORBIDDEN) and after a decision (CONFLICT)', async () => {
    const proposer = await server.factories.member();
    const proposal = await propose(server, proposer.token);
    expectError(await server.gql(WithdrawProposalDocument, { proposalId: proposal.id }, { token: (await server.factories.member()).token }), 'FORBIDDEN');
    expect((await row(proposal.dbId))!.status).toBe('SUBMITTED');
    const decider = await board();
    expectData(await server.gql(DecideProposalDocument, { input: { proposalId: proposal.id, decision: DECLINE, note: 'Overlaps' } }, { token: decider.token }));
    const response = await server.gql(WithdrawProposalDocument, { proposalId: proposal.id }, { token: proposer.token });
    expect(expectError(response, 'CONFLICT').message).toMatch(/already declined/);
    expect(await row(proposal.dbId)).toMatchObject({ status: 'DECLINED', withdrawn_at: null });
  });

  it('withdraws an undecided proposal, also under review; it can then be neither edited nor decided', async () => {
    const proposer = await server.factories.member();
    const proposal = await propose(server, proposer.token);
    await receivedAt(server, proposal.dbId, seconds(-60));
    await insertMeeting(server, seconds(-30));
    const { withdrawProposal } = expectData(await server.gql(WithdrawProposalDocument, { proposalId: proposal.id }, { token: proposer.token }));
    expect(withdrawProposal).toMatchObject({ status: 'WITHDRAWN', overdue: false });
    expect(withdrawProposal.withdrawnAt).not.toBeNull();
    expectError(await server.gql(UpdateProposalDocument, { input: { proposalId: proposal.id, name: 'Again' } }, { token: proposer.token }), 'FORBIDDEN');
    expectError(await server.gql(DecideProposalDocument, { input: { proposalId: proposal.id, decision: APPROVE } }, { token: (await board()).token }), 'CONFLICT');
    const entries = await auditActions(server, proposal.dbId);
    expect(entries.at(-1)).toMatchObject({ action: 'proposal.withdrawn', actor_id: proposer.member.id, details: { before: { status: 'UNDER_REVIEW' }, after: { status: 'WITHDRAWN' } } });
  });
});

describe('decideProposal', () => {
  it('is refused to members and council members (FORBIDDEN), the proposer included, changing nothing', async () => {
    const proposer = await server.factories.member();
    const proposal = await propose(server, proposer.token);
    for (const member of [proposer, await server.factories.member({ orgRole: OrgRole.COUNCIL })]) {
      const response = await server.gql(DecideProposalDocument, { input: { proposalId: proposal.id, decision: APPROVE } }, { token: member.token });
      expect(expectError(response, 'FORBIDDEN').message).toMatch(/board members and staff/);
    }
    expectError(await server.gql(DecideProposalDocument, { input: { proposalId: proposal.id, decision: APPROVE } }), 'UNAUTHENTICATED');
    expect(await row(proposal.dbId)).toMatchObject({ status: 'SUBMITTED', decision: null, community_id: null });
    expect(await countRows(server, 'select count(*) as n from community where slug = ?', proposal.slug)).toBe(0);
  });

  it('needs a note to decline (BAD_USER_INPUT)', async () => {
    const proposal = await propose(server, (await server.factories.member()).token);
    const response = await server.gql(DecideProposalDocument, { input: { proposalId: proposal.id, decision: DECLINE, note: ' ' } }, { token: (await board()).token });
    expect(distinctBadInputFields(response)).toEqual(['note']);
    expect((await row(proposal.dbId))!.status).toBe('SUBMITTED');
  });

  it('refuses an approval whose slug was taken since (CONFLICT) and writes nothing at all', async () => {
    const proposer = await server.factories.member();
    const proposal = await propose(server, proposer.token, { additionalStandards: ['Cameras off'], standardsRationale: 'Privacy' });
    await server.factories.community({ slug: proposal.slug });
    const decider = await board();
    const events = () => countRows(server, 'select count(*) as n from domain_event where actor_id = ?', decider.member.id);
    const audits = () => countRows(server, 'select count(*) as n from audit_entry where actor_id = ?', decider.member.id);
    const response = await server.gql(DecideProposalDocument, { input: { proposalId: proposal.id, decision: APPROVE } }, { token: decider.token });
    expect(expectError(response, 'CONFLICT').message).toMatch(/slug/);
    expect(await row(proposal.dbId)).toMatchObject({ status: 'SUBMITTED', decision: null, decided_at: null, community_id: null });
    expect(await countRows(server, 'select count(*) as n from community where slug = ?', proposal.slug)).toBe(1);
    expect(await countRows(server, 'select count(*) as n from community_standard where text = ?', 'Cameras off')).toBe(0);
    expect(await countRows(server, 'select count(*) as n from membership where member_id = ?', proposer.member.id)).toBe(0);
    expect(await events()).toBe(0);
    expect(await audits()).toBe(0);
    // Still undecided: it can be declined.
    expectData(await server.gql(DecideProposalDocument, { input: { proposalId: proposal.id, decision: DECLINE, note: 'The slug is taken; propose again with another' } }, { token: decider.token }));
  });

  it('approves: founds the community (ACTIVE, its standards, visibility and rationale, the proposer its LEAD), once', async () => {
    const proposer = await server.factories.member();
    const proposal = await propose(server, proposer.token, {
      additionalStandards: ['Photos of students are never posted', 'Credit student makers'],
      standardsRationale: 'Students are minors',
      visibility: CommunityVisibility.RESTRICTED,
      membershipRationale: 'Members share photos of student work',
    });
    const decider = await board();
    const { decideProposal } = expectData(
      await server.gql(DecideProposalDocument, { input: { proposalId: proposal.id, decision: APPROVE, note: ' Welcome ' } }, { token: decider.token }),
    );
    expect(decideProposal).toMatchObject({
      status: 'APPROVED',
      decision: 'APPROVE',
      decisionNote: 'Welcome',
      decidedBy: { id: decider.id },
      community: {
        slug: proposal.slug,
        status: 'ACTIVE',
        visibility: 'RESTRICTED',
        membershipRationale: 'Members share photos of student work',
        continuationCriteria: proposal.continuationCriteria,
      },
    });
    const { community } = expectData(await server.gql(ProposedCommunityBySlugDocument, { slug: proposal.slug }, { token: proposer.token }));
    expect(community?.id).toBe(decideProposal.community!.id);
    const communityDbId = (await server.em().execute<{ id: string }[]>('select id from community where slug = ?', [proposal.slug]))[0]!.id;
    const standards = await server.em().execute<{ text: string; rationale: string }[]>('select text, rationale from community_standard where community_id = ? order by text', [communityDbId]);
    expect(standards).toEqual([
      { text: 'Credit student makers', rationale: 'Students are minors' },
      { text: 'Photos of students are never posted', rationale: 'Students are minors' },
    ]);
    const [lead] = await server.em().execute<{ status: string; roles: string[] }[]>('select status, roles from membership where community_id = ? and member_id = ?', [communityDbId, proposer.member.id]);
    expect(lead).toEqual({ status: 'ACTIVE', roles: ['LEAD'] });
    const [support] = await server.em().execute<Record<string, unknown>[]>('select listed, hosted_meetings, announcements, mailing_list_address from community where id = ?', [communityDbId]);
    expect(support).toMatchObject({ listed: true, hosted_meetings: true, announcements: true, mailing_list_address: expect.stringContaining(proposal.slug) });

    const decided = await auditActions(server, proposal.dbId);
    expect(decided.at(-1)).toMatchObject({
      action: 'proposal.decided',
      actor_id: decider.member.id,
      details: { decision: 'APPROVE', note: 'Welcome', before: { status: 'SUBMITTED' }, after: { status: 'APPROVED' }, community: decideProposal.community!.id },
    });
    const [created] = await server.em().execute<{ details: Record<string, unknown> }[]>("select details from audit_entry where action = 'community.created' and subject_id = ?", [communityDbId]);
    expect(created!.details).toMatchObject({ proposal: proposal.id, additionalStandards: 2 });
    const [event] = await server.em().execute<{ payload: Record<string, unknown>; community_id: string | null }[]>(
      "select payload, community_id from domain_event where type = 'ProposalDecided' and payload->>'proposalId' = ?",
      [proposal.dbId],
    );
    expect(event).toEqual({ community_id: null, payload: { type: 'ProposalDecided', proposalId: proposal.dbId, decision: 'APPROVE', createdCommunityId: communityDbId } });

    const again = await server.gql(DecideProposalDocument, { input: { proposalId: proposal.id, decision: DECLINE, note: 'Changed our minds' } }, { token: decider.token });
    expect(expectError(again, 'CONFLICT').message).toMatch(/already approved/);
    expect(await countRows(server, 'select count(*) as n from community where slug = ?', proposal.slug)).toBe(1);
  });

  it('declines with the note for the proposer; staff decide too', async () => {
    const proposal = await propose(server, (await server.factories.member()).token);
    const staff = await server.factories.staff();
    const { decideProposal } = expectData(
      await server.gql(DecideProposalDocument, { input: { proposalId: proposal.id, decision: DECLINE, note: 'Overlaps Digital Tools' } }, { token: staff.token }),
    );
    expect(decideProposal).toMatchObject({ status: 'DECLINED', decision: 'DECLINE', decisionNote: 'Overlaps Digital Tools', community: null, overdue: false });
    expect((await auditActions(server, proposal.dbId)).at(-1)).toMatchObject({ action: 'proposal.decided', details: { decision: 'DECLINE', note: 'Overlaps Digital Tools' } });
  });
});
