import { LockMode } from '@mikro-orm/core';
import type { Em } from '../../../../db/orm';
import type { CommandScope } from '../../../../context';
import { conflict, notFound } from '../../../../shared/errors';
import { lockWritableCommunity } from '../../../communities/commands/lockWritableCommunity';
import { Meeting, MeetingStatus } from '../meeting.entity';

/** The meeting with this database ID through the request's loaders (NOT_FOUND), for the checks before a transaction. */
export async function loadMeeting(scope: CommandScope, meetingId: string): Promise<Meeting> {
  const meeting = await scope.loaders.byId(Meeting).load(meetingId);
  if (!meeting) throw notFound('Meeting');
  return meeting;
}

/**
 * Inside the writing transaction: the community's write lock (a retired community is read-only), then the meeting
 * re-read FOR UPDATE (concurrent changes, answers and cancellations queue up), refused when it can change no more.
 */
export async function lockOpenMeeting(em: Em, meeting: Meeting): Promise<Meeting> {
  await lockWritableCommunity(em, meeting.community.id);
  const locked = await em.findOne(Meeting, { id: meeting.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!locked) throw notFound('Meeting');
  if (locked.status === MeetingStatus.CANCELLED) throw conflict('This meeting was cancelled: it can no longer be changed');
  if (locked.status === MeetingStatus.HELD) throw conflict('This meeting was held (its attendance is recorded): it can no longer be changed');
  return locked;
}
