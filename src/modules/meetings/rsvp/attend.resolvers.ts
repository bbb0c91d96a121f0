import { MeetingAttendanceResolver } from '../attendance/attendance.resolver';
import { MeetingCalendarResolver, MemberCalendarResolver } from '../calendar/calendar.resolver';
import { MeetingSummaryResolver } from '../summary/summary.resolver';
import { MeetingRsvpResolver } from './rsvp.resolver';

/** The GraphQL fields and mutations of answers, attendance, summaries and calendars (src/server/schema.ts spreads them). */
export const ATTEND_RESOLVERS = [MeetingRsvpResolver, MeetingAttendanceResolver, MeetingSummaryResolver, MeetingCalendarResolver, MemberCalendarResolver] as const;
