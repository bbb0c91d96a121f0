import { registerNode } from '../../../shared/nodes';
import { authorize } from '../../../shared/policy';
import { TimePoll } from './timePoll.entity';
import { TimePollOption } from './timePollOption.entity';
import { READ_REFUSAL } from './timePoll.policy';

/** `node(id)` for time polls and their options: read like the community's other content. */
registerNode('TimePoll', async (ctx, id) => {
  const poll = await ctx.loaders.byId(TimePoll).load(id);
  if (poll) await authorize(ctx.actor, 'read', poll, READ_REFUSAL);
  return poll;
});

registerNode('TimePollOption', async (ctx, id) => {
  const option = await ctx.loaders.byId(TimePollOption).load(id);
  if (!option) return null;
  const poll = await ctx.loaders.byId(TimePoll).load(option.poll.id);
  if (!poll) return null;
  await authorize(ctx.actor, 'read', poll, READ_REFUSAL);
  return option;
});
