import type { DomainEvent } from '../../../events/registry';
import { BACKGROUND } from '../../../jobs/backgroundEm';
import { NotificationKind } from '../../notifications/notification.entity';
import { namesFor, registerAudience, ROLE_NAMES } from '../../notifications/fanout/audiences';
import { ORG_ABILITIES } from '../../members/organisation.policy';

const LEADS_OF = `select ms.member_id as recipient_id from membership ms where ms.community_id = ? and ms.status = 'ACTIVE' and 'LEAD' = any(ms.roles)`;
const day = (iso: string) => iso.slice(0, 10);

/**
 * The holder hears that their term ends soon, and so do the community's LEADs (continuity is theirs to plan), each
 * with their own title. Nothing once the term was ended or renewed past this end in the meantime.
 */
registerAudience('RoleTermEnding', async (em, stored) => {
  const event = stored.event as DomainEvent<'RoleTermEnding'>;
  const [row] = await em.execute<{ holder: string | null; community: string | null }[]>(
    'select (select display_name from member where id = ?) as holder, (select name from community where id = ?) as community',
    [event.memberId, event.communityId],
    'all',
    BACKGROUND,
  );
  const role = ROLE_NAMES[event.role] ?? event.role;
  const still = `exists (select 1 from role_term t where t.id = ? and t.ended_at is null and t.term_ends_at = ?::timestamptz)`;
  return {
    communityId: event.communityId,
    subjectType: 'Membership',
    subjectId: event.membershipId,
    sql:
      `select distinct on (x.recipient_id) x.recipient_id, '${NotificationKind.ROLE_TERM_ENDING}'::text as kind, x.title from (` +
      `select q.member_id as recipient_id, ?::text as title, 1 as rank from membership q where q.id = ? and q.status = 'ACTIVE' ` +
      `union all select l.recipient_id, ?::text, 2 from (${LEADS_OF}) l` +
      `) x where ${still} order by x.recipient_id, x.rank`,
    params: [
      `Your term as ${role} of ${row?.community} ends on ${day(event.termEndsAt)}`,
      event.membershipId,
      `${row?.holder ?? 'A member'}'s term as ${role} of ${row?.community} ends on ${day(event.termEndsAt)}`,
      event.communityId,
      event.termId,
      event.termEndsAt,
    ],
  };
});

/** The community's LEADs hear of a vacant role; when the last LEAD is gone, staff do (someone must step in). */
registerAudience('RoleVacant', async (em, stored) => {
  const event = stored.event as DomainEvent<'RoleVacant'>;
  const names = await namesFor(em, stored, null);
  const role = ROLE_NAMES[event.role] ?? event.role;
  const staffRoles = ORG_ABILITIES.superviseCommunities.map((orgRole) => `'${orgRole}'`).join(', ');
  const staff = event.role === 'LEAD' ? ` union select s.id from member s where s.org_role::text in (${staffRoles})` : '';
  return {
    communityId: event.communityId,
    subjectType: 'Community',
    subjectId: event.communityId,
    sql: `select x.recipient_id, '${NotificationKind.ROLE_VACANT}'::text as kind, ?::text as title from (${LEADS_OF}${staff}) x`,
    params: [`${names.community} has no ${role} any more: the role is open`, event.communityId],
  };
});
