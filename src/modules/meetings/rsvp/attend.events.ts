/** The event kinds (and notification audiences) of answers, attendance, summaries and calendars: one import for registerEvents. */
import './rsvp.events';
import '../attendance/attendance.events';
import '../summary/summary.events';
import '../calendar/calendar.events';
