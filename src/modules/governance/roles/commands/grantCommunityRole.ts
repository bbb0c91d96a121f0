import { recordEvent } from '../../../../events/record';
import type { CommandScope } from '../../../../context';
import { badField, conflict } from '../../../../shared/errors';
import { toGlobalId } from '../../../../shared/ids';
import { requireMember } from '../../../../shared/policy';
import { type CommunityRole, Membership, MembershipStatus } from '../../../communities/membership.entity';
import { authorizeOnMembershipCommunity, lockMembership } from '../../../communities/commands/loadMembership';
import { recordAudit } from '../../audit/recordAudit';
import { fillOpenRole, findOpenTerm, openRoleTerm, setTermEnd } from '../roleTerms';

export interface GrantCommunityRoleProps {
  membershipId: string;
  role: CommunityRole;
  /** When the term ends (the role then lapses); omitted: no end, or the open term's end unchanged. */
  termEndsAt?: Date | null;
}

/**
 * A LEAD or staff gives an ACTIVE member a volunteer role for a term the group decides (or none). Granting a role
 * already held is idempotent, except that a new `termEndsAt` moves the open term's end (renewal; the ending warning
 * is then due again). A granted role leaves the community's open roles.
 */
export async function grantCommunityRole(scope: CommandScope, props: GrantCommunityRoleProps): Promise<Membership> {
  const actor = requireMember(scope.actor);
  const { membershipId: id, role } = props;
  const termEndsAt = props.termEndsAt ?? null;
  if (termEndsAt && termEndsAt.getTime() <= Date.now()) throw badField('termEndsAt', 'must be in the future');
  await authorizeOnMembershipCommunity(scope, id, 'manageRoles', 'Only a community lead or staff can change roles');
  return scope.em.transactional(async (em) => {
    const membership = await lockMembership(em, { id });
    const communityId = membership.community.id;
    const audit = { subject: { type: 'Membership', id }, communityId };
    const membershipRef = toGlobalId('Membership', id);
    if (membership.roles.includes(role)) {
      if (!termEndsAt) return membership;
      const term = (await findOpenTerm(em, id, role)) ?? openRoleTerm(em, membership, role, { grantedById: actor.id });
      const before = term.termEndsAt?.toISOString() ?? null;
      if (before === termEndsAt.toISOString()) return membership;
      setTermEnd(term, termEndsAt);
      recordAudit(em, actor.id, { action: 'roles.termChanged', ...audit, details: { role, membershipId: membershipRef, before: { termEndsAt: before }, after: { termEndsAt: termEndsAt.toISOString() } } });
      return membership;
    }
    if (membership.status !== MembershipStatus.ACTIVE) throw conflict('Roles can only be granted to ACTIVE members');
    membership.roles = [...membership.roles, role];
    openRoleTerm(em, membership, role, { grantedById: actor.id, termEndsAt });
    await recordEvent(em, actor.id, { type: 'RoleGranted', communityId, membershipId: id, memberId: membership.member.id, role });
    const filled = await fillOpenRole(em, actor.id, communityId, role);
    recordAudit(em, actor.id, {
      action: 'roles.granted',
      ...audit,
      details: { role, membershipId: membershipRef, termEndsAt: termEndsAt?.toISOString() ?? null, ...(filled ? { openRoles: filled } : {}) },
    });
    return membership;
  });
}
