import { registerNode } from '../../../shared/nodes';
import { SupportRequest } from './supportRequest.entity';
import { authorizeReadRequest } from './support.policy';

/** `node(id)` for support requests: the community's LEADs, staff, the board, and the member who asked. */
registerNode('SupportRequest', async (ctx, id) => {
  const request = await ctx.loaders.byId(SupportRequest).load(id);
  if (request) await authorizeReadRequest(ctx.actor, request);
  return request;
});
