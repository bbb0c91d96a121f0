import type { Em } from '../../../db/orm';
import type { HealthPeriod } from '../health/healthQuery';

/** The calendar year `year` in the organisation's time zone, cut at `now` while it is still running. */
export async function reviewPeriod(em: Em, year: number, timeZone: string, now = new Date()): Promise<HealthPeriod> {
  const [row] = await em.execute<{ from_at: Date; to_at: Date }[]>(
    `select make_date(?, 1, 1)::timestamp at time zone ? as from_at,
            least(?::timestamptz, make_date(?, 1, 1)::timestamp at time zone ?) as to_at`,
    [year, timeZone, now.toISOString(), year + 1, timeZone],
  );
  return { from: new Date(row!.from_at), to: new Date(row!.to_at) };
}

/** This year in the organisation's time zone. */
export function currentYear(timeZone: string, now = new Date()): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(now));
}
