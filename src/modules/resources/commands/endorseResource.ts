import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { notFound } from '../../../shared/errors';
import { authorize, requireMember } from '../../../shared/policy';
import { Resource } from '../resource.entity';
import { lockResource, RESOURCE_COLUMNS } from './lockResource';

export interface EndorseResourceProps {
  resourceId: string;
}

/**
 * Toggles the viewer's endorsement (ACTIVE members). The resource row is locked first, so toggles on one resource
 * run one after another: each sees the previous one's endorsement, the unique (resource, member) key holds, and the
 * stored count is recounted from the rows in the same transaction, so it is never negative or off by one.
 * Policies run before the transaction (they read on other pooled connections).
 */
export async function endorseResource(scope: CommandScope, { resourceId }: EndorseResourceProps): Promise<Resource> {
  const member = requireMember(scope.actor);
  const found = await scope.loaders.byId(Resource).load(resourceId);
  if (!found || found.removed) throw notFound('Resource');
  await authorize(scope.actor, 'read', found, 'This community is for members only');
  await authorize(scope.actor, 'endorse', found, 'Only ACTIVE members can endorse resources here');
  return scope.em.transactional(async (em) => {
    const locked = await lockResource(em, resourceId);
    if (locked.removed) throw notFound('Resource');
    const removed = await em.execute<{ id: string }[]>(
      'delete from resource_endorsement where resource_id = ? and member_id = ? returning id',
      [resourceId, member.id],
    );
    if (removed.length === 0) {
      await em.execute('insert into resource_endorsement (id, resource_id, member_id) values (gen_random_uuid(), ?, ?)', [resourceId, member.id]);
    }
    const [recounted] = await em.execute<Record<string, unknown>[]>(
      `update resource set endorsement_count = (select count(*) from resource_endorsement where resource_id = ?) where id = ? returning ${RESOURCE_COLUMNS}`,
      [resourceId, resourceId],
    );
    await recordEvent(em, member.id, { type: 'ResourceEndorsed', communityId: found.community.id, resourceId, endorsed: removed.length === 0 });
    // Mapping the returned row refreshes the entity without marking it dirty (no second UPDATE at commit).
    return em.map(Resource, recounted!);
  });
}
