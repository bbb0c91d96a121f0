import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import type { Config } from '../../../config';
import { toGlobalId } from '../../../shared/ids';
import { ANNUAL_FIRST_DAY, ANNUAL_LAST_DAY } from '../meeting/annualWeek';
import { MeetingStatus, type Meeting } from '../meeting/meeting.entity';

/** What a VEVENT needs besides the meeting: its community's name and slug (for the description and the link). */
export interface CalendarEntry {
  meeting: Meeting;
  community: { name: string; slug: string };
}

const STATUS: Record<MeetingStatus, string> = {
  [MeetingStatus.TENTATIVE]: 'TENTATIVE',
  [MeetingStatus.SCHEDULED]: 'CONFIRMED',
  [MeetingStatus.HELD]: 'CONFIRMED',
  [MeetingStatus.CANCELLED]: 'CANCELLED',
};

const utc = (date: Date) => ICAL.Time.fromJSDate(date, true);
const day = (year: number, month: number, dayOfMonth: number) => ICAL.Time.fromData({ year, month, day: dayOfMonth, isDate: true });

/** `<meeting uuid>@<public host>`: the same for every version of the meeting, so calendars update their copy. */
export const meetingUid = (config: Pick<Config, 'publicUrl'>, meeting: Meeting) => `${meeting.id}@${new URL(config.publicUrl).host}`;

/** The meeting in the web client (the demo page opens `#c=<slug>&m=<global meeting id>`). */
export const meetingLink = (config: Pick<Config, 'publicUrl'>, slug: string, meeting: Meeting) =>
  `${config.publicUrl}/demo#c=${encodeURIComponent(slug)}&m=${encodeURIComponent(toGlobalId('Meeting', meeting.id))}`;

function vevent(config: Config, { meeting, community }: CalendarEntry, stamp: Date): InstanceType<typeof ICAL.Component> {
  const event = new ICAL.Component('vevent');
  event.addPropertyWithValue('uid', meetingUid(config, meeting));
  event.addPropertyWithValue('dtstamp', utc(stamp));
  event.addPropertyWithValue('created', utc(meeting.createdAt));
  event.addPropertyWithValue('last-modified', utc(meeting.updatedAt));
  event.addPropertyWithValue('sequence', meeting.sequence);
  if (meeting.startsAt) {
    // Instants in UTC: every calendar shows them in its own zone, with no VTIMEZONE to get wrong.
    event.addPropertyWithValue('dtstart', utc(meeting.startsAt));
    event.addPropertyWithValue('dtend', utc(meeting.endsAt ?? meeting.startsAt));
  } else {
    // A TENTATIVE annual meeting without its time yet: an all-day event over its July week (DTEND is exclusive).
    const year = meeting.annualYear ?? DateTime.fromJSDate(meeting.sortAt, { zone: config.orgTimeZone }).year;
    event.addPropertyWithValue('dtstart', day(year, 7, ANNUAL_FIRST_DAY));
    event.addPropertyWithValue('dtend', day(year, 7, ANNUAL_LAST_DAY + 1));
  }
  event.addPropertyWithValue('summary', meeting.title);
  const description = [
    meeting.description,
    meeting.url ? `Join online: ${meeting.url}` : null,
    `${community.name} on PracticeHub`,
    meeting.summary ? `Summary:\n${meeting.summary}` : null,
  ].filter((part): part is string => !!part);
  event.addPropertyWithValue('description', description.join('\n\n'));
  const location = meeting.venue ?? meeting.url;
  if (location) event.addPropertyWithValue('location', location);
  event.addPropertyWithValue('url', meetingLink(config, community.slug, meeting));
  event.addPropertyWithValue('status', STATUS[meeting.status]);
  if (meeting.status === MeetingStatus.TENTATIVE && !meeting.startsAt) event.addPropertyWithValue('transp', 'TRANSPARENT');
  return event;
}

/**
 * An RFC 5545 VCALENDAR (METHOD:PUBLISH) with one VEVENT per meeting, built and serialised by ical.js: TEXT values
 * escaped (commas, semicolons, backslashes, line breaks), lines folded at 75 octets counting the continuation's
 * leading space, CRLF line ends.
 */
export function icsDocument(config: Config, entries: CalendarEntry[], options: { name?: string; now?: Date } = {}): string {
  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('prodid', '-//PracticeHub//Meetings//EN');
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('calscale', 'GREGORIAN');
  calendar.addPropertyWithValue('method', 'PUBLISH');
  if (options.name) calendar.addPropertyWithValue('x-wr-calname', options.name);
  const stamp = options.now ?? new Date();
  for (const entry of entries) calendar.addSubcomponent(vevent(config, entry, stamp));
  // ical.js folds when a line's octets exceed foldLength, and a continuation line starts with a space: 74 keeps
  // every physical line within RFC 5545's 75 octets. Synchronous, so no other serialisation sees the setting.
  const foldLength = ICAL.foldLength;
  ICAL.foldLength = 74;
  try {
    return `${calendar.toString()}\r\n`;
  } finally {
    ICAL.foldLength = foldLength;
  }
}
