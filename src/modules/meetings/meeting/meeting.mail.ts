import { BACKGROUND } from '../../../jobs/backgroundEm';
import { formatTime } from '../../../mail/render';
import { NotificationKind } from '../../notifications/notification.entity';
import { registerMailDetails } from '../../notifications/email/mailDetails';
import { Meeting, MeetingStatus } from './meeting.entity';

const MINUTE = 60_000;

function length(startsAt: Date, endsAt: Date | null): string {
  const minutes = endsAt ? Math.round((endsAt.getTime() - startsAt.getTime()) / MINUTE) : 60;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minutes`;
}

/**
 * A meeting notification's email: when (in the reader's time zone: Member.timeZone, else ORG_TIME_ZONE; the API
 * itself speaks UTC), where, and for a moved meeting when it was before.
 */
registerMailDetails('Meeting', async (services, em, notification, member) => {
  const meeting = await em.findOne(Meeting, { id: notification.subjectId! });
  if (!meeting) return [];
  const at = (date: Date) => formatTime(services.config, date, member.timeZone);
  const lines: string[] = [];
  if (!meeting.startsAt) {
    lines.push(`When: the second week of July${meeting.annualYear ? ` ${meeting.annualYear}` : ''} (the time is still to be set)`);
  } else if (meeting.status === MeetingStatus.CANCELLED) {
    lines.push(`It was to take place ${at(meeting.startsAt)}.`);
  } else {
    lines.push(`When: ${at(meeting.startsAt)}, ${length(meeting.startsAt, meeting.endsAt)}`);
  }
  if (notification.kind === NotificationKind.MEETING_UPDATED && notification.eventId) {
    const [event] = await em.execute<{ previous: string | null }[]>("select payload->>'previousStartsAt' as previous from domain_event where id = ?", [notification.eventId], 'all', BACKGROUND);
    if (event?.previous && event.previous !== meeting.startsAt?.toISOString()) lines.push(`Before: ${at(new Date(event.previous))}`);
  }
  if (meeting.status !== MeetingStatus.CANCELLED) {
    if (meeting.venue) lines.push(`Where: ${meeting.venue}`);
    if (meeting.url) lines.push(`Online: ${meeting.url}`);
  }
  return lines;
});
