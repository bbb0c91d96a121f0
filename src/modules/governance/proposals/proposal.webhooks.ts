import { can } from '../../../shared/policy';
import { NOT_READABLE, ref, registerWebhookDescriber, Skipped, type Describe } from '../../webhooks/delivery/payload';
import { CommunityProposal } from './communityProposal.entity';
import { timelineLoader } from './proposalTimeline';
import './proposal.policy';

/**
 * The body of PROPOSAL_SUBMITTED and PROPOSAL_DECIDED deliveries. The events have no community, so only webhooks
 * for every community (staff's) are matched (see webhooks/delivery/fanOut.ts); the owner must still be able to read
 * the proposal now (NOT_READABLE otherwise, e.g. a staff member since demoted).
 */
const describeProposal: Describe = async (ctx, payload) => {
  const proposal = await ctx.loaders.byId(CommunityProposal).load(payload.proposalId as string);
  if (!proposal) return new Skipped('The proposal is gone');
  if (!(await can(ctx.actor, 'read', proposal))) return NOT_READABLE;
  const timeline = await timelineLoader(ctx.loaders).load(proposal.id);
  return {
    proposal: {
      id: proposal.nodeId,
      name: proposal.name,
      slug: proposal.slug,
      status: timeline?.status ?? proposal.recordedStatus,
      visibility: proposal.visibility,
      proposer: ref('Member', proposal.proposer.id),
      receivedAt: proposal.receivedAt.toISOString(),
      reviewDeadline: timeline?.reviewDeadline?.toISOString() ?? null,
      decision: proposal.decision,
      decisionNote: proposal.decisionNote,
      decidedAt: proposal.decidedAt?.toISOString() ?? null,
      community: proposal.community ? ref('Community', proposal.community.id) : null,
    },
  };
};

registerWebhookDescriber('ProposalSubmitted', describeProposal);
registerWebhookDescriber('ProposalDecided', describeProposal);
