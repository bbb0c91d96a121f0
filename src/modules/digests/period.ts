import { DateTime } from 'luxon';
import { NotificationPreference } from '../communities/membership.entity';
import { DigestFrequency } from './digest.types';

export const DIGEST_PREFERENCE: Record<DigestFrequency, NotificationPreference> = {
  [DigestFrequency.DAILY]: NotificationPreference.DAILY_DIGEST,
  [DigestFrequency.WEEKLY]: NotificationPreference.WEEKLY_DIGEST,
};

/** How far back a member's first digest reaches (later ones start where the previous one ended). */
export const FIRST_DIGEST_REACH_MS: Record<DigestFrequency, number> = {
  [DigestFrequency.DAILY]: 24 * 3600_000,
  [DigestFrequency.WEEKLY]: 7 * 24 * 3600_000,
};

/**
 * The period `now` falls in, named by its start in the organisation's time zone: the day, or the ISO week
 * (from Monday). `digest:DAILY:2026-12-02T00:00:00.000-06:00`. One digest per member and period, however often
 * the schedule fires.
 */
export function digestPeriodKey(frequency: DigestFrequency, now: Date, orgTimeZone: string): string {
  const start = DateTime.fromJSDate(now).setZone(orgTimeZone).startOf(frequency === DigestFrequency.DAILY ? 'day' : 'week');
  return `digest:${frequency}:${start.toISO()}`;
}

export const frequencyWord = (frequency: DigestFrequency) => (frequency === DigestFrequency.DAILY ? 'daily' : 'weekly');
