import type { Em } from '../../../db/orm';
import { BACKGROUND, backgroundEm } from '../../../jobs/backgroundEm';
import type { JobDefinition } from '../../../jobs/queue';
import { scopeFor, type Services } from '../../../context';
import { can } from '../../../shared/policy';
import { Membership, MembershipStatus, NotificationPreference } from '../../communities/membership.entity';
import { Post } from '../../discussions/post.entity';
import { EmailNotifications, Member } from '../../members/member.entity';
import { COMMUNITY_KINDS, Notification } from '../notification.entity';
import { readableSubject } from '../queries/readableSubject';
import { sendNotificationEmail } from './sendNotificationEmail';
import '../notification.policy';

export const EMAIL_JOB = 'notifications.email';

type Decision = 'send' | 'skip' | { later: Date };

/**
 * Whether a notification's email goes out now, decided when the job runs (the member may have read it, changed
 * their mind, or lost the right to read what it is about since it was made):
 * - community mail (NEW_THREAD, ANNOUNCEMENT): the membership is still ACTIVE and REALTIME;
 * - direct: `emailNotifications` now: NEVER skips; WHEN_AWAY needs it unread once EMAIL_DELAY_SECONDS have passed
 *   (a job enqueued at once under ALWAYS, run after a switch to WHEN_AWAY, waits for the delay); ALWAYS sends;
 * - either way the recipient can still read the notification and its subject, and a deleted post is not mailed.
 */
async function decide(services: Services, em: Em, notification: Notification, member: Member): Promise<Decision> {
  if (notification.emailedAt) return 'skip';
  if (COMMUNITY_KINDS.has(notification.kind)) {
    if (!notification.community) return 'skip';
    const membership = await em.findOne(Membership, { member: member.id, community: notification.community.id });
    if (membership?.status !== MembershipStatus.ACTIVE || membership.notificationPreference !== NotificationPreference.REALTIME) return 'skip';
  } else if (member.emailNotifications === EmailNotifications.NEVER) {
    return 'skip';
  } else if (member.emailNotifications === EmailNotifications.WHEN_AWAY) {
    if (notification.readAt) return 'skip';
    const due = new Date(notification.createdAt.getTime() + services.config.emailDelaySeconds * 1000);
    if (due.getTime() > Date.now() + 500) return { later: due };
  }
  const ctx = scopeFor(services, member, em);
  if (!(await can(ctx.actor, 'read', notification))) return 'skip';
  const subject = await readableSubject(ctx, notification);
  if (!subject || (subject instanceof Post && subject.deleted)) return 'skip';
  return 'send';
}

/** `notifications.email { notificationId }`: emails one notification if it should still go (see decide). */
export function emailJob(services: Services): JobDefinition<{ notificationId: string }> {
  return {
    name: EMAIL_JOB,
    // A failing SMTP server: retried with backoff (about 10 s, 20 s, 40 s…), visible in the logs and the queue.
    queue: { retryLimit: 8, retryDelay: 10, retryBackoff: true },
    // Mostly waiting on SMTP: many at once per instance (the SMTP pool holds 8 connections).
    concurrency: 16,
    async handle({ notificationId }) {
      const em = backgroundEm(services.orm);
      const notification = await em.findOne(Notification, { id: notificationId });
      if (!notification) return;
      const member = await em.findOne(Member, { id: notification.recipient.id });
      if (!member) return;
      const decision = await decide(services, em, notification, member);
      if (decision === 'skip') return;
      if (decision !== 'send') {
        await services.jobs.send(EMAIL_JOB, { notificationId }, { startAfter: decision.later });
        return;
      }
      // Claimed before sending, so two runs of this job (a retry racing a slow first run, a rescheduled copy) cannot
      // both send it; a failed send releases the claim for the retry. A worker that dies mid-send loses that one
      // email rather than ever sending it twice (the notification itself stays in the inbox).
      const claimed = await em.execute<{ id: string }[]>(
        'update notification set emailed_at = now() where id = ? and emailed_at is null returning id',
        [notification.id],
        'all',
        BACKGROUND,
      );
      if (!claimed.length) return;
      try {
        await sendNotificationEmail(services, notification, member);
      } catch (error) {
        await em.execute('update notification set emailed_at = null where id = ?', [notification.id], 'run', BACKGROUND);
        throw error;
      }
    },
  };
}
