import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { notFound } from '../../../shared/errors';
import { authorize, requireMember } from '../../../shared/policy';
import { Resource } from '../resource.entity';
import { lockResource } from './lockResource';

export interface RemoveResourceProps {
  resourceId: string;
}

/**
 * Soft delete by the sharer, a community LEAD or staff: the resource leaves listings, search and node(id); its
 * endorsements stay (a removal could be undone by staff later). Removing twice changes nothing.
 */
export async function removeResource(scope: CommandScope, { resourceId }: RemoveResourceProps): Promise<Resource> {
  const actor = requireMember(scope.actor);
  const found = await scope.loaders.byId(Resource).load(resourceId);
  if (!found) throw notFound('Resource');
  await authorize(scope.actor, 'read', found, 'This community is for members only');
  await authorize(scope.actor, 'remove', found, 'Only the member who shared it, a community lead or staff can remove this resource');
  return scope.em.transactional(async (em) => {
    const resource = await lockResource(em, resourceId);
    if (resource.removed) return resource;
    resource.removedAt = new Date();
    resource.removedBy = actor;
    await recordEvent(em, actor.id, { type: 'ResourceRemoved', communityId: found.community.id, resourceId });
    return resource;
  });
}
