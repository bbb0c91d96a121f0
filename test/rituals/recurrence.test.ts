import { DateTime } from 'luxon';
import { normalizeRule, Recurrence, RecurrenceError } from '../../src/modules/meetings/rituals/recurrence';

/* The recurrence module alone (no database): rule checks, DST, monthly rules, zones. */

const local = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toUTC().toJSDate();
const inZone = (at: Date | null, zone: string) => (at ? DateTime.fromJSDate(at, { zone }).toFormat("ccc yyyy-MM-dd HH:mm ZZZZ") : null);

function fieldsOf(attempt: () => unknown): string[] {
  try {
    attempt();
  } catch (error) {
    if (error instanceof RecurrenceError) return error.problems.map((p) => p.field);
    throw error;
  }
  throw new Error('expected a RecurrenceError');
}

function messagesOf(attempt: () => unknown): string {
  try {
    attempt();
  } catch (error) {
    if (error instanceof RecurrenceError) return error.message;
    throw error;
  }
  throw new Error('expected a RecurrenceError');
}

/** Successive occurrences from (and including) `from`. */
function occurrences(recurrence: Recurrence, from: Date, count: number): Date[] {
  const found: Date[] = [];
  let at = recurrence.next(from, true);
  while (at && found.length < count) {
    found.push(at);
    at = recurrence.next(at);
  }
  return found;
}

describe('normalizeRule', () => {
  it('accepts an RRULE value with or without the RRULE: prefix, in any case, and returns it upper-cased', () => {
    expect(normalizeRule('FREQ=WEEKLY;BYDAY=MO')).toEqual({ rule: 'FREQ=WEEKLY;BYDAY=MO' });
    expect(normalizeRule('RRULE:freq=weekly;byday=mo')).toEqual({ rule: 'FREQ=WEEKLY;BYDAY=MO' });
    expect(normalizeRule('  rrule:FREQ=MONTHLY;BYDAY=1TU  ')).toEqual({ rule: 'FREQ=MONTHLY;BYDAY=1TU' });
    expect(normalizeRule('FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR')).toEqual({ rule: 'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR' });
  });

  it.each([
    ['', 'must be an RRULE value'],
    ['RRULE:', 'must be an RRULE value'],
    ['DTSTART:20270101T090000Z\nRRULE:FREQ=WEEKLY', 'must not contain DTSTART'],
    ['FREQ=WEEKLY;DTSTART=20270101T090000Z', 'must not contain DTSTART'],
    ['FREQ=WEEKLY\nEXDATE:20270104T090000Z', 'one rule line'],
    ['FREQ=HOURLY', 'more often than daily'],
    ['FREQ=MINUTELY;INTERVAL=30', 'more often than daily'],
    ['FREQ=SECONDLY', 'more often than daily'],
    ['FREQ=DAILY;BYHOUR=9,17', 'must not contain BYHOUR'],
    ['FREQ=WEEKLY;BYMINUTE=0,30', 'must not contain BYMINUTE'],
    ['FREQ=FORTNIGHTLY', 'unknown FREQ'],
    ['BYDAY=MO', 'must have FREQ'],
    ['FREQ=WEEKLY;FOO=1', 'unsupported part FOO'],
    ['FREQ=WEEKLY;FREQ=DAILY', 'repeats FREQ'],
    ['FREQ=WEEKLY;BYDAY', 'malformed part'],
    ['FREQ=WEEKLY;COUNT=3;UNTIL=20280101T000000Z', 'both COUNT and UNTIL'],
    ['FREQ=WEEKLY;INTERVAL=0', 'INTERVAL between'],
    ['FREQ=WEEKLY;COUNT=0', 'COUNT between'],
  ])('refuses %j (%s)', (rule, message) => {
    const result = normalizeRule(rule);
    expect('problems' in result && result.problems.map((p) => p.message).join('; ')).toContain(message);
    expect('problems' in result && result.problems.every((p) => p.field === 'rrule')).toBe(true);
  });
});

