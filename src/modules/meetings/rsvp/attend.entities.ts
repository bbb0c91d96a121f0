import { MeetingAttendance } from '../attendance/meetingAttendance.entity';
import { CalendarFeed } from '../calendar/calendarFeed.entity';

/** The tables of answers, attendance and calendars (src/db/entities.ts lists them with one line). */
export const ATTEND_ENTITIES = [MeetingAttendance, CalendarFeed];
