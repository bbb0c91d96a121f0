import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { conflict } from '../../../../shared/errors';
import { requireMember } from '../../../../shared/policy';
import { recordAudit } from '../../audit/recordAudit';
import { ProposalStatus, type CommunityProposal } from '../communityProposal.entity';
import { authorizeProposer } from '../proposal.policy';
import { loadProposal, lockProposal } from './lockProposal';

export const UNDECIDED: readonly ProposalStatus[] = [ProposalStatus.SUBMITTED, ProposalStatus.UNDER_REVIEW];

/** The proposer withdraws their proposal any time before the board decides it; after that it is CONFLICT. */
export async function withdrawProposal(scope: CommandScope, props: { proposalId: string }): Promise<CommunityProposal> {
  const member = requireMember(scope.actor);
  await authorizeProposer(scope.actor, 'withdraw', await loadProposal(scope, props.proposalId));
  return scope.em.transactional(async (em) => {
    const { proposal, status } = await lockProposal(em, props.proposalId);
    if (!UNDECIDED.includes(status)) throw conflict(`This proposal is already ${status.toLowerCase()}: only an undecided proposal can be withdrawn`);
    proposal.recordedStatus = ProposalStatus.WITHDRAWN;
    proposal.withdrawnAt = new Date();
    await recordEvent(em, member.id, { type: 'ProposalWithdrawn', proposalId: proposal.id });
    recordAudit(em, member.id, {
      action: 'proposal.withdrawn',
      subject: { type: 'CommunityProposal', id: proposal.id },
      details: { before: { status }, after: { status: ProposalStatus.WITHDRAWN } },
    });
    return proposal;
  });
}
