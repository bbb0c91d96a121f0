import { LockMode } from '@mikro-orm/core';
import type { Services } from '../../../context';
import type { Em } from '../../../db/orm';
import { recordEvent } from '../../../events/record';
import { Meeting, MeetingStatus } from '../meeting/meeting.entity';
import { replaceReminders } from '../reminders/reminderSchedule';

/** What a retirement stopped, for its audit entry. */
export interface WoundDown {
  meetingsCancelled: number;
  ritualsPaused: number;
  timePollsClosed: number;
  surveysClosed: number;
}

/**
 * A community that becomes RETIRED (retired, split or merged; whatever a split or merge moves out has gone already)
 * holds no more meetings and runs nothing, inside the retirement's transaction (which holds the community's row
 * FOR UPDATE, so no organiser's change or answer races it):
 * - every meeting ahead (TENTATIVE or SCHEDULED, not started yet, or still without a time) is CANCELLED as
 *   cancelMeeting does it: `sequence` bumped (calendars show it cancelled), its reminders removed with their jobs,
 *   MeetingCancelled recorded (those who answered are told; webhooks see MEETING_UPDATED, status CANCELLED). That
 *   includes its coming ANNUAL meeting: the annual rule is for ACTIVE communities (the annual job creates none for a
 *   retired one), so it is cancelled rather than deleted, which would leave stale copies in calendars and answers
 *   nobody is told about. A meeting under way is left to finish;
 * - every unpaused ritual is paused (RitualPauseChanged): `paused` says why nothing more is posted;
 * - every open time poll is closed on no option (TimePollClosed, chosenBy NONE) and every open survey closed
 *   (SurveyClosed): a read-only community takes no answers, so they no longer show OPEN. Results stay readable.
 * The actor is the staff member who retired it.
 */
export async function windDownMeetingContent(em: Em, services: Pick<Services, 'jobs'>, actorId: string, communityId: string, now = new Date()): Promise<WoundDown> {
  const ahead = await em.find(
    Meeting,
    { community: communityId, status: { $in: [MeetingStatus.TENTATIVE, MeetingStatus.SCHEDULED] }, $or: [{ startsAt: null }, { startsAt: { $gt: now } }] },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { sortAt: 'asc', id: 'asc' } },
  );
  for (const meeting of ahead) {
    meeting.status = MeetingStatus.CANCELLED;
    meeting.cancelledAt = now;
    meeting.updatedAt = now;
    meeting.sequence += 1;
    await replaceReminders(em, services, meeting, now);
    await recordEvent(em, actorId, { type: 'MeetingCancelled', communityId, meetingId: meeting.id, kind: meeting.kind });
  }

  const rituals = await em.execute<{ id: string }[]>('update ritual set paused = true, updated_at = ? where community_id = ? and paused = false returning id', [now, communityId]);
  for (const { id } of rituals) await recordEvent(em, actorId, { type: 'RitualPauseChanged', communityId, ritualId: id, paused: true });

  const polls = await em.execute<{ id: string }[]>(
    'update time_poll set closed_at = ?, closed_by_id = ? where community_id = ? and closed_at is null and closes_at > ? returning id',
    [now, actorId, communityId, now],
  );
  for (const { id } of polls) await recordEvent(em, actorId, { type: 'TimePollClosed', communityId, pollId: id, optionId: null, chosenBy: 'NONE', meetingId: null });

  const surveys = await em.execute<{ id: string }[]>(
    'update survey set closed_at = ?, closed_by_id = ? where community_id = ? and closed_at is null and (closes_at is null or closes_at > ?) returning id',
    [now, actorId, communityId, now],
  );
  for (const { id } of surveys) await recordEvent(em, actorId, { type: 'SurveyClosed', communityId, surveyId: id });

  return { meetingsCancelled: ahead.length, ritualsPaused: rituals.length, timePollsClosed: polls.length, surveysClosed: surveys.length };
}
