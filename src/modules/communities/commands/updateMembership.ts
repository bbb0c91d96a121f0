import { recordEvent } from '../../../events/record';
import type { Context } from '../../../context';
import { notFound } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { requireMember } from '../../../shared/policy';
import type { UpdateMembershipInput } from '../community.inputs';
import { Membership, MembershipStatus } from '../membership.entity';
import { lockMembership } from './loadMembership';

/** A member changes how they hear about one of their communities. */
export async function updateMembership(ctx: Context, input: UpdateMembershipInput): Promise<Membership> {
  const member = requireMember(ctx.actor);
  const communityId = parseId(input.communityId, 'Community', 'communityId');
  return ctx.em.transactional(async (em) => {
    const membership = await lockMembership(em, { member: member.id, community: communityId });
    if (membership.status === MembershipStatus.LEFT) throw notFound('Membership');
    if (membership.notificationPreference === input.notificationPreference) return membership;
    membership.notificationPreference = input.notificationPreference;
    await recordEvent(em, member.id, {
      type: 'MembershipUpdated',
      communityId,
      membershipId: membership.id,
      memberId: member.id,
      notificationPreference: input.notificationPreference,
    });
    return membership;
  });
}
