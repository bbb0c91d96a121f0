import type { Em } from '../../../db/orm';
import type { StoredEvent } from '../../../events/dispatcher';
import { recordedIn } from '../../../events/record';
import { BACKGROUND } from '../../../jobs/backgroundEm';
import { eventKind } from '../../../events/registry';
import type { EmailNotifications } from '../../members/member.entity';
import type { NotificationKind } from '../notification.entity';
import type { Audience } from './audiences';

export interface CreatedNotification {
  id: string;
  recipientId: string;
  kind: NotificationKind;
  emailNotifications: EmailNotifications;
}

/**
 * Makes an event's notifications in one statement, whatever the number of recipients: inserts one per recipient
 * (never the event's actor), skipping those this event already made (unique event, recipient, kind: a re-dispatched
 * event or a retried job creates nothing twice), and records a `NotificationAdded` outbox event for each new one in
 * the same statement: what `recordEvent` would write for a kind without live topics, one row at a time, and
 * thousands of round trips inside the job's transaction are what this avoids. A notification is dated when its event
 * happened (not when the job ran), so an inbox is in the order things happened, whatever order the jobs ran in.
 * Returns the new notifications.
 */
export async function insertNotifications(em: Em, stored: StoredEvent, audience: Audience): Promise<CreatedNotification[]> {
  if (!eventKind('NotificationAdded')) throw new Error('NotificationAdded is not registered');
  const transaction = em.getTransactionContext();
  if (!transaction) throw new Error('insertNotifications outside a transaction');
  const rows = await em.execute<{ id: string; recipient_id: string; kind: NotificationKind; email_notifications: EmailNotifications }[]>(
    `with audience as (${audience.sql}), ` +
      `created as (insert into notification (id, created_at, recipient_id, kind, event_id, actor_id, community_id, subject_type, subject_id, title) ` +
      `select gen_random_uuid(), ?, a.recipient_id, a.kind::notification_kind, ?, ?, ?, ?, ?, a.title from audience a ` +
      `where a.recipient_id is distinct from ?::uuid ` +
      `on conflict (event_id, recipient_id, kind) do nothing returning id, recipient_id, kind), ` +
      `pushed as (insert into domain_event (type, payload, actor_id) ` +
      `select 'NotificationAdded', jsonb_build_object('type', 'NotificationAdded', 'memberId', c.recipient_id, 'notificationId', c.id), ?::uuid from created c) ` +
      `select c.id, c.recipient_id, c.kind::text as kind, m.email_notifications::text as email_notifications ` +
      `from created c join member m on m.id = c.recipient_id`,
    [
      ...audience.params,
      stored.createdAt.toISOString(),
      stored.id,
      stored.actorId,
      audience.communityId,
      audience.subjectType,
      audience.subjectId,
      stored.actorId,
      stored.actorId,
    ],
    'all',
    BACKGROUND,
  );
  if (rows.length) recordedIn.add(transaction);
  return rows.map((row) => ({ id: row.id, recipientId: row.recipient_id, kind: row.kind, emailNotifications: row.email_notifications }));
}
