import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { forbidden } from '../../../../shared/errors';
import { requireMember } from '../../../../shared/policy';
import { changes, recordAudit } from '../../audit/recordAudit';
import { ProposalStatus, type CommunityProposal } from '../communityProposal.entity';
import { authorizeProposer } from '../proposal.policy';
import { loadProposal, lockProposal } from './lockProposal';
import { applyFields, checkRationales, checkSlugFree, fieldsOf, normaliseFields, PROPOSAL_FIELDS, type ProposalFields } from './proposalFields';

/** Omitted (null or undefined) fields stay as they are. */
export type UpdateProposalProps = { proposalId: string } & { [K in keyof ProposalFields]?: ProposalFields[K] | null };

export const UNDER_REVIEW_REFUSAL =
  'The board has started reviewing this proposal (its first board meeting since it was received has begun), so it can no longer be edited';

/**
 * The proposer edits their proposal while it is SUBMITTED: once the first board meeting after its receipt has
 * started, the board is looking at it and it stays as it was (FORBIDDEN). Nothing changed: nothing recorded.
 */
export async function updateProposal(scope: CommandScope, props: UpdateProposalProps): Promise<CommunityProposal> {
  const member = requireMember(scope.actor);
  await authorizeProposer(scope.actor, 'update', await loadProposal(scope, props.proposalId));
  return scope.em.transactional(async (em) => {
    const { proposal, status } = await lockProposal(em, props.proposalId);
    if (status === ProposalStatus.UNDER_REVIEW) throw forbidden(UNDER_REVIEW_REFUSAL);
    if (status !== ProposalStatus.SUBMITTED) throw forbidden(`This proposal is ${status.toLowerCase()}: only a submitted proposal can be edited`);
    const before = fieldsOf(proposal);
    const given = Object.fromEntries(PROPOSAL_FIELDS.filter((key) => props[key] != null).map((key) => [key, props[key]]));
    const after = normaliseFields({ ...before, ...given } as ProposalFields);
    checkRationales(after);
    const diff = changes(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>);
    const changed = Object.keys(diff.after);
    if (!changed.length) return proposal;
    if (after.slug !== before.slug) await checkSlugFree(em, after.slug);
    applyFields(proposal, after);
    proposal.updatedAt = new Date();
    await recordEvent(em, member.id, { type: 'ProposalUpdated', proposalId: proposal.id, changed });
    recordAudit(em, member.id, { action: 'proposal.updated', subject: { type: 'CommunityProposal', id: proposal.id }, details: diff });
    return proposal;
  });
}
