import type { Context } from '../../../../context';
import { unauthenticated } from '../../../../shared/errors';
import { cursorValues, type OrderColumn } from '../../../../shared/loaders';
import { parsePage, toConnection, type ConnectionResult, type Edge } from '../../../../shared/pagination';
import { BoardMeeting } from '../boardMeeting.entity';
import type { BoardMeetingsArgs } from '../boardMeeting.inputs';

const STARTS_ORDER: OrderColumn[] = [
  { column: 'starts_at', property: 'startsAt', kind: 'timestamp' },
  { column: 'id', property: 'id', kind: 'uuid' },
];

/** Board meetings earliest first (optionally only those not started yet), for signed-in members (see boardMeeting.policy.ts). */
export async function listBoardMeetings(ctx: Context, args: BoardMeetingsArgs): Promise<ConnectionResult<Edge<BoardMeeting>>> {
  if (!ctx.actor.member) throw unauthenticated('Sign in to see board meetings');
  const page = parsePage(args, STARTS_ORDER);
  const where = args.upcoming ? 'b.starts_at > now()' : 'true';
  const seek = page.after ? ' and (b.starts_at, b.id) > (?, ?)' : '';
  const rows = await ctx.em.execute<Record<string, unknown>[]>(
    `select b.* from board_meeting b where ${where}${seek} order by b.starts_at, b.id limit ?`,
    [...(page.after ?? []), page.first + 1],
  );
  const meetings = rows.map((row) => ctx.em.map(BoardMeeting, row));
  return toConnection(meetings, page, (meeting) => cursorValues(meeting, STARTS_ORDER), async () => {
    const [count] = await ctx.em.execute<{ n: string }[]>(`select count(*) as n from board_meeting b where ${where}`);
    return Number(count!.n);
  });
}
