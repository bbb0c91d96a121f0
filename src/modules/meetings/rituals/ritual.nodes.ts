import { registerNode } from '../../../shared/nodes';
import { authorize } from '../../../shared/policy';
import { Ritual, RitualOccurrence } from './ritual.entity';
import { READ_REFUSAL } from './ritual.policy';

/** `node(id)` for rituals and their occurrences: read like the community's other content. */
registerNode('Ritual', async (ctx, id) => {
  const ritual = await ctx.loaders.byId(Ritual).load(id);
  if (ritual) await authorize(ctx.actor, 'read', ritual, READ_REFUSAL);
  return ritual;
});

registerNode('RitualOccurrence', async (ctx, id) => {
  const occurrence = await ctx.loaders.byId(RitualOccurrence).load(id);
  if (!occurrence) return null;
  const ritual = await ctx.loaders.byId(Ritual).load(occurrence.ritual.id);
  if (!ritual) return null;
  await authorize(ctx.actor, 'read', ritual, READ_REFUSAL);
  return occurrence;
});
