import type { Em } from '../../../db/orm';
import { recordedIn } from '../../../events/record';
import { BACKGROUND } from '../../../jobs/backgroundEm';
import { annualWeekStart, comingAnnualYear } from '../meeting/annualWeek';
import { DEFAULT_REMINDER_MINUTES } from '../meeting/meeting.entity';

/**
 * The annual meeting rule (contract: every ACTIVE community has exactly one ANNUAL meeting each year, from its
 * creation for the coming July and for each year after). "Each year after" is read as: at any moment every ACTIVE
 * community has the annual meeting of the coming year (`comingAnnualYear`: this year's until its July week begins,
 * then next year's). So a community founded on July 7 gets this year's; one founded on July 8 gets next year's;
 * and on July 8 the daily job adds next year's to every community (this year's, under way, stays).
 */
export interface AnnualMeetingPlan {
  year: number;
  /** Where a TENTATIVE annual meeting sorts: the start of its July week in the organisation's zone. */
  sortAt: Date;
}

/** Which annual meeting every ACTIVE community must have at `now` (pure: tests call it on both sides of July 8). */
export function annualMeetingDue(now: Date, orgTimeZone: string): AnnualMeetingPlan {
  const year = comingAnnualYear(now, orgTimeZone);
  return { year, sortAt: annualWeekStart(year, orgTimeZone) };
}

export const annualMeetingTitle = (communityName: string, year: number) => `${communityName.slice(0, 170)} annual meeting ${year}`;

export interface EnsureAnnualMeetingsOptions {
  orgTimeZone: string;
  /** Only this community (at its founding); omitted: every ACTIVE community (the job). */
  communityId?: string;
  now?: Date;
  /** Log its statement as background work (the job), not as part of a request (a founding). */
  background?: boolean;
}

/**
 * Creates the due annual meeting (TENTATIVE, no time yet, titled "<community> annual meeting <year>") of every
 * ACTIVE community that lacks it, or of one community, in one statement inside the caller's transaction, with a
 * MeetingScheduled event for each (actor: the system). The unique (community, year) key makes it idempotent and
 * safe against a concurrent run (`on conflict do nothing`: never doubled), also against a staff member scheduling
 * that year's meeting at the same moment. Returns the new meetings.
 */
export async function ensureAnnualMeetings(em: Em, options: EnsureAnnualMeetingsOptions): Promise<{ meetingId: string; communityId: string }[]> {
  const transaction = em.getTransactionContext();
  if (!transaction) throw new Error('ensureAnnualMeetings outside a transaction');
  await em.flush(); // a community founded in this transaction is written before the statement reads it
  const { year, sortAt } = annualMeetingDue(options.now ?? new Date(), options.orgTimeZone);
  const only = options.communityId ? 'and c.id = ?' : '';
  const rows = await em.execute<{ id: string; community_id: string }[]>(
    `with created as (insert into meeting (id, community_id, kind, status, title, sort_at, time_zone, reminder_minutes_before, annual_year) ` +
      `select gen_random_uuid(), c.id, 'ANNUAL', 'TENTATIVE', left(c.name, 170) || ' annual meeting ' || ?::int, ?, ?, ?::int[], ? ` +
      `from community c where c.status = 'ACTIVE' ${only} ` +
      `on conflict (community_id, annual_year) do nothing returning id, community_id), ` +
      `recorded as (insert into domain_event (type, payload, actor_id, community_id) ` +
      `select 'MeetingScheduled', jsonb_build_object('type', 'MeetingScheduled', 'communityId', c.community_id, 'meetingId', c.id, 'kind', 'ANNUAL'), null, c.community_id ` +
      `from created c) ` +
      `select id, community_id from created`,
    [year, sortAt, options.orgTimeZone, `{${DEFAULT_REMINDER_MINUTES.join(',')}}`, year, ...(options.communityId ? [options.communityId] : [])],
    'all',
    options.background ? BACKGROUND : undefined,
  );
  if (rows.length) recordedIn.add(transaction); // the commit wakes the dispatcher (webhooks of MeetingScheduled)
  return rows.map((row) => ({ meetingId: row.id, communityId: row.community_id }));
}