describe('Recurrence.of', () => {
  const startsAt = local('2027-03-08T09:00', 'America/Chicago');

  it('names the field at fault: an invalid rule, an unknown or offset time zone, both at once', () => {
    expect(fieldsOf(() => Recurrence.of({ rrule: 'FREQ=WEEKLY;BYDAY=XX', timeZone: 'America/Chicago', startsAt }))).toEqual(['rrule']);
    expect(messagesOf(() => Recurrence.of({ rrule: 'FREQ=WEEKLY;BYDAY=XX', timeZone: 'America/Chicago', startsAt }))).toContain('not a valid RRULE');
    for (const timeZone of ['Mars/Olympus', '+01:00', 'Chicago', '']) {
      expect(fieldsOf(() => Recurrence.of({ rrule: 'FREQ=WEEKLY', timeZone, startsAt }))).toEqual(['timeZone']);
    }
    expect(fieldsOf(() => Recurrence.of({ rrule: 'FREQ=HOURLY', timeZone: 'Nowhere/Land', startsAt }))).toEqual(['rrule', 'timeZone']);
    expect(fieldsOf(() => Recurrence.of({ rrule: 'FREQ=WEEKLY', timeZone: 'UTC', startsAt: new Date('nope') }))).toEqual(['startsAt']);
  });

  it('starts at startsAt when it matches, else at the first match after it, at startsAt\'s local time', () => {
    const monday = Recurrence.of({ rrule: 'FREQ=WEEKLY;BYDAY=MO', timeZone: 'America/Chicago', startsAt });
    expect(monday.next(startsAt, true)).toEqual(startsAt);
    const fromSaturday = Recurrence.of({ rrule: 'FREQ=WEEKLY;BYDAY=MO', timeZone: 'America/Chicago', startsAt: local('2027-03-06T09:00', 'America/Chicago') });
    expect(inZone(fromSaturday.next(new Date(0), true), 'America/Chicago')).toBe('Mon 2027-03-08 09:00 CST');
    // Seconds are kept, milliseconds dropped.
    const odd = Recurrence.of({ rrule: 'FREQ=DAILY', timeZone: 'UTC', startsAt: new Date('2027-01-01T10:15:30.750Z') });
    expect(odd.startsAt.toISOString()).toBe('2027-01-01T10:15:30.000Z');
    expect(odd.next(odd.startsAt)?.toISOString()).toBe('2027-01-02T10:15:30.000Z');
  });

  it('keeps "every Monday 09:00 America/Chicago" at 09:00 local across the March and November changes', () => {
    const monday = Recurrence.of({ rrule: 'RRULE:FREQ=WEEKLY;BYDAY=MO', timeZone: 'America/Chicago', startsAt });
    const spring = occurrences(monday, startsAt, 2);
    expect(spring.map((at) => at.toISOString())).toEqual(['2027-03-08T15:00:00.000Z', '2027-03-15T14:00:00.000Z']);
    expect(spring.map((at) => inZone(at, 'America/Chicago'))).toEqual(['Mon 2027-03-08 09:00 CST', 'Mon 2027-03-15 09:00 CDT']);
    // Daylight saving ends on Sunday 7 November 2027.
    const autumn = occurrences(monday, local('2027-11-01T00:00', 'America/Chicago'), 2);
    expect(autumn.map((at) => at.toISOString())).toEqual(['2027-11-01T14:00:00.000Z', '2027-11-08T15:00:00.000Z']);
    expect(autumn.map((at) => inZone(at, 'America/Chicago'))).toEqual(['Mon 2027-11-01 09:00 CDT', 'Mon 2027-11-08 09:00 CST']);
    // Over a whole year every occurrence is a Monday at 09:00 there.
    for (const at of occurrences(monday, startsAt, 53)) expect(DateTime.fromJSDate(at, { zone: 'America/Chicago' }).toFormat('ccc HH:mm')).toBe('Mon 09:00');
  });

  it('follows RFC 5545 at a wall time a change skips or repeats: omitted in the gap, the first of the two in the overlap', () => {
    // 02:30 does not exist in Chicago on 14 March 2027; 01:30 happens twice on 7 November 2027.
    const gap = Recurrence.of({ rrule: 'FREQ=DAILY', timeZone: 'America/Chicago', startsAt: local('2027-03-13T02:30', 'America/Chicago') });
    expect(occurrences(gap, gap.startsAt, 2).map((at) => inZone(at, 'America/Chicago'))).toEqual(['Sat 2027-03-13 02:30 CST', 'Mon 2027-03-15 02:30 CDT']);
    const overlap = Recurrence.of({ rrule: 'FREQ=DAILY', timeZone: 'America/Chicago', startsAt: local('2027-11-06T01:30', 'America/Chicago') });
    expect(occurrences(overlap, overlap.startsAt, 3).map((at) => at.toISOString())).toEqual([
      '2027-11-06T06:30:00.000Z',
      '2027-11-07T06:30:00.000Z',
      '2027-11-08T07:30:00.000Z',
    ]);
  });

  it('runs a monthly rule (the first Tuesday) in a European zone across its own change', () => {
    const zone = 'Europe/Berlin';
    const first = Recurrence.of({ rrule: 'FREQ=MONTHLY;BYDAY=1TU', timeZone: zone, startsAt: local('2027-02-02T16:30', zone) });
    const found = occurrences(first, first.startsAt, 4);
    expect(found.map((at) => inZone(at, zone))).toEqual([
      'Tue 2027-02-02 16:30 GMT+1',
      'Tue 2027-03-02 16:30 GMT+1',
      // Europe changes on the last Sunday of March (28 March 2027): UTC+2 from then.
      'Tue 2027-04-06 16:30 GMT+2',
      'Tue 2027-05-04 16:30 GMT+2',
    ]);
    expect(found[2]!.toISOString()).toBe('2027-04-06T14:30:00.000Z');
    expect(first.localDate(found[2]!)).toBe('2027-04-06');
  });

  it('finds the latest occurrence at or before a moment (a ritual back from downtime posts only that one)', () => {
    const monday = Recurrence.of({ rrule: 'FREQ=WEEKLY;BYDAY=MO', timeZone: 'America/Chicago', startsAt });
    expect(monday.latestAtOrBefore(new Date(startsAt.getTime() - 1))).toBeNull();
    expect(monday.latestAtOrBefore(startsAt)).toEqual(startsAt);
    // Three weeks later, on Wednesday: the Monday of that week.
    expect(inZone(monday.latestAtOrBefore(local('2027-03-31T12:00', 'America/Chicago')), 'America/Chicago')).toBe('Mon 2027-03-29 09:00 CDT');
  });

  it('ends with COUNT and UNTIL, and reports no occurrence for a rule that never matches', () => {
    const twice = Recurrence.of({ rrule: 'FREQ=WEEKLY;COUNT=2', timeZone: 'UTC', startsAt: new Date('2027-01-04T09:00:00Z') });
    expect(occurrences(twice, twice.startsAt, 5).map((at) => at.toISOString())).toEqual(['2027-01-04T09:00:00.000Z', '2027-01-11T09:00:00.000Z']);
    expect(twice.next(new Date('2027-01-11T09:00:00Z'))).toBeNull();
    const over = Recurrence.of({ rrule: 'FREQ=WEEKLY;UNTIL=20200101T000000Z', timeZone: 'UTC', startsAt: new Date('2027-01-04T09:00:00Z') });
    expect(over.next(over.startsAt, true)).toBeNull();
    const never = Recurrence.of({ rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', timeZone: 'UTC', startsAt: new Date('2027-01-04T09:00:00Z') });
    expect(never.next(never.startsAt, true)).toBeNull();
  });
});
