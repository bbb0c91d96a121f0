import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { badField, conflict } from '../../../../shared/errors';
import { toGlobalId } from '../../../../shared/ids';
import { authorize, requireMember } from '../../../../shared/policy';
import { Member } from '../../../members/member.entity';
import { ORGANISATION } from '../../../members/organisation.policy';
import { foundCommunity } from '../../../communities/commands/foundCommunity';
import { recordAudit } from '../../audit/recordAudit';
import { ProposalDecision, ProposalStatus, type CommunityProposal } from '../communityProposal.entity';
import { lockProposal } from './lockProposal';
import { UNDECIDED } from './withdrawProposal';

export interface DecideProposalProps {
  proposalId: string;
  decision: ProposalDecision;
  note?: string | null;
}

/**
 * The board or staff decide an undecided proposal (SUBMITTED or UNDER_REVIEW). APPROVE founds the community in the
 * same transaction (ACTIVE, standard support, its additional standards and visibility, the proposer its LEAD): a
 * slug taken since is CONFLICT and nothing at all is written. DECLINE needs a note, for the proposer.
 */
export async function decideProposal(scope: CommandScope, props: DecideProposalProps): Promise<CommunityProposal> {
  const actor = requireMember(scope.actor);
  await authorize(scope.actor, 'decideProposal', ORGANISATION, 'Only board members and staff decide community proposals');
  const note = props.note?.trim() || null;
  if (props.decision === ProposalDecision.DECLINE && !note) throw badField('note', 'is required when declining: tell the proposer why');
  return scope.em.transactional(async (em) => {
    const { proposal, status } = await lockProposal(em, props.proposalId);
    if (!UNDECIDED.includes(status)) throw conflict(`This proposal is already ${status.toLowerCase()}`);
    const approved = props.decision === ProposalDecision.APPROVE;
    const community = approved
      ? await foundCommunity(em, scope.services.config, actor.id, {
          name: proposal.name,
          slug: proposal.slug,
          description: proposal.description,
          topics: proposal.topics,
          visibility: proposal.visibility,
          membershipRationale: proposal.membershipRationale,
          additionalStandards: proposal.additionalStandards,
          standardsRationale: proposal.standardsRationale,
          continuationCriteria: proposal.continuationCriteria,
          leadId: proposal.proposer.id,
          origin: { proposal: proposal.nodeId },
        })
      : null;
    proposal.recordedStatus = approved ? ProposalStatus.APPROVED : ProposalStatus.DECLINED;
    proposal.decision = props.decision;
    proposal.decisionNote = note;
    proposal.decidedAt = new Date();
    proposal.decidedBy = em.getReference(Member, actor.id);
    proposal.community = community;
    await recordEvent(em, actor.id, {
      type: 'ProposalDecided',
      proposalId: proposal.id,
      decision: props.decision,
      createdCommunityId: community?.id ?? null,
    });
    recordAudit(em, actor.id, {
      action: 'proposal.decided',
      subject: { type: 'CommunityProposal', id: proposal.id },
      // An approval belongs to the new community's history too (its `community.created` entry names the proposal).
      communityId: community?.id ?? null,
      details: {
        decision: props.decision,
        note,
        before: { status },
        after: { status: proposal.recordedStatus },
        community: community ? toGlobalId('Community', community.id) : null,
      },
    });
    return proposal;
  });
}
