import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { notFound } from '../../../shared/errors';
import { authorize, requireMember } from '../../../shared/policy';
import { Community } from '../community.entity';
import { Membership, MembershipStatus, type NotificationPreference } from '../membership.entity';
import { currentStandardsVersion } from '../../governance/standards/standardsVersion';

export interface JoinCommunityProps {
  communityId: string;
  notificationPreference: NotificationPreference;
}

/**
 * OPEN communities: ACTIVE at once; RESTRICTED: PENDING until a lead or staff approves. Joining again is
 * idempotent (the existing membership comes back); a member who left, or was declined, asks again from scratch.
 */
export async function joinCommunity(scope: CommandScope, props: JoinCommunityProps): Promise<Membership> {
  const member = requireMember(scope.actor);
  const { communityId } = props;
  const community = await scope.loaders.byId(Community).load(communityId);
  if (!community) throw notFound('Community');
  await authorize(scope.actor, 'join', community, 'This community does not accept new members');
  const initialStatus = community.isRestricted ? MembershipStatus.PENDING : MembershipStatus.ACTIVE;

  try {
    return await scope.em.transactional(async (em) => {
      const existing = await em.findOne(Membership, { member, community }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const ended = existing && (existing.status === MembershipStatus.LEFT || existing.status === MembershipStatus.DECLINED);
      if (existing && !ended) return existing;
      const membership = existing ?? new Membership();
      membership.member = member;
      membership.community = community;
      membership.status = initialStatus;
      membership.roles = [];
      membership.notificationPreference = props.notificationPreference;
      membership.joinedAt = initialStatus === MembershipStatus.ACTIVE ? new Date() : null;
      membership.approvedAt = null;
      membership.acceptedStandardsVersion = initialStatus === MembershipStatus.ACTIVE ? await currentStandardsVersion(em, community.id) : null;
      em.persist(membership);
      const ref = { communityId: community.id, membershipId: membership.id, memberId: member.id };
      await recordEvent(em, member.id, initialStatus === MembershipStatus.ACTIVE ? { type: 'MemberJoined', ...ref } : { type: 'MembershipRequested', ...ref });
      return membership;
    });
  } catch (error) {
    // A concurrent join of the same member won the insert: theirs is the membership.
    if (error instanceof UniqueConstraintViolationException) {
      const winner = await scope.em.fork().findOne(Membership, { member: member.id, community: community.id });
      if (winner) return winner;
    }
    throw error;
  }
}
