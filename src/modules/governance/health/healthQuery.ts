import type { Em } from '../../../db/orm';
import { badField } from '../../../shared/errors';
import { arrayLiteral } from '../similarity/sqlArray';
import { CommunityHealth } from './communityHealth.types';

/** A half-open time range [from, to) the figures cover. */
export interface HealthPeriod {
  from: Date;
  to: Date;
}

export const DAY_MS = 86_400_000;
export const MAX_HEALTH_DAYS = 730;

/** `days` arguments: 1..730, else BAD_USER_INPUT. */
export function checkDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_HEALTH_DAYS) throw badField('days', `must be between 1 and ${MAX_HEALTH_DAYS}`);
  return days;
}

/** The last `days` days up to `now`. */
export const lastDays = (days: number, now = new Date()): HealthPeriod => ({ from: new Date(now.getTime() - days * DAY_MS), to: now });

export const periodDays = (period: HealthPeriod) => Math.round((period.to.getTime() - period.from.getTime()) / DAY_MS);

/**
 * The health figures of every community in the CTE `health_communities(id, open_roles)` over the period in the CTE
 * `period(from_at, to_at)`, one row per community: correlated subqueries, each walking a (community, created_at)
 * index, so one statement answers any number of communities. Callers (the per-request loader, the ranking, the
 * review snapshot) supply both CTEs, so every path computes the same numbers.
 *
 * - activeMembers: distinct authors of threads and replies (not deleted), reactors, sharers (of resources not
 *   removed), endorsers and attendees of meetings held (recorded attendance) in the period who are ACTIVE members now.
 * - meetingsHeld: meetings that started in the period and are HELD (their organisers recorded attendance);
 *   meetingAttendance: their recorded attendees divided by their number (one decimal), null when none was held.
 * - first reply: the earliest reply that is not deleted, by someone other than the thread's author, before the
 *   period's end, for threads started in the period.
 * - unansweredQuestions: QUESTION threads started in the period (older questions belong to older periods) with no
 *   accepted answer and no reply (not deleted) before the period's end.
 * - memberCount: ACTIVE memberships that began before the period's end (the status is today's: leavers are gone).
 */
export const HEALTH_COLUMNS = `
  c.id as community_id,
  (select count(*) from membership m
    where m.community_id = c.id and m.status = 'ACTIVE' and (m.joined_at is null or m.joined_at < p.to_at))::int as member_count,
  (select count(*) from thread t where t.community_id = c.id and t.created_at >= p.from_at and t.created_at < p.to_at)::int as threads_started,
  (select count(*) from post po
    where po.community_id = c.id and po.deleted_at is null and po.created_at >= p.from_at and po.created_at < p.to_at)::int as replies,
  (select count(*) from resource r
    where r.community_id = c.id and r.removed_at is null and r.created_at >= p.from_at and r.created_at < p.to_at)::int as resources_shared,
  (select count(*) from thread t
    where t.community_id = c.id and t.kind = 'QUESTION' and t.created_at >= p.from_at and t.created_at < p.to_at)::int as questions_asked,
  (select count(*) from thread t
    where t.community_id = c.id and t.kind = 'QUESTION' and t.created_at >= p.from_at and t.created_at < p.to_at
      and t.accepted_answer_id is null
      and not exists (select 1 from post po where po.thread_id = t.id and po.deleted_at is null and po.created_at < p.to_at))::int
    as unanswered_questions,
  (select round((percentile_cont(0.5) within group (order by fr.minutes))::numeric, 1)::float8
     from (select extract(epoch from (min(po.created_at) - t.created_at)) / 60 as minutes
             from thread t
             join post po on po.thread_id = t.id and po.deleted_at is null and po.author_id <> t.author_id and po.created_at < p.to_at
            where t.community_id = c.id and t.created_at >= p.from_at and t.created_at < p.to_at
            group by t.id, t.created_at) fr) as median_first_reply_minutes,
  (select count(distinct role) from membership m cross join unnest(m.roles) as role
    where m.community_id = c.id and m.status = 'ACTIVE')::int as roles_filled,
  cardinality(c.open_roles)::int as open_roles,
  (select count(*) from meeting mt
    where mt.community_id = c.id and mt.status = 'HELD' and mt.starts_at >= p.from_at and mt.starts_at < p.to_at)::int as meetings_held,
  (select round(avg((select count(*) from meeting_attendance a where a.meeting_id = mt.id))::numeric, 1)::float8 from meeting mt
    where mt.community_id = c.id and mt.status = 'HELD' and mt.starts_at >= p.from_at and mt.starts_at < p.to_at) as meeting_attendance,
  (select count(distinct a.member_id)
     from (select t.author_id as member_id from thread t
            where t.community_id = c.id and t.created_at >= p.from_at and t.created_at < p.to_at
           union all
           select po.author_id from post po
            where po.community_id = c.id and po.deleted_at is null and po.created_at >= p.from_at and po.created_at < p.to_at
           union all
           select re.member_id from reaction re join post po on po.id = re.post_id
            where po.community_id = c.id and re.created_at >= p.from_at and re.created_at < p.to_at
           union all
           select r.shared_by_id from resource r
            where r.community_id = c.id and r.removed_at is null and r.created_at >= p.from_at and r.created_at < p.to_at
           union all
           select e.member_id from resource_endorsement e join resource r on r.id = e.resource_id
            where r.community_id = c.id and e.created_at >= p.from_at and e.created_at < p.to_at
           union all
           select a.member_id from meeting_attendance a join meeting mt on mt.id = a.meeting_id
            where mt.community_id = c.id and mt.status = 'HELD' and mt.starts_at >= p.from_at and mt.starts_at < p.to_at) a
     join membership m on m.member_id = a.member_id and m.community_id = c.id and m.status = 'ACTIVE')::int as active_members`;

