import { allow, authorize, requireMember, type Actor } from '../../../shared/policy';
import { hasOrgAbility } from '../../members/organisation.policy';
import type { Member } from '../../members/member.entity';
import { CommunityProposal } from './communityProposal.entity';

/**
 * A proposal is its proposer's, the board's and staff's business (`readProposals`): what a member plans, and what
 * the board thinks of it, is nobody else's. Every path reads through this rule: node(id), nodes, the proposals list
 * (as SQL: listProposals), notification subjects, audit subjects and webhook bodies.
 */
export const readsAllProposals = (member: Pick<Member, 'orgRole'> | null | undefined) => hasOrgAbility(member, 'readProposals');

allow(CommunityProposal, 'read', (actor, proposal) => actor.member?.id === proposal.proposer.id || readsAllProposals(actor.member));

/** Editing and withdrawing are the proposer's alone (the board decides; it does not rewrite). */
allow(CommunityProposal, ['update', 'withdraw'], (actor, proposal) => actor.member?.id === proposal.proposer.id);

export const PROPOSAL_PRIVATE = 'A community proposal is for its proposer, the board and staff only';
export const PROPOSER_ONLY = 'Only the proposer can change or withdraw a proposal';

/** Reads a proposal as every path must: FORBIDDEN unless the actor is its proposer, on the board or staff. */
export async function authorizeProposalRead(actor: Actor, proposal: CommunityProposal): Promise<void> {
  await authorize(actor, 'read', proposal, PROPOSAL_PRIVATE);
}

export async function authorizeProposer(actor: Actor, action: 'update' | 'withdraw', proposal: CommunityProposal): Promise<void> {
  requireMember(actor);
  await authorize(actor, action, proposal, PROPOSER_ONLY);
}
