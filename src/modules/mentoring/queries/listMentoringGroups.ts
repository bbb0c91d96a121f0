import type { Context } from '../../../context';
import { cursorValues, CREATED_ORDER } from '../../../shared/loaders';
import { parsePage, toConnection, type ConnectionResult, type Edge } from '../../../shared/pagination';
import { requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import type { MentoringGroupsArgs } from '../mentoring.inputs';
import { MentoringGroup } from '../mentoringGroup.entity';
import { normalizeTopic } from '../topics';

export const GROUP_ORDER = CREATED_ORDER;

/** Mentoring groups, newest first, optionally on one topic or in one status; for signed-in members. Mentors come in the same statement. */
export async function listMentoringGroups(ctx: Context, args: MentoringGroupsArgs): Promise<ConnectionResult<Edge<MentoringGroup>>> {
  requireMember(ctx.actor);
  const page = parsePage(args, GROUP_ORDER);
  const topic = args.topic ? normalizeTopic(args.topic) : null;
  const filters: [string, unknown][] = [];
  if (topic) filters.push(['g.topic = ?', topic]);
  if (args.status) filters.push(['g.status = ?', args.status]);
  const where = filters.length ? filters.map(([sql]) => sql).join(' and ') : 'true';
  const whereParams = filters.map(([, value]) => value);
  const seek = page.after ? ' and (g.created_at, g.id) < (?, ?)' : '';
  const rows = await ctx.em.execute<(Record<string, unknown> & { mentor_row: Record<string, unknown> })[]>(
    `select g.*, row_to_json(m.*) as mentor_row from mentoring_group g join member m on m.id = g.mentor_id ` +
      `where ${where}${seek} order by g.created_at desc, g.id desc limit ?`,
    [...whereParams, ...(page.after ?? []), page.first + 1],
  );
  const groups = rows.map(({ mentor_row: mentorRow, ...row }) => {
    const mentor = ctx.em.map(Member, mentorRow);
    ctx.loaders.byId(Member).prime(mentor.id, mentor);
    return ctx.em.map(MentoringGroup, row);
  });
  return toConnection(groups, page, (g) => cursorValues(g, GROUP_ORDER), async () => {
    const [count] = await ctx.em.execute<{ total: string | number }[]>(`select count(*) as total from mentoring_group g where ${where}`, whereParams);
    return Number(count?.total ?? 0);
  });
}
