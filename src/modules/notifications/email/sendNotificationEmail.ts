import type { Em } from '../../../db/orm';
import type { OutgoingMail } from '../../../mail/mailer';
import { communityLink, publicLink, renderMail, threadLink } from '../../../mail/render';
import { unsubscribeUrl, type UnsubscribeScope } from '../../../mail/unsubscribe';
import type { Services } from '../../../context';
import { Community } from '../../communities/community.entity';
import { Post } from '../../discussions/post.entity';
import type { Member } from '../../members/member.entity';
import { COMMUNITY_KINDS, type Notification } from '../notification.entity';
import { mailDetailsOf } from './mailDetails';

/** What a notification's mail lets its reader stop: that community's mail, or direct notification email. */
export function unsubscribeScopeOf(notification: Notification): UnsubscribeScope {
  return COMMUNITY_KINDS.has(notification.kind) && notification.community
    ? { kind: 'community', communityId: notification.community.id }
    : { kind: 'direct' };
}

/** Where the notification opens in the web client: its thread, its community, or the front page. */
async function linkOf(services: Services, em: Em, notification: Notification): Promise<string> {
  const { config } = services;
  if (!notification.community) return publicLink(config, '/demo');
  const community = await em.findOne(Community, { id: notification.community.id });
  if (!community) return publicLink(config, '/demo');
  let threadId: string | null = null;
  if (notification.subjectType === 'Thread') threadId = notification.subjectId;
  if (notification.subjectType === 'Post' && notification.subjectId) {
    threadId = (await em.findOne(Post, { id: notification.subjectId }))?.thread.id ?? null;
  }
  return threadId ? threadLink(config, community.slug, threadId) : communityLink(config, community.slug);
}

/**
 * The mail of one notification: its title, a link to it, and the one-click unsubscribe of its kind of mail. `em` is
 * the email job's: the community and subject its checks read are already in its identity map, so reading them again
 * here costs no statement.
 */
export async function buildNotificationEmail(services: Services, em: Em, notification: Notification, member: Member): Promise<OutgoingMail> {
  const community = COMMUNITY_KINDS.has(notification.kind);
  const scope = unsubscribeScopeOf(notification);
  const unsubscribe = unsubscribeUrl(services.config, { memberId: member.id, scope });
  const { text, html } = renderMail(services.config, {
    heading: notification.title,
    paragraphs: [`Hello ${member.displayName},`, ...(await mailDetailsOf(services, em, notification, member))],
    action: { label: 'Open it', href: await linkOf(services, em, notification) },
    reason: community
      ? 'You get this email because this community is set to real-time notifications for you.'
      : 'You get this email for notifications addressed to you (email notifications in your profile).',
    unsubscribeUrl: unsubscribe,
    unsubscribeLabel: community ? "Stop this community's emails" : 'Stop emails about notifications',
  });
  return {
    to: member.email,
    subject: notification.title.length > 150 ? `${notification.title.slice(0, 149)}…` : notification.title,
    text,
    html,
    unsubscribeUrl: unsubscribe,
    category: `${community ? 'community' : 'notification'}:${notification.kind}`,
    memberId: member.id,
  };
}

/** Emails one notification (the caller, the email job, has re-checked that it should go). Throws when sending fails. */
export async function sendNotificationEmail(services: Services, em: Em, notification: Notification, member: Member): Promise<void> {
  await services.mailer.send(await buildNotificationEmail(services, em, notification, member));
}
