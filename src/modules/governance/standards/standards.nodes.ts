import { registerNode } from '../../../shared/nodes';
import { authorize } from '../../../shared/policy';
import { CodeOfConduct } from './codeOfConduct.entity';
import { CommunityStandard } from './communityStandard.entity';
import './standards.policy';

/** `node(id)` for the code's versions and communities' additions, through their (public) read rules. */
registerNode('CodeOfConduct', async (ctx, id) => {
  const code = await ctx.loaders.byId(CodeOfConduct).load(id);
  if (code) await authorize(ctx.actor, 'read', code);
  return code;
});

registerNode('CommunityStandard', async (ctx, id) => {
  const standard = await ctx.loaders.byId(CommunityStandard).load(id);
  if (standard) await authorize(ctx.actor, 'read', standard);
  return standard;
});
