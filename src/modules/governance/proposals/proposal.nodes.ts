import { registerNode } from '../../../shared/nodes';
import { CommunityProposal } from './communityProposal.entity';
import { authorizeProposalRead } from './proposal.policy';
import { BoardMeeting } from '../boardMeetings/boardMeeting.entity';
import { authorizeBoardMeetingRead } from '../boardMeetings/boardMeeting.policy';

/** `node(id)` (and `nodes`, notification and audit subjects) for proposals and board meetings, through their read rules. */
registerNode('CommunityProposal', async (ctx, id) => {
  const proposal = await ctx.loaders.byId(CommunityProposal).load(id);
  if (proposal) await authorizeProposalRead(ctx.actor, proposal);
  return proposal;
});

registerNode('BoardMeeting', async (ctx, id) => {
  const meeting = await ctx.loaders.byId(BoardMeeting).load(id);
  if (meeting) await authorizeBoardMeetingRead(ctx.actor, meeting);
  return meeting;
});
