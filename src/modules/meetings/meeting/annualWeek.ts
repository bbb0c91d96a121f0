import { DateTime } from 'luxon';

/** The annual meeting's week: its start falls on July 8–14 (the second week of July) in the organisation's zone. */
export const ANNUAL_FIRST_DAY = 8;
export const ANNUAL_LAST_DAY = 14;
export const ANNUAL_WEEK_MESSAGE = `must fall in the second week of July (July ${ANNUAL_FIRST_DAY}–${ANNUAL_LAST_DAY}) in the organisation's time zone`;

/** When the annual meeting's week begins (July 8, 00:00 in `zone`): a TENTATIVE annual meeting sorts there. */
export function annualWeekStart(year: number, zone: string): Date {
  return DateTime.fromObject({ year, month: 7, day: ANNUAL_FIRST_DAY }, { zone }).toJSDate();
}

/** The year whose annual week `at` falls in (July 8–14 local), or null when it falls outside every such week. */
export function annualYearOf(at: Date, zone: string): number | null {
  const local = DateTime.fromJSDate(at, { zone });
  return local.month === 7 && local.day >= ANNUAL_FIRST_DAY && local.day <= ANNUAL_LAST_DAY ? local.year : null;
}

/**
 * The first year whose annual meeting is still ahead at `now`: this year until its week has begun, then next year.
 * A community founded in the second week of July gets next year's meeting (this year's is under way elsewhere).
 */
export function comingAnnualYear(now: Date, zone: string): number {
  const local = DateTime.fromJSDate(now, { zone });
  return now < annualWeekStart(local.year, zone) ? local.year : local.year + 1;
}
