import type { Em } from '../../../../db/orm';
import { recordEvent } from '../../../../events/record';
import { BACKGROUND } from '../../../../jobs/backgroundEm';
import { promoteWaitlist } from '../promoteWaitlist';

export const WITHDRAW_ANSWERS_JOB = 'meetings.withdrawLeaversAnswers';

export interface WithdrawAnswersData {
  communityId: string;
  memberId: string;
}

/**
 * A member left a community (MemberLeft): their answers to its meetings ahead (GOING, WAITLISTED, INTERESTED) become
 * NOT_GOING, and each GOING place they held goes to the next waitlisted member. Meetings are locked one at a time in
 * id order, each in its own transaction (the same lock order as everywhere, so no deadlock with answers in flight).
 * Nothing happens if they are an ACTIVE member again by the time this runs (they rejoined: their answers stand).
 * Safe to run twice: a second run finds nothing left to withdraw. Returns the meetings changed.
 */
export async function withdrawLeaversAnswers(em: Em, { communityId, memberId }: WithdrawAnswersData): Promise<number> {
  const meetings = await em.execute<{ meeting_id: string }[]>(
    `select r.meeting_id from meeting_rsvp r join meeting mt on mt.id = r.meeting_id ` +
      `where r.member_id = ? and mt.community_id = ? and r.status in ('GOING', 'WAITLISTED', 'INTERESTED') ` +
      `and mt.status in ('SCHEDULED', 'TENTATIVE') and (mt.starts_at is null or mt.starts_at > now()) order by r.meeting_id`,
    [memberId, communityId],
    'all',
    BACKGROUND,
  );
  let changed = 0;
  for (const { meeting_id: meetingId } of meetings) {
    const done = await em.transactional(
      async (tem) => {
        await tem.execute('select 1 from meeting where id = ? for update', [meetingId], 'all', BACKGROUND);
        // Shared lock on the membership row: a rejoin committing at this instant waits, or is seen.
        const [membership] = await tem.execute<{ status: string }[]>(
          'select status from membership where member_id = ? and community_id = ? for share',
          [memberId, communityId],
          'all',
          BACKGROUND,
        );
        if (membership?.status === 'ACTIVE') return false;
        const [row] = await tem.execute<{ previous: string }[]>(
          `update meeting_rsvp r set status = 'NOT_GOING', answered_at = now() from (select id, status from meeting_rsvp where meeting_id = ? and member_id = ? for update) old ` +
            `where r.id = old.id and old.status in ('GOING', 'WAITLISTED', 'INTERESTED') returning old.status as previous`,
          [meetingId, memberId],
          'all',
          BACKGROUND,
        );
        if (!row) return false;
        await recordEvent(tem, memberId, {
          type: 'RsvpChanged',
          communityId,
          meetingId,
          memberId,
          status: 'NOT_GOING',
          previousStatus: row.previous,
          reason: 'LEFT_COMMUNITY',
        });
        if (row.previous === 'GOING') await promoteWaitlist(tem, meetingId, memberId);
        return true;
      },
      { loggerContext: BACKGROUND },
    );
    if (done) changed += 1;
  }
  return changed;
}
