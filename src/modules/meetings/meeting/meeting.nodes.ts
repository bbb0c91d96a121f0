import { registerNode } from '../../../shared/nodes';
import { authorize } from '../../../shared/policy';
import { Meeting } from './meeting.entity';
import { READ_REFUSAL } from './meeting.policy';

/** `node(id)` for meetings: read like the community's other content. */
registerNode('Meeting', async (ctx, id) => {
  const meeting = await ctx.loaders.byId(Meeting).load(id);
  if (meeting) await authorize(ctx.actor, 'read', meeting, READ_REFUSAL);
  return meeting;
});
