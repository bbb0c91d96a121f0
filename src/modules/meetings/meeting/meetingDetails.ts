import { badUserInput, type FieldError } from '../../../shared/errors';
import { hasControlCharacter, NO_CONTROL_MESSAGE } from '../../../shared/validation';
import { annualWeekStart, annualYearOf, ANNUAL_WEEK_MESSAGE } from './annualWeek';
import { MAX_REMINDER_MINUTES, MAX_REMINDERS } from './meeting.inputs';
import type { Meeting } from './meeting.entity';

const HOUR = 3_600_000;
/** A meeting lasts at most a day; without an end it lasts an hour. */
export const MAX_DURATION_MS = 24 * HOUR;
export const DEFAULT_DURATION_MS = HOUR;

/** What a scheduler may set; undefined leaves it as it is (on update), null clears it. */
export interface MeetingDetails {
  title?: string;
  description?: string | null;
  startsAt?: Date;
  endsAt?: Date | null;
  timeZone?: string;
  url?: string | null;
  venue?: string | null;
  capacity?: number | null;
  reminderMinutesBefore?: number[];
}

/**
 * Applies details to a meeting after checking them together (every problem reported at once, nothing applied when
 * one is wrong): a start in the future, an end after it within a day, an ANNUAL meeting in its July week, reminders
 * without repeats. Returns whether the time changed (reminders and calendars follow it).
 */
export function applyMeetingDetails(meeting: Meeting, details: MeetingDetails, orgTimeZone: string, now = new Date()): { timeChanged: boolean } {
  const errors: FieldError[] = [];
  // An explicit null (GraphQL lets a client send one for an optional field) cannot clear what a meeting must have.
  for (const field of ['title', 'startsAt', 'timeZone', 'reminderMinutesBefore'] as const) {
    if ((details as Record<string, unknown>)[field] === null) errors.push({ field, message: 'cannot be cleared' });
  }
  if (errors.length) throw badUserInput(errors);
  const startsAt = details.startsAt ?? meeting.startsAt;
  const timeGiven = details.startsAt !== undefined || details.endsAt !== undefined;
  if (details.startsAt !== undefined && details.startsAt.getTime() <= now.getTime()) errors.push({ field: 'startsAt', message: 'must be in the future' });
  if (details.startsAt !== undefined && meeting.isAnnual && annualYearOf(details.startsAt, orgTimeZone) !== meeting.annualYear) {
    errors.push({ field: 'startsAt', message: `${ANNUAL_WEEK_MESSAGE}${meeting.annualYear ? ` of ${meeting.annualYear}` : ''}` });
  }
  let endsAt = details.endsAt === undefined ? meeting.endsAt : details.endsAt;
  if (startsAt && details.startsAt !== undefined && details.endsAt === undefined && meeting.endsAt && meeting.startsAt) {
    // Moving the start keeps the length.
    endsAt = new Date(startsAt.getTime() + (meeting.endsAt.getTime() - meeting.startsAt.getTime()));
  }
  if (startsAt && !endsAt) endsAt = new Date(startsAt.getTime() + DEFAULT_DURATION_MS);
  if (details.endsAt !== undefined && !startsAt) errors.push({ field: 'endsAt', message: 'needs startsAt' });
  if (startsAt && endsAt && timeGiven) {
    const length = endsAt.getTime() - startsAt.getTime();
    if (length <= 0) errors.push({ field: 'endsAt', message: 'must be after startsAt' });
    else if (length > MAX_DURATION_MS) errors.push({ field: 'endsAt', message: 'must be at most 24 hours after startsAt' });
  }
  if (details.description && hasControlCharacter(details.description.replace(/[\n\t\r]/g, ''))) errors.push({ field: 'description', message: NO_CONTROL_MESSAGE });
  const reminders = details.reminderMinutesBefore;
  if (reminders) {
    if (new Set(reminders).size !== reminders.length) errors.push({ field: 'reminderMinutesBefore', message: 'must not repeat a value' });
    if (reminders.length > MAX_REMINDERS || reminders.some((m) => !Number.isInteger(m) || m < 1 || m > MAX_REMINDER_MINUTES)) {
      errors.push({ field: 'reminderMinutesBefore', message: `at most ${MAX_REMINDERS} values, each 1–${MAX_REMINDER_MINUTES}` });
    }
  }
  if (errors.length) throw badUserInput(errors);

  const before = [meeting.startsAt?.getTime(), meeting.endsAt?.getTime()].join();
  if (details.title !== undefined) meeting.title = details.title.trim();
  if (details.description !== undefined) meeting.description = details.description?.trim() || null;
  if (details.timeZone !== undefined) meeting.timeZone = details.timeZone;
  if (details.url !== undefined) meeting.url = details.url?.trim() || null;
  if (details.venue !== undefined) meeting.venue = details.venue?.trim() || null;
  if (details.capacity !== undefined) meeting.capacity = details.capacity;
  if (reminders) meeting.reminderMinutesBefore = [...reminders].sort((a, b) => b - a);
  meeting.startsAt = startsAt ?? null;
  meeting.endsAt = startsAt ? endsAt : null;
  meeting.sortAt = startsAt ?? annualWeekStart(meeting.annualYear ?? now.getUTCFullYear(), orgTimeZone);
  return { timeChanged: before !== [meeting.startsAt?.getTime(), meeting.endsAt?.getTime()].join() };
}
