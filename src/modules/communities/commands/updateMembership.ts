import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { notFound } from '../../../shared/errors';
import { requireMember } from '../../../shared/policy';
import { Membership, MembershipStatus, type NotificationPreference } from '../membership.entity';
import { lockMembership } from './loadMembership';

export interface UpdateMembershipProps {
  communityId: string;
  notificationPreference: NotificationPreference;
}

/** A member changes how they hear about one of their communities. */
export async function updateMembership(scope: CommandScope, props: UpdateMembershipProps): Promise<Membership> {
  const member = requireMember(scope.actor);
  const { communityId } = props;
  return scope.em.transactional(async (em) => {
    const membership = await lockMembership(em, { member: member.id, community: communityId });
    if (membership.status === MembershipStatus.LEFT) throw notFound('Membership');
    if (membership.notificationPreference === props.notificationPreference) return membership;
    membership.notificationPreference = props.notificationPreference;
    await recordEvent(em, member.id, {
      type: 'MembershipUpdated',
      communityId,
      membershipId: membership.id,
      memberId: member.id,
      notificationPreference: props.notificationPreference,
    });
    return membership;
  });
}
