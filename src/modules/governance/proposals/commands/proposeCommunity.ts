import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { requireMember } from '../../../../shared/policy';
import { Member } from '../../../members/member.entity';
import { recordAudit } from '../../audit/recordAudit';
import { CommunityProposal } from '../communityProposal.entity';
import { applyFields, checkRationales, checkSlugFree, normaliseFields, type ProposalFields } from './proposalFields';

/**
 * Any signed-in member proposes a community; the board reviews it from the start of its next meeting. The
 * rationales are required for what needs them; a slug an existing community has is CONFLICT.
 */
export async function proposeCommunity(scope: CommandScope, props: ProposalFields): Promise<CommunityProposal> {
  const proposer = requireMember(scope.actor);
  const fields = normaliseFields(props);
  checkRationales(fields);
  return scope.em.transactional(async (em) => {
    await checkSlugFree(em, fields.slug);
    const proposal = new CommunityProposal();
    proposal.proposer = em.getReference(Member, proposer.id);
    applyFields(proposal, fields);
    proposal.receivedAt = new Date();
    em.persist(proposal);
    await recordEvent(em, proposer.id, { type: 'ProposalSubmitted', proposalId: proposal.id, proposerId: proposer.id });
    recordAudit(em, proposer.id, {
      action: 'proposal.submitted',
      subject: { type: 'CommunityProposal', id: proposal.id },
      details: { after: fields },
    });
    return proposal;
  });
}
