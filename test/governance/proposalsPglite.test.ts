import { useEmbeddedApp } from '../support/embedded';
import { AuditLogDocument, BoardMeetingsDocument, DecideProposalDocument, LogInDocument, ProposalsDocument, ProposeCommunityDocument, ProposedCommunityBySlugDocument, ScheduleBoardMeetingDocument } from '../generated/graphql';
import { STAFF_EMAIL } from '../../src/db/seed/demo';
import { proposalInput } from './proposalSupport';

/** The zero-setup default (embedded PGlite, seeded): the demo proposals, and a proposal proposed, scheduled and approved. */
describe('proposals on the embedded PGlite database', () => {
  const embedded = useEmbeddedApp('practicehub-proposals-pglite-', { PROPOSAL_TIMELINE_CRON: '0 0 1 1 *' });
  async function gql(document: Parameters<typeof embedded.gql>[0], variables: unknown, token?: string) {
    const json = await embedded.gql(document, variables, token);
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data;
  }

  it('has the demo proposals in every state, and approves a new one into a community led by its proposer', async () => {
    const demo = (await gql(LogInDocument, { input: embedded.demo })).logIn.token as string;
    const staff = (await gql(LogInDocument, { input: { email: STAFF_EMAIL, password: embedded.demo!.password } })).logIn.token as string;

    const seeded = (await gql(ProposalsDocument, {}, staff)).proposals.edges.map((e: { node: { slug: string; status: string } }) => [e.node.slug, e.node.status]);
    expect(seeded.sort()).toEqual([
      ['ai-in-school-libraries', 'SUBMITTED'],
      ['early-years-storytime', 'APPROVED'],
      ['graphic-novels', 'WITHDRAWN'],
      ['library-advocacy', 'UNDER_REVIEW'],
      ['library-chess-clubs', 'DECLINED'],
    ]);
    expect((await gql(BoardMeetingsDocument, {}, demo)).boardMeetings.totalCount).toBe(2);
    const storytime = (await gql(ProposedCommunityBySlugDocument, { slug: 'early-years-storytime' })).community;
    expect(storytime).toMatchObject({ status: 'ACTIVE' });

    const log = (await gql(AuditLogDocument, { first: 100 }, staff)).auditLog.edges.map((e: { node: { action: string; subject: { __typename: string } | null } }) => e.node);
    expect(log.filter((entry: { action: string }) => entry.action === 'proposal.decided')).toHaveLength(2);
    expect(log.find((entry: { action: string }) => entry.action === 'proposal.withdrawn')?.subject).toMatchObject({ __typename: 'CommunityProposal' });

    const input = proposalInput({ slug: 'embedded-makerspaces', additionalStandards: ['Credit student makers'], standardsRationale: 'Students own their work' });
    const proposal = (await gql(ProposeCommunityDocument, { input }, demo)).proposeCommunity;
    expect(proposal).toMatchObject({ status: 'SUBMITTED', reviewDeadline: null });
    await gql(ScheduleBoardMeetingDocument, { input: { startsAt: new Date(Date.now() + 30 * 24 * 3600_000).toISOString() } }, staff);
    const decided = (await gql(DecideProposalDocument, { input: { proposalId: proposal.id, decision: 'APPROVE' } }, staff)).decideProposal;
    expect(decided).toMatchObject({ status: 'APPROVED', community: { slug: 'embedded-makerspaces', status: 'ACTIVE' } });
    // The seed's upcoming meeting and the new one follow receipt: the deadline is the later.
    expect(decided.reviewDeadline).not.toBeNull();
    const own = (await gql(ProposalsDocument, {}, demo)).proposals.edges.map((e: { node: { slug: string } }) => e.node.slug);
    expect(own.sort()).toEqual(['embedded-makerspaces', 'library-advocacy']);
  }, 60_000);
});
