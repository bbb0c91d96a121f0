import type { Em } from '../../../db/orm';
import { backgroundEm } from '../../../jobs/backgroundEm';
import type { OutgoingMail } from '../../../mail/mailer';
import type { Services } from '../../../context';
import { toGlobalId } from '../../../shared/ids';
import { Community } from '../../communities/community.entity';
import { Post } from '../../discussions/post.entity';
import type { Member } from '../../members/member.entity';
import { COMMUNITY_KINDS, type Notification } from '../notification.entity';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** What a notification's mail lets its reader stop: that community's mail, or direct notification email. */
export type NotificationUnsubscribeScope = { kind: 'community'; communityId: string } | { kind: 'direct' };

export function unsubscribeScopeOf(notification: Notification): NotificationUnsubscribeScope {
  return COMMUNITY_KINDS.has(notification.kind) && notification.community
    ? { kind: 'community', communityId: notification.community.id }
    : { kind: 'direct' };
}

/**
 * TODO(issue 9, mail): replace with `unsubscribeUrl(config, { memberId, scope })` from src/mail/unsubscribe.ts once
 * the mail transport and its signed tokens are on main.
 */
function unsubscribeLink(services: Services, _request: { memberId: string; scope: NotificationUnsubscribeScope }): string {
  return `${services.config.publicUrl}/unsubscribe/pending`;
}

/** Where the notification opens in the web client (today the /demo page: `#c=<slug>&t=<thread id>`). */
async function linkOf(services: Services, em: Em, notification: Notification): Promise<string> {
  const base = `${services.config.publicUrl}/demo`;
  if (!notification.community) return base;
  const community = await em.findOne(Community, { id: notification.community.id });
  if (!community) return base;
  let threadId: string | null = null;
  if (notification.subjectType === 'Thread') threadId = notification.subjectId;
  if (notification.subjectType === 'Post' && notification.subjectId) {
    threadId = (await em.findOne(Post, { id: notification.subjectId }))?.thread.id ?? null;
  }
  const hash = `#c=${encodeURIComponent(community.slug)}${threadId ? `&t=${encodeURIComponent(toGlobalId('Thread', threadId))}` : ''}`;
  return `${base}${hash}`;
}

/** The mail of one notification: its title, a link to it, and the one-click unsubscribe of its kind of mail. */
export async function buildNotificationEmail(services: Services, notification: Notification, member: Member): Promise<OutgoingMail> {
  const em = backgroundEm(services.orm);
  const link = await linkOf(services, em, notification);
  const inbox = `${services.config.publicUrl}/demo`;
  const unsubscribeUrl = unsubscribeLink(services, { memberId: member.id, scope: unsubscribeScopeOf(notification) });
  const community = COMMUNITY_KINDS.has(notification.kind);
  const why = community
    ? 'You get this email because your membership is set to real-time notifications.'
    : 'You get this email for notifications addressed to you; change this in your profile (email notifications).';
  const subject = notification.title.length > 150 ? `${notification.title.slice(0, 149)}…` : notification.title;
  const text = [`Hello ${member.displayName},`, '', notification.title, '', `Open it: ${link}`, `Your notifications: ${inbox}`, '', why, `Unsubscribe: ${unsubscribeUrl}`, ''].join('\n');
  const html =
    `<!doctype html><html><body>` +
    `<p>Hello ${escapeHtml(member.displayName)},</p>` +
    `<p><strong>${escapeHtml(notification.title)}</strong></p>` +
    `<p><a href="${escapeHtml(link)}">Open it</a> · <a href="${escapeHtml(inbox)}">Your notifications</a></p>` +
    `<p style="color:#666;font-size:small">${escapeHtml(why)} <a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a></p>` +
    `</body></html>`;
  return {
    to: member.email,
    subject,
    text,
    html,
    unsubscribeUrl,
    category: `${community ? 'community' : 'notification'}:${notification.kind}`,
    memberId: member.id,
  };
}

/** Emails one notification (the caller, the email job, has re-checked that it should go). Throws when sending fails. */
export async function sendNotificationEmail(services: Services, notification: Notification, member: Member): Promise<void> {
  await services.mailer.send(await buildNotificationEmail(services, notification, member));
}
