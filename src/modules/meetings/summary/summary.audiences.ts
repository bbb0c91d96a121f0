import type { StoredEvent } from '../../../events/dispatcher';
import { BACKGROUND } from '../../../jobs/backgroundEm';
import { NotificationKind } from '../../notifications/notification.entity';
import { readsContentSql } from '../../notifications/notification.policy';
import { recipientsSql, registerAudience, type Audience } from '../../notifications/fanout/audiences';

/*
 * MEETING_SUMMARY is a direct notification (in the inbox, emailed per `emailNotifications`) to everyone the meeting
 * concerned: who attended (recorded attendance), and who answered GOING, INTERESTED or was waiting for a place. It is
 * about the summary thread, so the email opens it and the email job re-reads it through the thread's read rule; the
 * selection keeps those who may read the community now (a RESTRICTED community: its ACTIVE members and staff).
 */
registerAudience('MeetingSummaryPosted', async (em, stored: StoredEvent): Promise<Audience | null> => {
  const { meetingId, threadId, communityId } = stored.event as { meetingId: string; threadId: string; communityId: string };
  const [row] = await em.execute<{ title: string; community: string }[]>(
    'select mt.title, c.name as community from meeting mt join community c on c.id = mt.community_id where mt.id = ?',
    [meetingId],
    'all',
    BACKGROUND,
  );
  if (!row) return null;
  return {
    communityId,
    subjectType: 'Thread',
    subjectId: threadId,
    sql: recipientsSql(
      NotificationKind.MEETING_SUMMARY,
      '?',
      `select rm.id as recipient_id from member rm join community c on c.id = ? where rm.id in (` +
        `select a.member_id from meeting_attendance a where a.meeting_id = ? ` +
        `union select r.member_id from meeting_rsvp r where r.meeting_id = ? and r.status in ('GOING', 'INTERESTED', 'WAITLISTED')) ` +
        `and ${readsContentSql('rm', 'c')}`,
    ),
    params: [`The summary of “${row.title}” (${row.community}) is posted`, communityId, meetingId, meetingId],
  };
});
