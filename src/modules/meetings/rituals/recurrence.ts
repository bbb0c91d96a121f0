// The Temporal API for rrule-temporal (Node 20 and 24 have none built in); installed once, globally.
import 'temporal-polyfill/global';
import { RRuleTemporal } from 'rrule-temporal';
import { DateTime } from 'luxon';
import { isIanaTimeZone } from '../../../config';
import type { FieldError } from '../../../shared/errors';

/*
 * Recurrence of rituals: an RRULE value (RFC 5545 §3.3.10, e.g. `FREQ=WEEKLY;BYDAY=MO`) read in an IANA time zone
 * from a first occurrence. The rule runs on local wall time: "every Monday 09:00 America/Chicago" is 09:00 there on
 * both sides of a daylight-saving change (so 14:00 or 15:00 UTC). A wall time a change skips (02:30 on the spring
 * day) has no occurrence that day, and one it repeats is the first of the two, as RFC 5545 says. rrule-temporal does
 * the expansion; nothing else in the code base touches it.
 */

/** The rule parts a ritual may use. The time of day is the start's; BYHOUR/BYMINUTE/BYSECOND would add more per day. */
const ALLOWED_PARTS = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO', 'BYMONTH', 'BYSETPOS', 'WKST']);
const TIME_PARTS = new Set(['BYHOUR', 'BYMINUTE', 'BYSECOND']);
/** A ritual is a daily, weekly, monthly or yearly habit; anything more frequent is refused. */
const ALLOWED_FREQUENCIES = new Set(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
const TOO_FREQUENT = new Set(['HOURLY', 'MINUTELY', 'SECONDLY']);
const MAX_RULE_LENGTH = 300;
const MAX_INTERVAL = 366;

export const RRULE_EXAMPLE = 'an RRULE value such as FREQ=WEEKLY;BYDAY=MO';

/** Why a rule, zone or start cannot make a recurrence; `field` is the input field it is about. */
export class RecurrenceError extends Error {
  constructor(readonly problems: FieldError[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
}

const problem = (message: string): FieldError => ({ field: 'rrule', message });

/** An IANA zone the runtime knows ("Europe/Oslo"); offsets and unknown names are not. */
export function isValidTimeZone(zone: string): boolean {
  // The one rule for zones in the API (offsets such as "+01:00" are refused: Node 24's Intl accepts them).
  return typeof zone === 'string' && zone.length <= 64 && isIanaTimeZone(zone);
}

/**
 * The canonical form of a client's rule (`RRULE:` prefix removed, upper case, parts as given), or the problems with
 * it. Only the parts a ritual needs are accepted: DTSTART (the start is `startsAt`), the time-of-day parts and any
 * second line (RDATE, EXDATE) are refused rather than silently ignored.
 */
export function normalizeRule(input: string): { rule: string } | { problems: FieldError[] } {
  let text = (input ?? '').trim();
  if (/^RRULE:/i.test(text)) text = text.slice('RRULE:'.length).trim();
  if (!text) return { problems: [problem(`must be ${RRULE_EXAMPLE}`)] };
  if (text.length > MAX_RULE_LENGTH) return { problems: [problem(`must be at most ${MAX_RULE_LENGTH} characters`)] };
  if (/DTSTART/i.test(text)) return { problems: [problem('must not contain DTSTART: the first occurrence is startsAt')] };
  if (!/^[A-Za-z0-9=;,+-]+$/.test(text)) return { problems: [problem(`must be one rule line, ${RRULE_EXAMPLE}`)] };
  const parts = new Map<string, string>();
  for (const part of text.toUpperCase().split(';').filter(Boolean)) {
    const [key, value, ...rest] = part.split('=');
    if (!key || !value || rest.length) return { problems: [problem(`has a malformed part "${part}" (expected NAME=VALUE)`)] };
    if (parts.has(key)) return { problems: [problem(`repeats ${key}`)] };
    parts.set(key, value);
  }
  const problems: FieldError[] = [];
  for (const key of parts.keys()) {
    if (TIME_PARTS.has(key)) problems.push(problem(`must not contain ${key}: the time of day is startsAt's, in timeZone`));
    else if (!ALLOWED_PARTS.has(key)) problems.push(problem(`has an unsupported part ${key}`));
  }
  const freq = parts.get('FREQ');
  if (!freq) problems.push(problem('must have FREQ (DAILY, WEEKLY, MONTHLY or YEARLY)'));
  else if (TOO_FREQUENT.has(freq)) problems.push(problem('must not repeat more often than daily (a ritual is a daily, weekly or monthly habit)'));
  else if (!ALLOWED_FREQUENCIES.has(freq)) problems.push(problem(`has an unknown FREQ ${freq}`));
  if (parts.has('COUNT') && parts.has('UNTIL')) problems.push(problem('must not have both COUNT and UNTIL'));
  const interval = parts.get('INTERVAL');
  if (interval !== undefined && !(/^\d+$/.test(interval) && Number(interval) >= 1 && Number(interval) <= MAX_INTERVAL)) {
    problems.push(problem(`must have an INTERVAL between 1 and ${MAX_INTERVAL}`));
  }
  const count = parts.get('COUNT');
  if (count !== undefined && !(/^\d+$/.test(count) && Number(count) >= 1 && Number(count) <= 10_000)) problems.push(problem('must have a COUNT between 1 and 10000'));
  if (problems.length) return { problems };
  return { rule: [...parts].map(([key, value]) => `${key}=${value}`).join(';') };
}

const toDate = (zoned: { epochMilliseconds: number } | null): Date | null => (zoned ? new Date(zoned.epochMilliseconds) : null);

/**
 * One ritual's recurrence: its rule, zone and first occurrence. Occurrences are instants (Dates); the first one is
 * the first match of the rule at or after `startsAt` (startsAt itself when it matches), at startsAt's local time.
 */
export class Recurrence {
  private constructor(
    private readonly rule: RRuleTemporal,
    readonly rrule: string,
    readonly timeZone: string,
    readonly startsAt: Date,
  ) {}

  /**
   * Builds the recurrence, or throws RecurrenceError naming the fields at fault (`rrule`, `timeZone`). `startsAt`
   * is taken to the second; its wall time in `timeZone` is the rule's DTSTART.
   */
  static of(input: { rrule: string; timeZone: string; startsAt: Date }): Recurrence {
    const problems: FieldError[] = [];
    const normalized = normalizeRule(input.rrule);
    if ('problems' in normalized) problems.push(...normalized.problems);
    if (!isValidTimeZone(input.timeZone)) problems.push({ field: 'timeZone', message: 'must be an IANA time zone such as America/Chicago' });
    if (!(input.startsAt instanceof Date) || Number.isNaN(input.startsAt.getTime())) problems.push({ field: 'startsAt', message: 'must be a date and time' });
    if (problems.length || 'problems' in normalized) throw new RecurrenceError(problems);
    const startsAt = new Date(Math.floor(input.startsAt.getTime() / 1000) * 1000);
    const local = DateTime.fromJSDate(startsAt, { zone: input.timeZone }).toFormat("yyyyMMdd'T'HHmmss");
    try {
      const rule = new RRuleTemporal({ rruleString: `DTSTART;TZID=${input.timeZone}:${local}\nRRULE:${normalized.rule}` });
      return new Recurrence(rule, normalized.rule, input.timeZone, startsAt);
    } catch (error) {
      throw new RecurrenceError([problem(`is not a valid RRULE (${describe(error)})`)]);
    }
  }

  /** The first occurrence strictly after `after` (at or after it with `inclusive`), or null when the rule has ended. */
  next(after: Date, inclusive = false): Date | null {
    return this.guard(() => toDate(this.rule.next(after, inclusive)));
  }

  /** The latest occurrence at or before `at`, or null when none is (yet). */
  latestAtOrBefore(at: Date): Date | null {
    return this.guard(() => toDate(this.rule.previous(at, true)));
  }

  /** The occurrence's calendar date where the ritual is held (`2027-03-15`), for titles. */
  localDate(at: Date): string {
    return DateTime.fromJSDate(at, { zone: this.timeZone }).toISODate()!;
  }

  /** A rule whose matches are impossible (February 30) exhausts the library's search: it has no occurrence. */
  private guard(find: () => Date | null): Date | null {
    try {
      return find();
    } catch (error) {
      if (/maximum iterations/i.test(describe(error))) return null;
      throw error;
    }
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // The library's messages are about the rule's text ("Invalid BYDAY value: XX"); keep them short and on one line.
  return message.replace(/\s+/g, ' ').slice(0, 200);
}
