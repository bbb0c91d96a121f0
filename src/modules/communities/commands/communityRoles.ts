import { recordEvent } from '../../../events/record';
import type { Context } from '../../../context';
import { conflict } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { requireMember } from '../../../shared/policy';
import type { CommunityRoleInput } from '../community.inputs';
import { Membership, MembershipStatus } from '../membership.entity';
import { authorizeOnMembershipCommunity, lockMembership } from './loadMembership';

/**
 * A LEAD or staff grants or revokes a volunteer role; only ACTIVE members hold roles. Both are idempotent.
 * There is no formal appointment process: the group decides the term and revokes the role when it ends.
 */
async function changeRole(ctx: Context, input: CommunityRoleInput, grant: boolean): Promise<Membership> {
  const actor = requireMember(ctx.actor);
  const id = parseId(input.membershipId, 'Membership', 'membershipId');
  await authorizeOnMembershipCommunity(ctx, id, 'manage', 'Only a community lead or staff can change roles');
  return ctx.em.transactional(async (em) => {
    const membership = await lockMembership(em, { id });
    const has = membership.roles.includes(input.role);
    if (grant && !has) {
      if (membership.status !== MembershipStatus.ACTIVE) throw conflict('Roles can only be granted to ACTIVE members');
      membership.roles = [...membership.roles, input.role];
    } else if (!grant && has) {
      membership.roles = membership.roles.filter((role) => role !== input.role);
    } else {
      return membership;
    }
    const ref = { communityId: membership.community.id, membershipId: membership.id, memberId: membership.member.id, role: input.role };
    await recordEvent(em, actor.id, grant ? { type: 'RoleGranted', ...ref } : { type: 'RoleRevoked', ...ref });
    return membership;
  });
}

export const grantCommunityRole = (ctx: Context, input: CommunityRoleInput) => changeRole(ctx, input, true);
export const revokeCommunityRole = (ctx: Context, input: CommunityRoleInput) => changeRole(ctx, input, false);
