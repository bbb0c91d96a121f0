import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { authorize, requireMember } from '../../../../shared/policy';
import { replaceReminders } from '../../reminders/reminderSchedule';
import { promoteWaitlist } from '../../rsvp/promoteWaitlist';
import { MeetingStatus, type Meeting } from '../meeting.entity';
import { applyMeetingDetails, type MeetingDetails } from '../meetingDetails';
import { ORGANISE_REFUSAL } from '../meeting.policy';
import { loadMeeting, lockOpenMeeting } from './lockMeeting';

export interface UpdateMeetingProps extends MeetingDetails {
  meetingId: string;
}

/** The fields compared to tell what an update changed (and what MeetingUpdated says). */
const FIELDS = ['title', 'description', 'startsAt', 'endsAt', 'timeZone', 'url', 'venue', 'capacity', 'reminderMinutesBefore', 'status'] as const;
type Field = (typeof FIELDS)[number];
/** A change of these is a new version for calendars (iCalendar SEQUENCE): its time, its place, its status. */
const CALENDAR_FIELDS: ReadonlySet<Field> = new Set(['startsAt', 'endsAt', 'url', 'venue', 'status']);
const REMINDER_FIELDS: ReadonlySet<Field> = new Set(['startsAt', 'reminderMinutesBefore', 'status']);

const snapshot = (meeting: Meeting): Record<Field, string> =>
  Object.fromEntries(FIELDS.map((field) => [field, JSON.stringify(meeting[field] ?? null)])) as Record<Field, string>;

/**
 * A meeting's organiser (Meeting `organise`: its community's coordinators, LEAD and staff; the ANNUAL meeting:
 * staff) changes its details, checked together as on scheduling (an ANNUAL meeting's start stays in its year's July
 * week). A TENTATIVE meeting given its start becomes SCHEDULED. Cancelled and held meetings are CONFLICT. A change of
 * time, place or status bumps `sequence`; reminders follow the time and offsets. Nothing changed: nothing recorded.
 */
export async function updateMeeting(scope: CommandScope, props: UpdateMeetingProps): Promise<Meeting> {
  const member = requireMember(scope.actor);
  await authorize(scope.actor, 'organise', await loadMeeting(scope, props.meetingId), ORGANISE_REFUSAL);
  const { meetingId, ...details } = props;
  return scope.em.transactional(async (em) => {
    const meeting = await lockOpenMeeting(em, await loadMeeting(scope, meetingId));
    const before = snapshot(meeting);
    const previousStartsAt = meeting.startsAt?.toISOString() ?? null;
    const now = new Date();
    applyMeetingDetails(meeting, details, scope.services.config.orgTimeZone, now);
    const scheduled = meeting.status === MeetingStatus.TENTATIVE && meeting.startsAt !== null;
    if (scheduled) meeting.status = MeetingStatus.SCHEDULED;
    const after = snapshot(meeting);
    const changed = FIELDS.filter((field) => before[field] !== after[field]);
    if (!changed.length) return meeting;
    if (changed.some((field) => CALENDAR_FIELDS.has(field))) meeting.sequence += 1;
    meeting.updatedAt = now;
    if (changed.some((field) => REMINDER_FIELDS.has(field))) await replaceReminders(em, scope.services, meeting, now);
    await recordEvent(em, member.id, {
      type: 'MeetingUpdated',
      communityId: meeting.community.id,
      meetingId: meeting.id,
      kind: meeting.kind,
      changed,
      previousStartsAt,
      scheduled,
    });
    // A raised capacity (or none any more) frees places: the waitlist moves up in order, in this transaction.
    if (changed.includes('capacity')) await promoteWaitlist(em, meeting.id, member.id);
    return meeting;
  });
}
