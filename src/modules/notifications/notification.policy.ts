import { allow, can, type Actor } from '../../shared/policy';
import { isStaff } from '../communities/community.policy';
import type { Member } from '../members/member.entity';
import { ORG_ABILITIES } from '../members/organisation.policy';
import { CONTENT_SUBJECTS, Notification } from './notification.entity';

/**
 * Whether a notification's subject is community content the recipient can no longer read (they left a RESTRICTED
 * community, or were removed): such a notification leaves their inbox, count, node(id) and pushes, and comes back
 * if they rejoin. Membership, role and mentoring notifications concern the member themself and always stay.
 */
async function contentHidden(actor: Actor, notification: Notification): Promise<boolean> {
  if (!notification.community || !(CONTENT_SUBJECTS as readonly string[]).includes(notification.subjectType ?? '')) return false;
  return !(await can(actor, 'readContent', await actor.community(notification.community.id)));
}

/** A notification is its recipient's only (staff included: an inbox is private). */
allow(Notification, 'read', async (actor, notification) => actor.member?.id === notification.recipient.id && !(await contentHidden(actor, notification)));

/**
 * `readContent` (community.policy: OPEN, the `superviseCommunities` org roles, or an ACTIVE membership) as a SQL
 * condition on a member row and a community row, for the fan-out's set-based inserts (thousands of recipients in one
 * statement).
 */
const SUPERVISING_ROLES = ORG_ABILITIES.superviseCommunities.map((role) => `'${role}'`).join(', ');
export function readsContentSql(member: string, community: string): string {
  return (
    `(${community}.visibility = 'OPEN' or ${member}.org_role in (${SUPERVISING_ROLES}) or exists (select 1 from membership rc ` +
    `where rc.member_id = ${member}.id and rc.community_id = ${community}.id and rc.status = 'ACTIVE'))`
  );
}

/**
 * The same rule as SQL, for lists and counts of one recipient's inbox (filtering in SQL keeps pages full and counts
 * right): content notifications only where `readContent` holds (community.policy: OPEN, staff, or an ACTIVE
 * membership). Reads `n` (notification); takes the recipient's id as its one parameter. Null: no filter (staff).
 */
export function visibleToRecipientSql(recipient: Member): { sql: string; params: unknown[] } | null {
  if (isStaff(recipient)) return null;
  return {
    sql:
      `(n.community_id is null or n.subject_type is null or n.subject_type not in (${CONTENT_SUBJECTS.map((t) => `'${t}'`).join(', ')}) ` +
      `or exists (select 1 from community vc where vc.id = n.community_id and vc.visibility = 'OPEN') ` +
      `or exists (select 1 from membership vm where vm.community_id = n.community_id and vm.member_id = ? and vm.status = 'ACTIVE'))`,
    params: [recipient.id],
  };
}
