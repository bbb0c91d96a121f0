import type { CommandScope } from '../../../context';
import { recordEvent } from '../../../events/record';
import { badField, forbidden, notFound } from '../../../shared/errors';
import { requireMember } from '../../../shared/policy';
import type { Member } from '../../members/member.entity';

/** Either the notifications to mark (database IDs) or every unread one. */
export type MarkNotificationsReadProps = { notificationIds: string[]; all?: false } | { all: true };

/**
 * Marks the actor's notifications read: the listed ones, or every unread one (`all`). All or nothing: one ID that is
 * not the actor's notification (FORBIDDEN) or does not exist (NOT_FOUND) marks none. Already read ones keep their
 * readAt. Returns the actor (their unread count and inbox changed).
 */
export async function markNotificationsRead(scope: CommandScope, props: MarkNotificationsReadProps): Promise<Member> {
  const member = requireMember(scope.actor);
  const ids = props.all ? [] : [...new Set(props.notificationIds)];
  if (!props.all && !ids.length) throw badField('ids', 'give the notifications to mark, or all: true');

  await scope.em.transactional(async (em) => {
    if (props.all) {
      const marked = await em.execute<{ id: string }[]>('update notification set read_at = now() where recipient_id = ? and read_at is null returning id', [member.id]);
      if (marked.length) await recordEvent(em, member.id, { type: 'NotificationsRead', memberId: member.id, all: true, notificationIds: [], count: marked.length });
      return;
    }
    // Locked, so the check and the update see the same rows.
    const placeholders = ids.map(() => '?').join(', ');
    const rows = await em.execute<{ id: string; recipient_id: string }[]>(`select id, recipient_id from notification where id in (${placeholders}) for update`, ids);
    if (rows.some((row) => row.recipient_id !== member.id)) throw forbidden('You can only mark your own notifications');
    if (rows.length !== ids.length) throw notFound('Notification');
    const marked = await em.execute<{ id: string }[]>(`update notification set read_at = now() where read_at is null and id in (${placeholders}) returning id`, ids);
    if (marked.length) {
      const notificationIds = marked.map((row) => row.id);
      await recordEvent(em, member.id, { type: 'NotificationsRead', memberId: member.id, all: false, notificationIds, count: marked.length });
    }
  });
  return member;
}
