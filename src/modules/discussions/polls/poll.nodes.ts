import { registerNode } from '../../../shared/nodes';
import { authorize } from '../../../shared/policy';
import { Poll } from './poll.entity';
import { PollOption } from './pollOption.entity';
import { READ_REFUSAL } from './poll.policy';

/** `node(id)` for polls and their options: readable by whoever reads the thread (RESTRICTED: FORBIDDEN to others). */
registerNode('Poll', async (ctx, id) => {
  const poll = await ctx.loaders.byId(Poll).load(id);
  if (poll) await authorize(ctx.actor, 'read', poll, READ_REFUSAL);
  return poll;
});

registerNode('PollOption', async (ctx, id) => {
  const option = await ctx.loaders.byId(PollOption).load(id);
  if (!option) return null;
  const poll = await ctx.loaders.byId(Poll).load(option.poll.id);
  if (poll) await authorize(ctx.actor, 'read', poll, READ_REFUSAL);
  return poll ? option : null;
});
