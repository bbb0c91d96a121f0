import type { Context } from '../../../context';
import { cursorValues, CREATED_ORDER } from '../../../shared/loaders';
import { parsePage, toConnection, type ConnectionResult, type Edge } from '../../../shared/pagination';
import type { Member } from '../../members/member.entity';
import { Notification } from '../notification.entity';
import { visibleToRecipientSql } from '../notification.policy';

export const NOTIFICATION_ORDER = CREATED_ORDER;

/** The recipient's inbox conditions: theirs, still readable, optionally unread only. */
function inboxWhere(member: Member, unreadOnly: boolean): { where: string; params: unknown[] } {
  const visible = visibleToRecipientSql(member);
  return {
    where: `n.recipient_id = ?${unreadOnly ? ' and n.read_at is null' : ''}${visible ? ` and ${visible.sql}` : ''}`,
    params: [member.id, ...(visible?.params ?? [])],
  };
}

/**
 * A member's notifications, newest first. Callers have authorised the read (the member themself only), so a request
 * lists at most one inbox: no batching is needed.
 */
export async function listNotifications(
  ctx: Context,
  member: Member,
  args: { first?: number | null; after?: string | null; unreadOnly?: boolean | null },
): Promise<ConnectionResult<Edge<Notification>>> {
  const page = parsePage(args, NOTIFICATION_ORDER);
  const { where, params } = inboxWhere(member, !!args.unreadOnly);
  const seek = page.after ? ' and (n.created_at, n.id) < (?, ?)' : '';
  const rows = await ctx.em.execute<Record<string, unknown>[]>(
    `select n.* from notification n where ${where}${seek} order by n.created_at desc, n.id desc limit ?`,
    [...params, ...(page.after ?? []), page.first + 1],
  );
  const notifications = rows.map((row) => ctx.em.map(Notification, row));
  return toConnection(notifications, page, (n) => cursorValues(n, NOTIFICATION_ORDER), () => countNotifications(ctx, member, !!args.unreadOnly));
}

export async function countNotifications(ctx: Context, member: Member, unreadOnly: boolean): Promise<number> {
  const { where, params } = inboxWhere(member, unreadOnly);
  const [row] = await ctx.em.execute<{ total: string | number }[]>(`select count(*) as total from notification n where ${where}`, params);
  return Number(row?.total ?? 0);
}
