import { BoardMeetingsDocument, ProposalNodeDocument, ProposalsDocument, ScheduleBoardMeetingDocument, DecideProposalDocument, type ProposalDecision, type ProposalStatus } from '../generated/graphql';
import { OrgRole } from '../support/factories';
import { countRows, distinctBadInputFields, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { advanceProposals } from '../../src/modules/governance/proposals/jobs/advanceProposals';
import { auditActions, insertMeeting, propose, receivedAt, seconds } from './proposalSupport';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ PROPOSAL_TIMELINE_CRON: '0 0 1 1 *' });
});
afterAll(() => server.close());
beforeEach(() => server.em().execute('delete from board_meeting'));
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const board = () => server.factories.member({ orgRole: OrgRole.BOARD });
const advance = () => advanceProposals(server.app.services);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const proposalOf = async (token: string, id: string) => {
  const { node } = expectData(await server.gql(ProposalNodeDocument, { id }, { token }));
  return node as { status: string };
};
const timeline = async (token: string, id: string) => {
  const { proposals } = expectData(await server.gql(ProposalsDocument, { first: 100 }, { token }));
  const node = proposals.edges.find((e) => e.node.id === id)!.node;
  return { status: node.status, reviewDeadline: node.reviewDeadline, overdue: node.overdue };
};
const listed = async (token: string, status: string) =>
  expectData(await server.gql(ProposalsDocument, { status: status as ProposalStatus, first: 100 }, { token })).proposals.edges.map((e) => e.node.id);
const recordedStatus = async (dbId: string) => (await server.em().execute<{ status: string }[]>('select status from community_proposal where id = ?', [dbId]))[0]!.status;
const eventsOf = (type: string, dbId: string) => countRows(server, "select count(*) as n from domain_event where type = ? and payload->>'proposalId' = ?", type, dbId);

describe('scheduleBoardMeeting', () => {
  it('is refused to anonymous viewers, members and council members, and in the past or twice at one time', async () => {
    const startsAt = seconds(3600).toISOString();
    expectError(await server.gql(ScheduleBoardMeetingDocument, { input: { startsAt } }), 'UNAUTHENTICATED');
    for (const orgRole of [OrgRole.MEMBER, OrgRole.COUNCIL]) {
      const member = await server.factories.member({ orgRole });
      expect(expectError(await server.gql(ScheduleBoardMeetingDocument, { input: { startsAt } }, { token: member.token }), 'FORBIDDEN').message).toMatch(/board members and staff/);
    }
    const scheduler = await board();
    expect(distinctBadInputFields(await server.gql(ScheduleBoardMeetingDocument, { input: { startsAt: seconds(-1).toISOString() } }, { token: scheduler.token }))).toEqual(['startsAt']);
    expect(await countRows(server, 'select count(*) as n from board_meeting')).toBe(0);
    expectData(await server.gql(ScheduleBoardMeetingDocument, { input: { startsAt } }, { token: scheduler.token }));
    expectError(await server.gql(ScheduleBoardMeetingDocument, { input: { startsAt } }, { token: scheduler.token }), 'CONFLICT');
    expect(await countRows(server, 'select count(*) as n from board_meeting')).toBe(1);
  });

  it('schedules a meeting (event, audit entry) that signed-in members read, upcoming ones on their own', async () => {
    const staff = await server.factories.staff();
    const past = await insertMeeting(server, seconds(-3600));
    const startsAt = seconds(7 * 24 * 3600);
    const { scheduleBoardMeeting } = expectData(await server.gql(ScheduleBoardMeetingDocument, { input: { startsAt: startsAt.toISOString() } }, { token: staff.token }));
    expect(scheduleBoardMeeting).toMatchObject({ startsAt: startsAt.toISOString(), scheduledBy: { id: staff.id } });
    const dbId = (await server.em().execute<{ id: string }[]>('select id from board_meeting where starts_at = ?', [startsAt.toISOString()]))[0]!.id;
    expect(await auditActions(server, dbId)).toEqual([{ action: 'boardMeeting.scheduled', actor_id: staff.member.id, details: { after: { startsAt: startsAt.toISOString() } } }]);
    expect(await countRows(server, "select count(*) as n from domain_event where type = 'BoardMeetingScheduled' and payload->>'boardMeetingId' = ?", dbId)).toBe(1);

    const member = await server.factories.member();
    const all = expectData(await server.gql(BoardMeetingsDocument, {}, { token: member.token })).boardMeetings;
    expect(all.totalCount).toBe(2);
    expect(all.edges.map((e) => e.node.startsAt)).toEqual([expect.any(String), startsAt.toISOString()]);
    const upcoming = expectData(await server.gql(BoardMeetingsDocument, { upcoming: true }, { token: member.token })).boardMeetings;
    expect(upcoming.edges.map((e) => e.node.id)).toEqual([scheduleBoardMeeting.id]);
    const page = expectData(await server.gql(BoardMeetingsDocument, { first: 1 }, { token: member.token })).boardMeetings;
    const next = expectData(await server.gql(BoardMeetingsDocument, { first: 1, after: page.pageInfo.endCursor }, { token: member.token })).boardMeetings;
    expect([page.pageInfo.hasNextPage, next.edges[0]!.node.id]).toEqual([true, scheduleBoardMeeting.id]);
    expect(past).toBeTruthy();
    expectError(await server.gql(BoardMeetingsDocument, {}), 'UNAUTHENTICATED');
  });
});

