import type { StoredEvent } from '../../../events/dispatcher';
import { BACKGROUND } from '../../../jobs/backgroundEm';
import { NotificationKind } from '../../notifications/notification.entity';
import { readsContentSql } from '../../notifications/notification.policy';
import { recipientsSql, registerAudience, type Audience } from '../../notifications/fanout/audiences';

/*
 * WAITLIST_PROMOTED is a direct notification (in the inbox, emailed per the member's `emailNotifications`) to the
 * promoted member alone, about the meeting: only while they still hold the place and may read the meeting (a member
 * who left, or answered otherwise, between the promotion and this job hears nothing).
 */
registerAudience('WaitlistPromoted', async (em, stored: StoredEvent): Promise<Audience | null> => {
  const { meetingId, memberId, communityId } = stored.event as { meetingId: string; memberId: string; communityId: string };
  const [row] = await em.execute<{ title: string }[]>('select title from meeting where id = ?', [meetingId], 'all', BACKGROUND);
  if (!row) return null;
  return {
    communityId,
    subjectType: 'Meeting',
    subjectId: meetingId,
    sql: recipientsSql(
      NotificationKind.WAITLIST_PROMOTED,
      '?',
      `select r.member_id as recipient_id from meeting_rsvp r join member rm on rm.id = r.member_id join meeting mt on mt.id = r.meeting_id ` +
        `join community c on c.id = mt.community_id where r.meeting_id = ? and r.member_id = ? and r.status = 'GOING' and ${readsContentSql('rm', 'c')}`,
    ),
    params: [`A place freed up: you are now going to “${row.title}”`, meetingId, memberId],
  };
});
