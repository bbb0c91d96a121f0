import { registerEventKinds } from '../../../events/registry';

/**
 * Proposals are private to their proposer, the board and staff, so no event here has a `communityId` (the outbox's
 * community column stays null): none is on a community's live topic, and only webhooks for every community (staff)
 * are matched, whose describers still check the owner may read the proposal (proposal.webhooks.ts).
 */
type ProposalRef = { proposalId: string };

declare module '../../../events/registry' {
  interface DomainEvents {
    ProposalSubmitted: ProposalRef & { proposerId: string };
    /** `changed`: the input fields the edit changed. */
    ProposalUpdated: ProposalRef & { changed: string[] };
    ProposalWithdrawn: ProposalRef;
    /** The first board meeting after receipt started (recorded by the timeline job). */
    ProposalReviewStarted: ProposalRef;
    /** `createdCommunityId`: the community an approval created (not `communityId`: the event stays off its topic). */
    ProposalDecided: ProposalRef & { decision: string; createdCommunityId: string | null };
    /** Its review deadline passed with no decision (recorded once, by the timeline job). */
    ProposalOverdue: ProposalRef & { reviewDeadline: string };
    BoardMeetingScheduled: { boardMeetingId: string; startsAt: string };
  }
}

registerEventKinds({
  ProposalSubmitted: { webhook: 'PROPOSAL_SUBMITTED' },
  ProposalUpdated: {},
  ProposalWithdrawn: {},
  ProposalReviewStarted: {},
  ProposalDecided: { webhook: 'PROPOSAL_DECIDED' },
  ProposalOverdue: {},
  BoardMeetingScheduled: {},
});
