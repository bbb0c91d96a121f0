import type { StoredEvent } from '../../../events/dispatcher';
import { BACKGROUND } from '../../../jobs/backgroundEm';
import { NotificationKind } from '../../notifications/notification.entity';
import { recipientsSql, registerAudience, type Audience } from '../../notifications/fanout/audiences';

/*
 * SURVEY_OPENED follows the membership's notification preference as NEW_THREAD and ANNOUNCEMENT do: REALTIME members
 * get it in their inbox and by email (it is community mail: COMMUNITY_KINDS), NONE members not at all, and only those
 * who were ACTIVE members when it opened (an ACTIVE membership is what reading a RESTRICTED community asks of a
 * non-staff member, so the selection is the rights check; the inbox and the email job re-check it when they show it).
 * Digest members are not told here: their digest lists the surveys opened since the previous one (digests/queries/openPolls.ts).
 */
registerAudience('SurveyOpened', async (em, stored: StoredEvent): Promise<Audience | null> => {
  const { surveyId, communityId } = stored.event as { surveyId: string; communityId: string };
  const [row] = await em.execute<{ title: string; community: string }[]>(
    'select s.title, c.name as community from survey s join community c on c.id = s.community_id where s.id = ?',
    [surveyId],
    'all',
    BACKGROUND,
  );
  if (!row) return null;
  return {
    communityId,
    subjectType: 'Survey',
    subjectId: surveyId,
    sql: recipientsSql(
      NotificationKind.SURVEY_OPENED,
      '?',
      `select ms.member_id as recipient_id from membership ms where ms.community_id = ? and ms.status = 'ACTIVE' ` +
        `and ms.notification_preference = 'REALTIME' and ms.joined_at <= ?`,
    ),
    params: [`New survey in ${row.community}: “${row.title}”`, communityId, stored.createdAt.toISOString()],
  };
});
