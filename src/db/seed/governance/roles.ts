import type { Em } from '../../orm';
import { Community } from '../../../modules/communities/community.entity';
import { CommunityRole, Membership, MembershipStatus } from '../../../modules/communities/membership.entity';
import { openRoleTerm } from '../../../modules/governance/roles/roleTerms';
import { RoleTermEndReason } from '../../../modules/governance/roles/roleTerm.entity';

const DAY = 86_400_000;

/**
 * Role terms for the demo (inside the seed's transaction, after the memberships): an open term for every role held,
 * discussion monitors on one-year terms, one term ending in 10 days (inside the 14-day warning), one handover with
 * its note in the history, and open roles on the first community that lacks a role.
 */
export async function seedRoleTerms(em: Em, now: number): Promise<void> {
  await em.flush();
  const memberships = await em.find(
    Membership,
    { status: MembershipStatus.ACTIVE },
    { populate: ['community', 'member'], orderBy: { community: { slug: 'asc' }, member: { email: 'asc' } } },
  );
  let endingSoon = false;
  let handedOver = false;
  for (const membership of memberships) {
    for (const role of membership.roles) {
      const startedAt = membership.joinedAt ?? new Date(now);
      const term = openRoleTerm(em, membership, role, { grantedById: null, startedAt });
      if (role === CommunityRole.DISCUSSION_MONITOR) term.termEndsAt = new Date(startedAt.getTime() + 365 * DAY);
      if (role === CommunityRole.MEETING_COORDINATOR && !endingSoon) {
        term.termEndsAt = new Date(now + 10 * DAY);
        endingSoon = true;
      }
      if (role === CommunityRole.EVENT_COORDINATOR && !handedOver) {
        // Someone else in the community held it before and handed it over twenty days ago.
        const before = memberships.find((m) => m.community.id === membership.community.id && m.roles.length === 0 && m.joinedAt && m.joinedAt.getTime() < now - 40 * DAY);
        if (!before) continue;
        const previous = openRoleTerm(em, before, role, { grantedById: null, startedAt: new Date(Math.max(before.joinedAt!.getTime(), now - 55 * DAY)) });
        previous.endedAt = new Date(now - 20 * DAY);
        previous.endReason = RoleTermEndReason.HANDED_OVER;
        previous.handedOverTo = membership;
        previous.handoverNote = 'The venue contacts and the booking calendar are in the shared folder; the library hall needs two weeks’ notice.';
        term.startedAt = previous.endedAt;
        term.grantedBy = before.member;
        handedOver = true;
      }
    }
  }
  const communities = await em.find(Community, {}, { orderBy: { slug: 'asc' } });
  for (const community of communities) {
    const held = new Set(memberships.filter((m) => m.community.id === community.id).flatMap((m) => m.roles));
    const missing = Object.values(CommunityRole).filter((role) => role !== CommunityRole.LEAD && !held.has(role));
    if (missing.length) {
      community.openRoles = missing;
      return;
    }
  }
  if (communities[0]) communities[0].openRoles = [CommunityRole.EVENT_COORDINATOR];
}
