import type { Context } from '../../../context';
import { badField, forbidden, notFound } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { requireMember } from '../../../shared/policy';
import type { Member } from '../../members/member.entity';
import type { MarkNotificationsReadInput } from '../notification.inputs';

/**
 * Marks the viewer's notifications read: the listed ones, or every unread one (`all`). All or nothing: one ID that
 * is not the viewer's notification (FORBIDDEN) or does not exist (NOT_FOUND) marks none. Already read ones keep
 * their readAt. Returns the viewer (their unread count and inbox changed).
 */
export async function markNotificationsRead(ctx: Context, input: MarkNotificationsReadInput): Promise<Member> {
  const member = requireMember(ctx.actor);
  const ids = input.ids ?? [];
  if (input.all && ids.length) throw badField('all', 'give either ids or all: true, not both');
  if (!input.all && !ids.length) throw badField('ids', 'give the notifications to mark, or all: true');
  const notificationIds = [...new Set(ids.map((id) => parseId(id, 'Notification', 'ids')))];

  await ctx.em.transactional(async (em) => {
    if (input.all) {
      await em.execute('update notification set read_at = now() where recipient_id = ? and read_at is null', [member.id]);
      return;
    }
    // Locked, so the check and the update see the same rows.
    const rows = await em.execute<{ id: string; recipient_id: string }[]>(
      `select id, recipient_id from notification where id in (${notificationIds.map(() => '?').join(', ')}) for update`,
      notificationIds,
    );
    if (rows.some((row) => row.recipient_id !== member.id)) throw forbidden('You can only mark your own notifications');
    if (rows.length !== notificationIds.length) throw notFound('Notification');
    await em.execute(
      `update notification set read_at = now() where read_at is null and id in (${notificationIds.map(() => '?').join(', ')})`,
      notificationIds,
    );
  });
  return member;
}
