import { allow, can, refuse, type Actor, type Verdict } from '../../shared/policy';
import type { Member } from '../members/member.entity';
import { hasOrgAbility } from '../members/organisation.policy';
import { Community, CommunityStatus } from './community.entity';
import { CommunityRole, Membership } from './membership.entity';

/** Staff supervise every community (see the organisation policy). */
const isStaff = (member: Member | null) => hasOrgAbility(member, 'superviseCommunities');

async function activeMembership(actor: Actor, community: Community): Promise<Membership | null> {
  if (!actor.member) return null;
  const membership = await actor.membershipIn((await membersHome(actor, community)).id);
  return membership?.isActive ? membership : null;
}

/**
 * Where a community's members are: a merged community's memberships moved into the one it was merged into (see
 * governance/lifecycle), so its archive is theirs, and its LEADs', as that community's (followed along later merges).
 */
async function membersHome(actor: Actor, community: Community): Promise<Community> {
  let home = community;
  for (let hops = 0; home.mergedInto && hops < 10; hops++) home = await actor.community(home.mergedInto.id);
  return home;
}

async function hasRole(actor: Actor, community: Community, ...roles: CommunityRole[]): Promise<boolean> {
  const membership = await activeMembership(actor, community);
  return !!membership && roles.some((role) => membership.hasRole(role));
}

/** Name, description, topics and member count are public, even for RESTRICTED communities. */
allow(Community, 'read', () => true);

/** Threads, posts, resources and the member list: OPEN to all; RESTRICTED to ACTIVE members and staff. */
allow(Community, 'readContent', async (actor, community) => {
  if (!community.isRestricted) return true;
  return isStaff(actor.member) || !!(await activeMembership(actor, community));
});

/**
 * Only an ACTIVE community takes new content or members; a retired one stays readable as an archive. Checked
 * before membership, so its members hear why rather than being told they are not members.
 */
const readOnlyRefusal = (community: Community): Verdict | null =>
  community.status === CommunityStatus.ACTIVE ? null : refuse(`This community is ${community.status.toLowerCase()} and read-only`);

allow(Community, 'join', (actor, community) => !!actor.member && (readOnlyRefusal(community) ?? true));

/** An ACTIVE member, whatever the community's status (taking one's own posts down needs no more). */
allow(Community, 'belong', async (actor, community) => !!(await activeMembership(actor, community)));

/** Writing anywhere (threads, replies, reactions, resources, endorsements) needs an ACTIVE community and membership. */
allow(Community, 'write', async (actor, community) => readOnlyRefusal(community) ?? !!(await activeMembership(actor, community)));

allow(Community, 'announce', async (actor, community) => {
  const membership = await activeMembership(actor, community);
  if (!membership) return false;
  return isStaff(actor.member) || membership.hasRole(CommunityRole.LEAD) || membership.hasRole(CommunityRole.DISCUSSION_MONITOR);
});

/** Pin, lock, delete others' posts. */
allow(Community, 'moderate', async (actor, community) =>
  isStaff(actor.member) || hasRole(actor, community, CommunityRole.DISCUSSION_MONITOR, CommunityRole.LEAD),
);

/** Approve memberships, grant and revoke roles. */
allow(Community, 'manage', async (actor, community) => isStaff(actor.member) || hasRole(actor, community, CommunityRole.LEAD));

/** Change who holds which role (grant, revoke, hand over): `manage`, and only while ACTIVE (a retired one is an archive). */
allow(Community, 'manageRoles', async (actor, community) => readOnlyRefusal(community) ?? (await can(actor, 'manage', community)));

export { isStaff, hasRole, readOnlyRefusal };
