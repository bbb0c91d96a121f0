import type { Context, Services } from '../../../context';
import { can } from '../../../shared/policy';
import { MembershipStatus, NotificationPreference } from '../../communities/membership.entity';
import { Post } from '../../discussions/post.entity';
import { EmailNotifications, type Member } from '../../members/member.entity';
import { COMMUNITY_KINDS, type Notification } from '../notification.entity';
import { readableSubject } from '../queries/readableSubject';
import '../notification.policy';

export type Decision = 'send' | 'skip' | { later: Date };

/**
 * Whether a notification's email goes out now, decided when the job runs (the member may have read it, changed
 * their mind, or lost the right to read what it is about since it was made):
 * - community mail (NEW_THREAD, ANNOUNCEMENT): the membership is still ACTIVE and REALTIME;
 * - direct: `emailNotifications` now: NEVER skips; WHEN_AWAY needs it unread once EMAIL_DELAY_SECONDS have passed
 *   (a job enqueued at once under ALWAYS, run after a switch to WHEN_AWAY, waits for the delay); ALWAYS sends;
 * - either way the recipient can still read the notification and its subject, and a deleted post is not mailed.
 * `ctx` is the recipient's scope; its reads go through its loaders, so the decisions of a batch share statements.
 */
export async function decide(services: Services, ctx: Context, notification: Notification, member: Member): Promise<Decision> {
  if (notification.emailedAt) return 'skip';
  if (COMMUNITY_KINDS.has(notification.kind)) {
    if (!notification.community) return 'skip';
    const membership = await ctx.actor.membershipIn(notification.community.id);
    if (membership?.status !== MembershipStatus.ACTIVE || membership.notificationPreference !== NotificationPreference.REALTIME) return 'skip';
  } else if (member.emailNotifications === EmailNotifications.NEVER) {
    return 'skip';
  } else if (member.emailNotifications === EmailNotifications.WHEN_AWAY) {
    if (notification.readAt) return 'skip';
    const due = new Date(notification.createdAt.getTime() + services.config.emailDelaySeconds * 1000);
    if (due.getTime() > Date.now() + 500) return { later: due };
  }
  if (!(await can(ctx.actor, 'read', notification))) return 'skip';
  const subject = await readableSubject(ctx, notification);
  if (!subject || (subject instanceof Post && subject.deleted)) return 'skip';
  return 'send';
}
