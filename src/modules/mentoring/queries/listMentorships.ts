import type { Context } from '../../../context';
import { cursorValues, CREATED_ORDER } from '../../../shared/loaders';
import { parsePage, toConnection, type ConnectionResult, type Edge } from '../../../shared/pagination';
import type { Member } from '../../members/member.entity';
import type { MentorshipsArgs } from '../mentoring.inputs';
import { MentorshipPairing } from '../mentorshipPairing.entity';

export const PAIRING_ORDER = CREATED_ORDER;

/**
 * A member's pairings as mentor or mentee, newest first. Callers have authorised the read, and only the member
 * themself may read it, so a request lists at most one member's pairings: no batching is needed.
 */
export async function listMentorships(ctx: Context, member: Member, args: MentorshipsArgs): Promise<ConnectionResult<Edge<MentorshipPairing>>> {
  const page = parsePage(args, PAIRING_ORDER);
  const where = `(t.mentor_id = ? or t.mentee_id = ?)${args.status ? ' and t.status = ?' : ''}`;
  const whereParams = [member.id, member.id, ...(args.status ? [args.status] : [])];
  const seek = page.after ? ' and (t.created_at, t.id) < (?, ?)' : '';
  const rows = await ctx.em.execute<Record<string, unknown>[]>(
    `select t.* from mentorship_pairing t where ${where}${seek} order by t.created_at desc, t.id desc limit ?`,
    [...whereParams, ...(page.after ?? []), page.first + 1],
  );
  const pairings = rows.map((row) => ctx.em.map(MentorshipPairing, row));
  return toConnection(pairings, page, (p) => cursorValues(p, PAIRING_ORDER), async () => {
    const [count] = await ctx.em.execute<{ total: string | number }[]>(`select count(*) as total from mentorship_pairing t where ${where}`, whereParams);
    return Number(count?.total ?? 0);
  });
}
