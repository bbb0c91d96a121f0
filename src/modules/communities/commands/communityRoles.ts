import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { conflict } from '../../../shared/errors';
import { requireMember } from '../../../shared/policy';
import { type CommunityRole, Membership, MembershipStatus } from '../membership.entity';
import { authorizeOnMembershipCommunity, lockMembership } from './loadMembership';

/**
 * A LEAD or staff grants or revokes a volunteer role; only ACTIVE members hold roles. Both are idempotent.
 * There is no formal appointment process: the group decides the term and revokes the role when it ends.
 */
async function changeRole(scope: CommandScope, props: CommunityRoleProps, grant: boolean): Promise<Membership> {
  const actor = requireMember(scope.actor);
  const id = props.membershipId;
  await authorizeOnMembershipCommunity(scope, id, 'manage', 'Only a community lead or staff can change roles');
  return scope.em.transactional(async (em) => {
    const membership = await lockMembership(em, { id });
    const has = membership.roles.includes(props.role);
    if (grant && !has) {
      if (membership.status !== MembershipStatus.ACTIVE) throw conflict('Roles can only be granted to ACTIVE members');
      membership.roles = [...membership.roles, props.role];
    } else if (!grant && has) {
      membership.roles = membership.roles.filter((role) => role !== props.role);
    } else {
      return membership;
    }
    const ref = { communityId: membership.community.id, membershipId: membership.id, memberId: membership.member.id, role: props.role };
    await recordEvent(em, actor.id, grant ? { type: 'RoleGranted', ...ref } : { type: 'RoleRevoked', ...ref });
    return membership;
  });
}

export interface CommunityRoleProps {
  membershipId: string;
  role: CommunityRole;
}

export const grantCommunityRole = (scope: CommandScope, props: CommunityRoleProps) => changeRole(scope, props, true);
export const revokeCommunityRole = (scope: CommandScope, props: CommunityRoleProps) => changeRole(scope, props, false);
