import type { Context } from '../../../../context';
import { can } from '../../../../shared/policy';
import { Meeting } from '../../meeting/meeting.entity';
import type { CalendarEntry } from '../icsDocument';
import '../../meeting/meeting.policy';

/** A feed holds at most this many meetings (the soonest); a calendar app polls it, so it stays small. */
export const FEED_LIMIT = 500;
/** Meetings a member answered stay in their feed this long after they end (a calendar keeps its recent past). */
const ANSWERED_KEPT_DAYS = 30;

/** The meetings that are readable by the scope's actor, with their communities, through the Meeting `read` rule. */
export async function readableEntries(ctx: Context, meetings: Meeting[]): Promise<CalendarEntry[]> {
  const checked = await Promise.all(
    meetings.map(async (meeting): Promise<CalendarEntry | null> =>
      (await can(ctx.actor, 'read', meeting)) ? { meeting, community: await ctx.actor.community(meeting.community.id) } : null,
    ),
  );
  return checked.filter((entry): entry is CalendarEntry => entry !== null);
}

/**
 * A member's calendar feed: the meetings ahead (not over; TENTATIVE ones included) of every community they are an
 * ACTIVE member of, cancelled ones only if they had answered (so their calendar shows it cancelled), and the meetings
 * they answered or attended that ended in the last 30 days; soonest first, at most FEED_LIMIT. The SQL picks
 * candidates; each is then read through the Meeting `read` rule with the member's rights now.
 */
export async function feedEntries(ctx: Context, memberId: string): Promise<CalendarEntry[]> {
  const rows = await ctx.em.execute<Record<string, unknown>[]>(
    `select mt.* from meeting mt
       join membership ms on ms.community_id = mt.community_id and ms.member_id = ? and ms.status = 'ACTIVE'
       left join meeting_rsvp r on r.meeting_id = mt.id and r.member_id = ms.member_id and r.status in ('GOING', 'INTERESTED', 'WAITLISTED')
      where (mt.status <> 'CANCELLED' or r.id is not null)
        and (mt.starts_at is null or coalesce(mt.ends_at, mt.starts_at) > now()
             or ((r.id is not null or exists (select 1 from meeting_attendance a where a.meeting_id = mt.id and a.member_id = ms.member_id))
                 and coalesce(mt.ends_at, mt.starts_at) > now() - make_interval(days => ?)))
      order by mt.sort_at, mt.id limit ?`,
    [memberId, ANSWERED_KEPT_DAYS, FEED_LIMIT],
  );
  return readableEntries(ctx, rows.map((row) => ctx.em.map(Meeting, row)));
}
