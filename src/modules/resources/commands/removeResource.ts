import { recordEvent } from '../../../events/record';
import type { Context } from '../../../context';
import { notFound } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { authorize, requireMember } from '../../../shared/policy';
import { Resource } from '../resource.entity';
import { lockResource } from './lockResource';

/**
 * Soft delete by the sharer, a community LEAD or staff: the resource leaves listings, search and node(id); its
 * endorsements stay (a removal could be undone by staff later). Removing twice changes nothing.
 */
export async function removeResource(ctx: Context, globalId: string): Promise<Resource> {
  const actor = requireMember(ctx.actor);
  const resourceId = parseId(globalId, 'Resource', 'resourceId');
  const found = await ctx.loaders.byId(Resource).load(resourceId);
  if (!found) throw notFound('Resource');
  await authorize(ctx.actor, 'read', found, 'This community is for members only');
  await authorize(ctx.actor, 'remove', found, 'Only the member who shared it, a community lead or staff can remove this resource');
  return ctx.em.transactional(async (em) => {
    const resource = await lockResource(em, resourceId);
    if (resource.removed) return resource;
    resource.removedAt = new Date();
    resource.removedBy = actor;
    await recordEvent(em, actor.id, { type: 'ResourceRemoved', communityId: found.community.id, resourceId });
    return resource;
  });
}
