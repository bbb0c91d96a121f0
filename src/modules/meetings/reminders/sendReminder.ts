import type { Em } from '../../../db/orm';
import type { Services } from '../../../context';
import { recordEvent } from '../../../events/record';
import type { StoredEvent } from '../../../events/storedEvent';
import { BACKGROUND, backgroundEm } from '../../../jobs/backgroundEm';
import { ORG_ABILITIES } from '../../members/organisation.policy';
import { NotificationKind } from '../../notifications/notification.entity';
import { recipientsSql, type Audience } from '../../notifications/fanout/audiences';
import { emailJobsFor } from '../../notifications/fanout/fanoutJob';
import { insertNotifications } from '../../notifications/fanout/insertNotifications';
import { EMAIL_JOB } from '../../notifications/email/emailJob';
import { MeetingStatus } from '../meeting/meeting.entity';
import { RsvpStatus } from '../meeting/meetingRsvp.entity';

/** "in 1 day", "in 2 hours", "in 90 minutes": how far ahead a reminder's meeting starts. */
export function startsIn(minutes: number): string {
  const plural = (n: number, unit: string) => `in ${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes % 1440 === 0) return plural(minutes / 1440, 'day');
  if (minutes % 60 === 0) return plural(minutes / 60, 'hour');
  return plural(minutes, 'minute');
}

const SUPERVISING = ORG_ABILITIES.superviseCommunities.map((role) => `'${role}'`).join(', ');

/**
 * Those a reminder goes to: GOING and INTERESTED answers (never NOT_GOING or WAITLISTED) of members who still
 * belong: an ACTIVE membership of the community, or an org role that supervises every community. A member who left
 * (even an OPEN community, which they could still read) or was removed is not reminded of its meetings.
 */
function reminderAudience(communityId: string, meetingId: string, title: string): Audience {
  return {
    communityId,
    subjectType: 'Meeting',
    subjectId: meetingId,
    sql: recipientsSql(
      NotificationKind.MEETING_REMINDER,
      '?',
      `select a.member_id as recipient_id from meeting_rsvp a join member rm on rm.id = a.member_id ` +
        `where a.meeting_id = ? and a.status in ('${RsvpStatus.GOING}', '${RsvpStatus.INTERESTED}') and (rm.org_role::text in (${SUPERVISING}) ` +
        `or exists (select 1 from membership ms where ms.member_id = a.member_id and ms.community_id = ? and ms.status = 'ACTIVE'))`,
    ),
    params: [title, meetingId, communityId],
  };
}

const CLOCK_SKEW_MS = 5_000;

type Claimed = { id: string; meeting_id: string; minutes_before: number; community_id: string; title: string; kind: string };

/**
 * Sends one reminder, exactly once whatever runs it (its job on any instance, a retry, the sweep): in one
 * transaction the row is claimed (`sent_at`, only while unsent, still due at the job's `dueAt`, and its meeting
 * still SCHEDULED and not started), the MeetingReminderSent event recorded, every recipient's MEETING_REMINDER made
 * in one statement (keyed by the event: unique event, recipient, kind) and their emails queued per each member's
 * `emailNotifications`. A second run finds the row claimed and does nothing; a moved meeting's old job finds no row
 * with its due time; a cancelled meeting's, no row. Returns the notifications made, or null when it sent nothing.
 */
export async function sendReminder(services: Services, reminderId: string, dueAt: Date, now = new Date()): Promise<number | null> {
  const em = backgroundEm(services.orm);
  return em.transactional(
    async (tem) => {
      const [claimed] = await tem.execute<Claimed[]>(
        `update meeting_reminder r set sent_at = ? from meeting m ` +
          `where r.id = ? and r.sent_at is null and r.due_at = ? and r.due_at <= ? and m.id = r.meeting_id ` +
          `and m.status = '${MeetingStatus.SCHEDULED}' and m.starts_at > ? ` +
          `returning r.id, r.meeting_id, r.minutes_before, m.community_id, m.title, m.kind::text as kind`,
        // The queue starts a job by the database's clock: a few seconds of skew against this process's are not "early".
        [now, reminderId, dueAt, new Date(now.getTime() + CLOCK_SKEW_MS), now],
        'all',
        BACKGROUND,
      );
      if (!claimed) return null;
      return fanOutReminder(services, tem as Em, claimed, now);
    },
    { loggerContext: BACKGROUND },
  );
}

async function fanOutReminder(services: Services, em: Em, claimed: Claimed, now: Date): Promise<number> {
  const event = {
    type: 'MeetingReminderSent' as const,
    communityId: claimed.community_id,
    meetingId: claimed.meeting_id,
    kind: claimed.kind,
    reminderId: claimed.id,
    minutesBefore: claimed.minutes_before,
  };
  const eventId = await recordEvent(em, null, event);
  const stored: StoredEvent = { id: eventId, type: event.type, event, actorId: null, communityId: claimed.community_id, createdAt: now, live: null };
  const title = `Reminder: “${claimed.title}” starts ${startsIn(claimed.minutes_before)}`;
  const created = await insertNotifications(em, stored, reminderAudience(claimed.community_id, claimed.meeting_id, title));
  await services.jobs.sendMany(EMAIL_JOB, emailJobsFor(services, created, now.getTime()), { em });
  return created.length;
}

/** Rows the sweep takes per run; a backlog beyond it is taken by the next runs. */
const SWEEP_BATCH = 500;

/**
 * The safety net for lost jobs (an enqueue that failed after commit cannot happen, but a job deleted by hand, a queue
 * wiped, or demo data seeded without jobs can): every unsent reminder due at least `graceMs` ago whose meeting is
 * still ahead is sent through the same claim as its job. Returns how many reminders it sent.
 */
export async function sweepReminders(services: Services, now = new Date(), graceMs = 60_000): Promise<number> {
  const em = backgroundEm(services.orm);
  const due = await em.execute<{ id: string; due_at: Date | string }[]>(
    `select r.id, r.due_at from meeting_reminder r join meeting m on m.id = r.meeting_id ` +
      `where r.sent_at is null and r.due_at <= ? and m.status = '${MeetingStatus.SCHEDULED}' and m.starts_at > ? order by r.due_at limit ${SWEEP_BATCH}`,
    [new Date(now.getTime() - graceMs), now],
    'all',
    BACKGROUND,
  );
  let sent = 0;
  for (const row of due) {
    if ((await sendReminder(services, row.id, new Date(row.due_at), now)) !== null) sent += 1;
  }
  return sent;
}
