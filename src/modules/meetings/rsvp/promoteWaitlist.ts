import type { Em } from '../../../db/orm';
import { recordEvent } from '../../../events/record';
import { MeetingStatus } from '../meeting/meeting.entity';

/**
 * Gives free places to the waitlist, earliest first (`answered_at`, then id), inside the caller's transaction: the
 * meeting row is locked FOR UPDATE (a no-op when the caller holds it already), so concurrent answers wait and no place
 * is given twice. Each promoted member becomes GOING and a `WaitlistPromoted` event tells them (WAITLIST_PROMOTED).
 * Without a capacity, everyone waitlisted is promoted. A cancelled or held meeting, or one that has started, promotes
 * nobody. Returns the promoted members' ids, in waitlist order.
 *
 * Call it after anything that may free a place: an answer leaving GOING (rsvp), a member leaving the community
 * (rsvp.background), and updateMeeting raising the capacity. It flushes the entity manager first, so a capacity just
 * set on the entity is what it reads. `actorId`: who freed the place (null: the system).
 */
export async function promoteWaitlist(em: Em, meetingId: string, actorId: string | null = null): Promise<string[]> {
  if (!em.getTransactionContext()) throw new Error('promoteWaitlist outside a transaction: the promotion would not be atomic with its cause');
  await em.flush();
  const [meeting] = await em.execute<{ community_id: string; capacity: number | null; status: MeetingStatus; starts_at: string | Date | null }[]>(
    'select community_id, capacity, status, starts_at from meeting where id = ? for update',
    [meetingId],
  );
  if (!meeting || meeting.status === MeetingStatus.CANCELLED || meeting.status === MeetingStatus.HELD) return [];
  if (meeting.starts_at !== null && new Date(meeting.starts_at).getTime() <= Date.now()) return [];
  let places: number | null = null;
  if (meeting.capacity !== null) {
    const [row] = await em.execute<{ n: string | number }[]>("select count(*) as n from meeting_rsvp where meeting_id = ? and status = 'GOING'", [meetingId]);
    places = meeting.capacity - Number(row!.n);
    if (places <= 0) return [];
  }
  // The promoted keep their place in the order they answered; their answer is dated now (when they got the place).
  const promoted = await em.execute<{ id: string; member_id: string; answered_at: string | Date }[]>(
    `with next as (select id, answered_at as waited_since from meeting_rsvp where meeting_id = ? and status = 'WAITLISTED' ` +
      `order by answered_at, id ${places === null ? '' : 'limit ?'} for update) ` +
      `update meeting_rsvp r set status = 'GOING', answered_at = now() from next where r.id = next.id returning r.id, r.member_id, next.waited_since as answered_at`,
    places === null ? [meetingId] : [meetingId, places],
  );
  promoted.sort((a, b) => new Date(a.answered_at).getTime() - new Date(b.answered_at).getTime() || a.id.localeCompare(b.id));
  for (const { member_id: memberId } of promoted) {
    await recordEvent(em, actorId, { type: 'WaitlistPromoted', communityId: meeting.community_id, meetingId, memberId });
    await recordEvent(em, actorId, { type: 'RsvpChanged', communityId: meeting.community_id, meetingId, memberId, status: 'GOING', previousStatus: 'WAITLISTED' });
  }
  return promoted.map((row) => row.member_id);
}
