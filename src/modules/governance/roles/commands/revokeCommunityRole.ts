import { recordEvent } from '../../../../events/record';
import type { CommandScope } from '../../../../context';
import { toGlobalId } from '../../../../shared/ids';
import { requireMember } from '../../../../shared/policy';
import { type CommunityRole, Membership } from '../../../communities/membership.entity';
import { authorizeOnMembershipCommunity, lockMembership } from '../../../communities/commands/loadMembership';
import { recordAudit } from '../../audit/recordAudit';
import { endOpenTerm } from '../roleTerms';
import { RoleTermEndReason } from '../roleTerm.entity';

export interface RevokeCommunityRoleProps {
  membershipId: string;
  role: CommunityRole;
}

/**
 * A LEAD or staff takes a role back (idempotent): the open term ends REVOKED. A deliberate revocation does not make
 * the role vacant (the LEAD who revoked it decides whether to open it: setOpenRoles); lapses and leaving do.
 */
export async function revokeCommunityRole(scope: CommandScope, props: RevokeCommunityRoleProps): Promise<Membership> {
  const actor = requireMember(scope.actor);
  const { membershipId: id, role } = props;
  await authorizeOnMembershipCommunity(scope, id, 'manageRoles', 'Only a community lead or staff can change roles');
  return scope.em.transactional(async (em) => {
    const membership = await lockMembership(em, { id });
    if (!membership.roles.includes(role)) return membership;
    membership.roles = membership.roles.filter((held) => held !== role);
    const term = await endOpenTerm(em, id, role, RoleTermEndReason.REVOKED);
    const communityId = membership.community.id;
    await recordEvent(em, actor.id, { type: 'RoleRevoked', communityId, membershipId: id, memberId: membership.member.id, role });
    recordAudit(em, actor.id, {
      action: 'roles.revoked',
      subject: { type: 'Membership', id },
      communityId,
      details: { role, membershipId: toGlobalId('Membership', id), startedAt: term?.startedAt.toISOString() ?? null },
    });
    return membership;
  });
}