/** `period` as a CTE: its two parameters are the range's ends. */
export const PERIOD_CTE = 'period as (select ?::timestamptz as from_at, ?::timestamptz as to_at)';
export const periodParams = (period: HealthPeriod) => [period.from.toISOString(), period.to.toISOString()];

export interface HealthRow {
  community_id: string;
  member_count: number;
  threads_started: number;
  replies: number;
  resources_shared: number;
  questions_asked: number;
  unanswered_questions: number;
  median_first_reply_minutes: number | null;
  roles_filled: number;
  open_roles: number;
  active_members: number;
  meetings_held: number;
  meeting_attendance: number | null;
}

export function toHealth(row: HealthRow, days: number): CommunityHealth {
  const health = new CommunityHealth();
  Object.assign(health, {
    periodDays: days,
    activeMembers: Number(row.active_members),
    memberCount: Number(row.member_count),
    threadsStarted: Number(row.threads_started),
    replies: Number(row.replies),
    medianFirstReplyMinutes: row.median_first_reply_minutes === null ? null : Number(row.median_first_reply_minutes),
    questionsAsked: Number(row.questions_asked),
    unansweredQuestions: Number(row.unanswered_questions),
    resourcesShared: Number(row.resources_shared),
    meetingsHeld: Number(row.meetings_held),
    meetingAttendance: row.meeting_attendance === null ? null : Number(row.meeting_attendance),
    rolesFilled: Number(row.roles_filled),
    openRoles: Number(row.open_roles),
  } satisfies CommunityHealth);
  return health;
}

/** Health of the given communities over one period, in one statement; communities that do not exist are absent. */
export async function communityHealth(em: Em, communityIds: readonly string[], period: HealthPeriod): Promise<Map<string, CommunityHealth>> {
  const rows = await em.execute<HealthRow[]>(
    `with ${PERIOD_CTE}, health_communities as (select id, open_roles from community where id = any(?::uuid[]))
     select ${HEALTH_COLUMNS} from health_communities c cross join period p`,
    [...periodParams(period), arrayLiteral(communityIds)],
  );
  const days = periodDays(period);
  return new Map(rows.map((row) => [row.community_id, toHealth(row, days)]));
}
