import type { Context } from '../../../server/context';
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
    membership.notificationPreference = input.notificationPreference;
    return membership;
  });
}
