import type { Em } from '../../../db/orm';
import type { StoredEvent } from '../../../events/dispatcher';
import { loadStoredEvent } from '../../../events/storedEvent';
import { BACKGROUND, backgroundEm } from '../../../jobs/backgroundEm';
import type { JobDefinition } from '../../../jobs/queue';
import type { Services } from '../../../context';
import { EmailNotifications } from '../../members/member.entity';
import { COMMUNITY_KINDS } from '../notification.entity';
import { EMAIL_JOB } from '../email/emailJob';
import { audienceOf } from './audiences';
import { insertNotifications, type CreatedNotification } from './insertNotifications';

export const FANOUT_JOB = 'notifications.fanout';

/**
 * When each new notification is emailed: community mail (REALTIME memberships: NEW_THREAD, ANNOUNCEMENT…) at once,
 * as the membership preference asks; direct notifications per the member's `emailNotifications` (ALWAYS at once,
 * WHEN_AWAY after EMAIL_DELAY_SECONDS if still unread then, NEVER not at all). The email job re-checks all of it.
 */
export function emailJobsFor(services: Services, created: CreatedNotification[], now = Date.now()): { data: { notificationId: string }; startAfter?: Date }[] {
  const delayed = new Date(now + services.config.emailDelaySeconds * 1000);
  const jobs: { data: { notificationId: string }; startAfter?: Date }[] = [];
  for (const notification of created) {
    const data = { notificationId: notification.id };
    if (COMMUNITY_KINDS.has(notification.kind) || notification.emailNotifications === EmailNotifications.ALWAYS) jobs.push({ data });
    else if (notification.emailNotifications === EmailNotifications.WHEN_AWAY) jobs.push({ data, startAfter: delayed });
  }
  return jobs;
}

/** Makes one event's notifications and enqueues their emails, in one transaction (a retry redoes nothing twice). */
export async function fanOut(services: Services, em: Em, stored: StoredEvent): Promise<CreatedNotification[]> {
  return em.transactional(
    async (tem) => {
      const audience = await audienceOf(tem, stored);
      if (!audience) return [];
      const created = await insertNotifications(tem, stored, audience);
      await services.jobs.sendMany(EMAIL_JOB, emailJobsFor(services, created), { em: tem });
      return created;
    },
    { loggerContext: BACKGROUND },
  );
}

/** `notifications.fanout { eventId }`: enqueued by the notifications consumer for each event that notifies someone. */
export function fanoutJob(services: Services): JobDefinition<{ eventId: string }> {
  return {
    name: FANOUT_JOB,
    queue: { retryLimit: 5, retryDelay: 5, retryBackoff: true },
    async handle({ eventId }) {
      const em = backgroundEm(services.orm);
      const stored = await loadStoredEvent(em, eventId);
      if (!stored) return;
      await fanOut(services, em, stored);
    },
  };
}
