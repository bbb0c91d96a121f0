import { LockMode } from '@mikro-orm/core';
import type { Em } from '../../../../db/orm';
import type { CommandScope } from '../../../../context';
import { notFound } from '../../../../shared/errors';
import { CommunityProposal, type ProposalStatus } from '../communityProposal.entity';
import { readTimelines } from '../proposalTimeline';

/** The proposal with this database ID, read through the request's loaders (NOT_FOUND), for checks before a transaction. */
export async function loadProposal(scope: CommandScope, proposalId: string): Promise<CommunityProposal> {
  const proposal = await scope.loaders.byId(CommunityProposal).load(proposalId);
  if (!proposal) throw notFound('Proposal');
  return proposal;
}

/**
 * Re-reads a proposal inside the writing transaction, locked (concurrent edits, withdrawals and decisions queue up),
 * with its status as of now: derived by the same SQL as the `status` field, so an edit is refused the moment its
 * first board meeting starts, whether or not the timeline job has run.
 */
export async function lockProposal(em: Em, proposalId: string): Promise<{ proposal: CommunityProposal; status: ProposalStatus }> {
  const proposal = await em.findOne(CommunityProposal, { id: proposalId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!proposal) throw notFound('Proposal');
  const timeline = (await readTimelines(em, [proposalId])).get(proposalId)!;
  return { proposal, status: timeline.status };
}
