import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { notFound } from '../../../shared/errors';
import { requireMember } from '../../../shared/policy';
import { Membership, MembershipStatus } from '../membership.entity';
import { lockMembership } from './loadMembership';
import { endTermsOnLeaving } from '../../governance/roles/roleTerms';

export interface LeaveCommunityProps {
  communityId: string;
}

/** Leaving (or withdrawing a pending request) drops the member's roles; their posts stay. */
export async function leaveCommunity(scope: CommandScope, { communityId }: LeaveCommunityProps): Promise<Membership> {
  const member = requireMember(scope.actor);
  return scope.em.transactional(async (em) => {
    const membership = await lockMembership(em, { member: member.id, community: communityId });
    if (membership.status === MembershipStatus.LEFT) throw notFound('Membership');
    membership.status = MembershipStatus.LEFT;
    const rolesHeld = membership.roles;
    membership.roles = [];
    membership.joinedAt = null;
    await recordEvent(em, member.id, { type: 'MemberLeft', communityId, membershipId: membership.id, memberId: member.id });
    await endTermsOnLeaving(em, member.id, membership, rolesHeld);
    return membership;
  });
}
