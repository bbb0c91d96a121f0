import { allow, can } from '../../shared/policy';
import { hasOrgAbility } from '../members/organisation.policy';
import { Membership, MembershipStatus } from './membership.entity';

/**
 * A membership is visible to its member, staff and the community's managers (who decide on requests). Anyone
 * else sees only ACTIVE memberships, and only where they may read the community's content: pending, declined and
 * past memberships are private, as in `Member.memberships`.
 */
allow(Membership, 'read', async (actor, membership) => {
  if (actor.member?.id === membership.member.id || hasOrgAbility(actor.member, 'superviseCommunities')) return true;
  const community = await actor.community(membership.community.id);
  if (membership.status === MembershipStatus.ACTIVE && (await can(actor, 'readContent', community))) return true;
  return can(actor, 'manage', community);
});

allow(Membership, 'update', (actor, membership) => actor.member?.id === membership.member.id);
