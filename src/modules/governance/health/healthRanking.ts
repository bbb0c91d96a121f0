import type { Context } from '../../../context';
import { parsePage, toConnection, type ConnectionResult, type KeysetColumn } from '../../../shared/pagination';
import { authorize, requireMember } from '../../../shared/policy';
import { ORGANISATION } from '../../members/organisation.policy';
import { Community } from '../../communities/community.entity';
import type { CommunityHealth } from './communityHealth.types';
import { checkDays, HEALTH_COLUMNS, PERIOD_CTE, lastDays, periodParams, toHealth, type HealthRow } from './healthQuery';

export interface RankedCommunity {
  cursor: string;
  rank: number;
  score: number;
  community: Community;
  node: Community;
  health: CommunityHealth;
}

/** Pages walk the rank itself: every page recomputes the same ranking, so `rank > cursor` continues it. */
const RANK_ORDER: KeysetColumn[] = [{ column: 'rank', property: 'rank', kind: 'integer' }];

/**
 * The health score, 0..1, of a row of HEALTH_COLUMNS `h` over `days` (the `?`): a weighted sum of
 * - participation (0.35): active members / members;
 * - activity (0.25): threads + replies + resources per member per 30 days, capped at 1 (one each a month is full);
 * - responsiveness (0.20): 1440 / (1440 + median minutes to a first reply): 1 for instant, 0.5 for a day, 0 when
 *   nothing was answered;
 * - answered questions (0.10): 1 - unanswered / asked; a community that started threads but asked no question
 *   scores 1, one with no threads 0;
 * - roles (0.10): roles filled / (filled + open), 0 when neither.
 */
export const HEALTH_SCORE_SQL = `round((
    0.35 * least(1, h.active_members::float8 / greatest(h.member_count, 1))
  + 0.25 * least(1, (h.threads_started + h.replies + h.resources_shared)::float8 / greatest(h.member_count, 1) / (?::float8 / 30))
  + 0.20 * coalesce(1440 / (1440 + h.median_first_reply_minutes), 0)
  + 0.10 * case when h.questions_asked = 0 then (h.threads_started > 0)::int
                else 1 - h.unanswered_questions::float8 / h.questions_asked end
  + 0.10 * case when h.roles_filled + h.open_roles = 0 then 0 else h.roles_filled::float8 / (h.roles_filled + h.open_roles) end
  )::numeric, 4)::float8`;

/** Every ACTIVE community ranked by health over the last `days`, best first, for staff and board; one statement a page. */
export async function communityHealthRanking(
  ctx: Context,
  args: { days: number; first?: number | null; after?: string | null },
): Promise<ConnectionResult<RankedCommunity>> {
  requireMember(ctx.actor);
  await authorize(ctx.actor, 'readCommunityHealth', ORGANISATION, 'Only staff and board members can see the health ranking');
  checkDays(args.days);
  const page = parsePage(args, RANK_ORDER);
  const rows = await ctx.em.execute<(HealthRow & { rank: string; score: number })[]>(
    `with ${PERIOD_CTE},
       health_communities as (select id, open_roles, name from community where status = 'ACTIVE'),
       h as (select c.name, ${HEALTH_COLUMNS} from health_communities c cross join period p),
       scored as (select h.*, ${HEALTH_SCORE_SQL} as score from h),
       ranked as (select s.*, row_number() over (order by s.score desc, s.name, s.community_id) as rank from scored s)
     select * from ranked where rank > ? order by rank limit ?`,
    [...periodParams(lastDays(args.days)), args.days, Number(page.after?.[0] ?? 0), page.first + 1],
  );
  const communities = await Promise.all(rows.map((row) => ctx.actor.community(row.community_id)));
  const ranked = rows.map((row, i) => ({
    rank: Number(row.rank),
    score: Number(row.score),
    community: communities[i]!,
    node: communities[i]!,
    health: toHealth(row, args.days),
  }));
  return toConnection(
    ranked,
    page,
    (row) => [row.rank],
    async () => Number((await ctx.em.execute<{ n: string }[]>(`select count(*) as n from community where status = 'ACTIVE'`))[0]!.n),
    (row, cursor) => ({ ...row, cursor }),
  );
}
