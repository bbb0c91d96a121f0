import { LockMode } from '@mikro-orm/core';
import type { Em } from '../../../db/orm';
import type { CommandScope } from '../../../context';
import { conflict, notFound } from '../../../shared/errors';
import { lockWritableCommunity } from '../../communities/commands/lockWritableCommunity';
import { Meeting, MeetingStatus } from '../meeting/meeting.entity';

/** The meeting with this database ID through the request's loaders (NOT_FOUND), for the checks before a transaction. */
export async function findMeeting(scope: Pick<CommandScope, 'loaders'>, meetingId: string): Promise<Meeting> {
  const meeting = await scope.loaders.byId(Meeting).load(meetingId);
  if (!meeting) throw notFound('Meeting');
  return meeting;
}

/**
 * Inside the writing transaction: the community's write lock (SHARE: a retired community is read-only), then the
 * meeting row FOR UPDATE, re-read. Every answer, promotion, attendance record and summary of one meeting queues on
 * that row, so "is there a place left?" is asked by one transaction at a time and a meeting never overfills.
 */
export async function lockMeetingRow(em: Em, meeting: Pick<Meeting, 'id' | 'community'>): Promise<Meeting> {
  await lockWritableCommunity(em, meeting.community.id);
  const locked = await em.findOne(Meeting, { id: meeting.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!locked) throw notFound('Meeting');
  return locked;
}

/** Over: it has ended (without an end: started). The same rule as the meetings lists' `upcoming`. */
export const isOver = (meeting: Meeting, now = new Date()) =>
  meeting.startsAt !== null && (meeting.endsAt ?? meeting.startsAt).getTime() <= now.getTime();

export const hasStarted = (meeting: Meeting, now = new Date()) => meeting.startsAt !== null && meeting.startsAt.getTime() <= now.getTime();

/**
 * Answers are taken until the meeting starts: a cancelled one, a held one, or one under way or over is CONFLICT (the
 * meeting's state, not the member's rights, stands in the way). A TENTATIVE meeting (the annual meeting before staff
 * set its time) takes answers.
 */
export function refuseClosedForAnswers(meeting: Meeting, now = new Date()): void {
  if (meeting.status === MeetingStatus.CANCELLED) throw conflict('This meeting was cancelled: it takes no more answers');
  if (meeting.status === MeetingStatus.HELD) throw conflict('This meeting was held: it takes no more answers');
  if (hasStarted(meeting, now)) throw conflict('This meeting has started: answers closed at its start');
}

/**
 * Attendance and the summary come after the start: a meeting not started yet (or still without a time) and a
 * cancelled one are CONFLICT.
 */
export function refuseNotStarted(meeting: Meeting, now = new Date()): void {
  if (meeting.status === MeetingStatus.CANCELLED) throw conflict('This meeting was cancelled');
  if (!hasStarted(meeting, now)) throw conflict('This meeting has not started yet');
}
