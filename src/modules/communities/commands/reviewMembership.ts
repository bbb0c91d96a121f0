import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { conflict } from '../../../shared/errors';
import { requireMember } from '../../../shared/policy';
import { Membership, MembershipStatus } from '../membership.entity';
import { authorizeOnMembershipCommunity, lockMembership } from './loadMembership';
import { currentStandardsVersion } from '../../governance/standards/standardsVersion';

type Decision = MembershipStatus.ACTIVE | MembershipStatus.DECLINED;

export interface ReviewMembershipProps {
  membershipId: string;
}

/**
 * A community LEAD or staff decides on a PENDING request to join. Deciding the same way twice changes nothing;
 * anything else that is not PENDING is a CONFLICT.
 */
async function reviewMembership(scope: CommandScope, { membershipId: id }: ReviewMembershipProps, decision: Decision): Promise<Membership> {
  const actor = requireMember(scope.actor);
  await authorizeOnMembershipCommunity(scope, id, 'manage', 'Only a community lead or staff can decide on requests to join');
  return scope.em.transactional(async (em) => {
    const membership = await lockMembership(em, { id });
    if (membership.status === decision) return membership;
    if (membership.status !== MembershipStatus.PENDING) {
      throw conflict(`Only a pending membership can be ${decision === MembershipStatus.ACTIVE ? 'approved' : 'declined'}`);
    }
    membership.status = decision;
    const ref = { communityId: membership.community.id, membershipId: membership.id, memberId: membership.member.id };
    if (decision === MembershipStatus.ACTIVE) {
      membership.joinedAt = new Date();
      membership.approvedAt = membership.joinedAt;
      membership.acceptedStandardsVersion = await currentStandardsVersion(em, membership.community.id);
      await recordEvent(em, actor.id, { type: 'MembershipApproved', ...ref });
      await recordEvent(em, actor.id, { type: 'MemberJoined', ...ref });
    } else {
      await recordEvent(em, actor.id, { type: 'MembershipDeclined', ...ref });
    }
    return membership;
  });
}

export const approveMembership = (scope: CommandScope, props: ReviewMembershipProps) => reviewMembership(scope, props, MembershipStatus.ACTIVE);
export const declineMembership = (scope: CommandScope, props: ReviewMembershipProps) => reviewMembership(scope, props, MembershipStatus.DECLINED);
