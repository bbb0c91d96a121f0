import type { CommandScope } from '../../../../context';
import type { Em } from '../../../../db/orm';
import { recordEvent } from '../../../../events/record';
import { authorize, requireMember } from '../../../../shared/policy';
import { Member } from '../../../members/member.entity';
import type { Meeting } from '../../meeting/meeting.entity';
import { MeetingRsvp, RsvpStatus } from '../../meeting/meetingRsvp.entity';
import { findMeeting, lockMeetingRow, refuseClosedForAnswers } from '../lockMeetingRow';
import { promoteWaitlist } from '../promoteWaitlist';
import { RSVP_REFUSAL } from '../rsvp.policy';

/** What a member answers; WAITLISTED is never asked for, it is what GOING becomes when the meeting is full. */
export type RsvpAnswer = RsvpStatus.GOING | RsvpStatus.INTERESTED | RsvpStatus.NOT_GOING;

export interface RsvpProps {
  meetingId: string;
  status: RsvpAnswer;
}

/** GOING members now, read under the meeting's lock. */
async function goingCount(em: Em, meetingId: string): Promise<number> {
  const [row] = await em.execute<{ n: string | number }[]>("select count(*) as n from meeting_rsvp where meeting_id = ? and status = 'GOING'", [meetingId]);
  return Number(row!.n);
}

/**
 * The waitlist's order is `answered_at`: a new waitlisted answer goes after everyone already waiting, even within the
 * same millisecond (transactions take the lock one after another, and the clock's resolution is a millisecond).
 */
async function waitlistTail(em: Em, meetingId: string, now: Date): Promise<Date> {
  const [row] = await em.execute<{ last: string | Date | null }[]>(
    "select max(answered_at) as last from meeting_rsvp where meeting_id = ? and status = 'WAITLISTED'",
    [meetingId],
  );
  const last = row?.last ? new Date(row.last).getTime() : 0;
  return new Date(Math.max(now.getTime(), last + 1));
}

/** The status an answer takes: GOING beyond the capacity is WAITLISTED; answering what one has already is no change. */
async function nextStatus(em: Em, meeting: Meeting, previous: RsvpStatus | null, answer: RsvpAnswer): Promise<RsvpStatus | null> {
  if (answer !== RsvpStatus.GOING) return previous === answer ? null : answer;
  // Already going, or already waiting: keep the place (a waitlisted member answering GOING again keeps their turn).
  if (previous === RsvpStatus.GOING || previous === RsvpStatus.WAITLISTED) return null;
  // Places freed without a promotion (a capacity raised by a path that did not promote) go to those waiting first.
  const [waiting] = await em.execute<{ any: boolean }[]>(
    "select exists (select 1 from meeting_rsvp where meeting_id = ? and status = 'WAITLISTED') as any",
    [meeting.id],
  );
  if (waiting?.any) await promoteWaitlist(em, meeting.id, null);
  if (meeting.capacity !== null && (await goingCount(em, meeting.id)) >= meeting.capacity) return RsvpStatus.WAITLISTED;
  return RsvpStatus.GOING;
}

/**
 * An ACTIVE member of the meeting's community answers GOING, INTERESTED or NOT_GOING, until the meeting starts
 * (cancelled, held or started: CONFLICT). Under the meeting's row lock: a GOING answer beyond the capacity is
 * WAITLISTED, at the end of the waitlist; an answer leaving GOING frees a place, which goes to the earliest waitlisted
 * member (promoteWaitlist). Concurrent answers take the lock in turn, so the meeting never overfills and the
 * waitlist is in the order the answers arrived.
 */
export async function rsvp(scope: CommandScope, props: RsvpProps): Promise<Meeting> {
  const member = requireMember(scope.actor);
  await authorize(scope.actor, 'rsvp', await findMeeting(scope, props.meetingId), RSVP_REFUSAL);
  return scope.em.transactional(async (em) => {
    const meeting = await lockMeetingRow(em, await findMeeting(scope, props.meetingId));
    const now = new Date();
    refuseClosedForAnswers(meeting, now);
    const existing = await em.findOne(MeetingRsvp, { meeting: meeting.id, member: member.id });
    const previous = existing?.status ?? null;
    const status = await nextStatus(em, meeting, previous, props.status);
    if (status === null) return meeting;

    const answer = existing ?? new MeetingRsvp();
    if (!existing) {
      answer.meeting = meeting;
      answer.member = em.getReference(Member, member.id);
      em.persist(answer);
    }
    answer.status = status;
    answer.answeredAt = status === RsvpStatus.WAITLISTED ? await waitlistTail(em, meeting.id, now) : now;
    const communityId = meeting.community.id;
    await recordEvent(em, member.id, { type: 'RsvpChanged', communityId, meetingId: meeting.id, memberId: member.id, status, previousStatus: previous });
    if (previous === RsvpStatus.GOING) await promoteWaitlist(em, meeting.id, member.id);
    return meeting;
  });
}
