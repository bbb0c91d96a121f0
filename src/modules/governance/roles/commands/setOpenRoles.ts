import { LockMode } from '@mikro-orm/core';
import { recordEvent } from '../../../../events/record';
import type { CommandScope } from '../../../../context';
import { forbidden, notFound } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { Community, CommunityStatus } from '../../../communities/community.entity';
import { CommunityRole } from '../../../communities/membership.entity';
import { recordAudit } from '../../audit/recordAudit';

export interface SetOpenRolesProps {
  communityId: string;
  roles: CommunityRole[];
}

/** Roles in their declared order, each once: the stored list does not depend on how the client ordered it. */
const normalise = (roles: CommunityRole[]) => Object.values(CommunityRole).filter((role) => roles.includes(role));

/**
 * The community's LEAD (or staff) says which roles it wants filled, so members can volunteer. Setting the same
 * list again changes nothing (no event, no audit entry).
 */
export async function setOpenRoles(scope: CommandScope, props: SetOpenRolesProps): Promise<Community> {
  const actor = requireMember(scope.actor);
  const found = await scope.loaders.byId(Community).load(props.communityId);
  if (!found) throw notFound('Community');
  await authorize(scope.actor, 'manageRoles', found, 'Only a community lead or staff can set its open roles');
  const roles = normalise(props.roles);
  return scope.em.transactional(async (em) => {
    const community = await em.findOneOrFail(Community, props.communityId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    // Re-read under the lock: a retirement that committed meanwhile refuses it like every other write.
    if (community.status !== CommunityStatus.ACTIVE) throw forbidden(`This community is ${community.status.toLowerCase()} and read-only`);
    const before = [...community.openRoles];
    if (JSON.stringify(before) === JSON.stringify(roles)) return community;
    community.openRoles = roles;
    await recordEvent(em, actor.id, { type: 'OpenRolesChanged', communityId: community.id, roles });
    recordAudit(em, actor.id, {
      action: 'roles.openRolesSet',
      subject: { type: 'Community', id: community.id },
      communityId: community.id,
      details: { before: { openRoles: before }, after: { openRoles: roles } },
    });
    return community;
  });
}
