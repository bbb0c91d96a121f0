import type { DomainEvent } from '../../../events/registry';
import { BACKGROUND } from '../../../jobs/backgroundEm';
import { NotificationKind } from '../../notifications/notification.entity';
import { recipientsSql, registerAudience } from '../../notifications/fanout/audiences';
import { readsContentSql } from '../../notifications/notification.policy';

/*
 * Who hears of a ritual's occurrence: its host, told it is their turn (RITUAL_PROMPT, about the thread, so it leaves
 * their inbox like any content notification if they lose access). The community hears of the thread itself through
 * its ThreadStarted (NEW_THREAD to REALTIME members, the host excepted as its author).
 */
registerAudience('RitualPrompted', async (em, stored) => {
  const event = stored.event as DomainEvent<'RitualPrompted'>;
  const [row] = await em.execute<{ title: string | null; community: string | null }[]>(
    'select (select title from ritual where id = ?) as title, (select name from community where id = ?) as community',
    [event.ritualId, event.communityId],
    'all',
    BACKGROUND,
  );
  const ritual = row?.title ?? 'a ritual';
  return {
    communityId: event.communityId,
    subjectType: 'Thread',
    subjectId: event.threadId,
    sql: recipientsSql(
      NotificationKind.RITUAL_PROMPT,
      '?',
      `select rm.id as recipient_id from member rm join thread t on t.id = ? join community c on c.id = t.community_id ` +
        `where rm.id = ? and ${readsContentSql('rm', 'c')}`,
    ),
    params: [`It is your turn to host “${ritual}” in ${row?.community ?? 'your community'}: its prompt is posted`, event.threadId, event.hostMemberId],
  };
});