describe('the review timeline', () => {
  it('has no deadline until two meetings follow receipt; meetings before receipt do not count', async () => {
    const proposer = await server.factories.member();
    await insertMeeting(server, seconds(-30));
    const proposal = await propose(server, proposer.token);
    expect(await timeline(proposer.token, proposal.id)).toEqual({ status: 'SUBMITTED', reviewDeadline: null, overdue: false });
    await insertMeeting(server, seconds(3600));
    expect(await timeline(proposer.token, proposal.id)).toEqual({ status: 'SUBMITTED', reviewDeadline: null, overdue: false });
    const second = seconds(7200);
    await insertMeeting(server, second);
    await insertMeeting(server, seconds(9000));
    expect(await timeline(proposer.token, proposal.id)).toEqual({ status: 'SUBMITTED', reviewDeadline: second.toISOString(), overdue: false });
  });

  it('is UNDER_REVIEW the moment the first meeting after receipt starts, and overdue when the second does, by the clock alone', async () => {
    const proposer = await server.factories.member();
    const reader = await board();
    const proposal = await propose(server, proposer.token);
    const decided = await propose(server, proposer.token);
    const first = seconds(1.5);
    const second = seconds(3);
    const scheduler = await board();
    for (const startsAt of [first, second]) {
      expectData(await server.gql(ScheduleBoardMeetingDocument, { input: { startsAt: startsAt.toISOString() } }, { token: scheduler.token }));
    }
    expect(await timeline(proposer.token, proposal.id)).toEqual({ status: 'SUBMITTED', reviewDeadline: second.toISOString(), overdue: false });
    expect(await listed(reader.token, 'SUBMITTED')).toEqual(expect.arrayContaining([proposal.id, decided.id]));

    await sleep(first.getTime() - Date.now() + 200);
    expect(await timeline(proposer.token, proposal.id)).toEqual({ status: 'UNDER_REVIEW', reviewDeadline: second.toISOString(), overdue: false });
    expect((await proposalOf(reader.token, proposal.id)).status).toBe('UNDER_REVIEW');
    expect(await listed(reader.token, 'UNDER_REVIEW')).toEqual(expect.arrayContaining([proposal.id, decided.id]));
    expect(await listed(reader.token, 'SUBMITTED')).not.toContain(proposal.id);
    expect(await recordedStatus(proposal.dbId)).toBe('SUBMITTED'); // the job has not run: the read is exact anyway
    expectData(await server.gql(DecideProposalDocument, { input: { proposalId: decided.id, decision: 'DECLINE' as ProposalDecision, note: 'Not now' } }, { token: reader.token }));

    await sleep(second.getTime() - Date.now() + 200);
    expect(await timeline(proposer.token, proposal.id)).toEqual({ status: 'UNDER_REVIEW', reviewDeadline: second.toISOString(), overdue: true });
    expect(await timeline(proposer.token, decided.id)).toMatchObject({ status: 'DECLINED', overdue: false });
  });

  it('is recorded by the timeline job once: ProposalReviewStarted and ProposalOverdue, with audit entries by the system', async () => {
    const proposer = await server.factories.member();
    const reviewed = await propose(server, proposer.token);
    const overdue = await propose(server, proposer.token);
    const withdrawn = await propose(server, proposer.token);
    const fresh = await propose(server, proposer.token);
    for (const p of [reviewed, overdue, withdrawn]) await receivedAt(server, p.dbId, seconds(-120));
    await server.em().execute("update community_proposal set status = 'WITHDRAWN', withdrawn_at = now() where id = ?", [withdrawn.dbId]);
    await insertMeeting(server, seconds(-60));
    // `overdue` was received before a second, earlier pair of meetings too.
    await receivedAt(server, overdue.dbId, seconds(-300));
    await insertMeeting(server, seconds(-200));

    const run = await advance();
    expect(run.reviewStarted.sort()).toEqual([reviewed.dbId, overdue.dbId].sort());
    expect(run.overdue).toEqual([overdue.dbId]);
    expect(await recordedStatus(reviewed.dbId)).toBe('UNDER_REVIEW');
    expect(await recordedStatus(fresh.dbId)).toBe('SUBMITTED');
    expect(await recordedStatus(withdrawn.dbId)).toBe('WITHDRAWN');
    expect(await eventsOf('ProposalReviewStarted', reviewed.dbId)).toBe(1);
    expect(await eventsOf('ProposalOverdue', overdue.dbId)).toBe(1);
    expect(await eventsOf('ProposalOverdue', reviewed.dbId)).toBe(0);
    expect((await auditActions(server, overdue.dbId)).map((e) => [e.action, e.actor_id])).toEqual([
      ['proposal.submitted', proposer.member.id],
      ['proposal.reviewStarted', null],
      ['proposal.overdue', null],
    ]);
    expect((await auditActions(server, reviewed.dbId))[1]!.details).toMatchObject({ before: { status: 'SUBMITTED' }, after: { status: 'UNDER_REVIEW' } });

    // Again (a second instance, the next minute): nothing more.
    expect(await advance()).toEqual({ reviewStarted: [], overdue: [] });
    await Promise.all([advance(), advance()]);
    expect(await eventsOf('ProposalReviewStarted', reviewed.dbId)).toBe(1);
    expect(await eventsOf('ProposalOverdue', overdue.dbId)).toBe(1);
    expect(await countRows(server, "select count(*) as n from audit_entry where subject_id = ? and action = 'proposal.overdue'", overdue.dbId)).toBe(1);
    // Still overdue until decided; then no longer.
    expect((await timeline(proposer.token, overdue.id)).overdue).toBe(true);
    expectData(await server.gql(DecideProposalDocument, { input: { proposalId: overdue.id, decision: 'APPROVE' as ProposalDecision } }, { token: (await board()).token }));
    expect(await timeline(proposer.token, overdue.id)).toMatchObject({ status: 'APPROVED', overdue: false });
  });
});
