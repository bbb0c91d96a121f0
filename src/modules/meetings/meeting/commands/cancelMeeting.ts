import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { conflict } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { replaceReminders } from '../../reminders/reminderSchedule';
import { MeetingStatus, type Meeting } from '../meeting.entity';
import { ORGANISE_REFUSAL } from '../meeting.policy';
import { loadMeeting, lockOpenMeeting } from './lockMeeting';

export const ANNUAL_CANCEL_REFUSAL = 'The annual meeting cannot be cancelled: every community holds one each year (staff can change its time with updateMeeting)';

/**
 * A meeting's organiser cancels it: CANCELLED, `sequence` bumped (calendars show it cancelled), its reminders
 * removed with their jobs, and those who answered told (MeetingCancelled). Refused (CONFLICT) for a meeting that is
 * over, cancelled or held, and for the ANNUAL meeting.
 */
export async function cancelMeeting(scope: CommandScope, props: { meetingId: string }): Promise<Meeting> {
  const member = requireMember(scope.actor);
  const loaded = await loadMeeting(scope, props.meetingId);
  // Who may organise it first (a non-organiser learns nothing more); then the contract's rule. CONFLICT, not
  // FORBIDDEN: staff do organise the annual meeting, so it is not a matter of rights; the meeting itself can never
  // be in the CANCELLED state while its community is ACTIVE (as a second annual meeting in a year is CONFLICT); only
  // a retirement cancels it (windDownMeetingContent).
  await authorize(scope.actor, 'organise', loaded, ORGANISE_REFUSAL);
  if (loaded.isAnnual) throw conflict(ANNUAL_CANCEL_REFUSAL);
  return scope.em.transactional(async (em) => {
    const meeting = await lockOpenMeeting(em, loaded);
    const now = new Date();
    const end = meeting.endsAt ?? meeting.startsAt;
    if (end && end.getTime() <= now.getTime()) throw conflict('This meeting is over: it can no longer be cancelled');
    meeting.status = MeetingStatus.CANCELLED;
    meeting.cancelledAt = now;
    meeting.updatedAt = now;
    meeting.sequence += 1;
    await replaceReminders(em, scope.services, meeting, now);
    await recordEvent(em, member.id, { type: 'MeetingCancelled', communityId: meeting.community.id, meetingId: meeting.id, kind: meeting.kind });
    return meeting;
  });
}
