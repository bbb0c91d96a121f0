import { registerNode } from '../../../shared/nodes';
import { authorize } from '../../../shared/policy';
import { Membership } from '../../communities/membership.entity';
import { RoleTerm } from './roleTerm.entity';
import '../../communities/membership.policy';

/** A role term is read exactly when its membership is (the same rule as Membership.roleTerms). */
registerNode('RoleTerm', async (ctx, id) => {
  const term = await ctx.loaders.byId(RoleTerm).load(id);
  if (!term) return null;
  const membership = await ctx.loaders.byId(Membership).load(term.membership.id);
  if (!membership) return null;
  await authorize(ctx.actor, 'read', membership, 'This membership is not visible to you');
  return term;
});
