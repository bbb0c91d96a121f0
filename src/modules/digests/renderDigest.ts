import type { Config } from '../../config';
import { communityLink, formatTime, renderMail, threadLink, type MailList, type MailSection } from '../../mail/render';
import { unsubscribeUrl } from '../../mail/unsubscribe';
import type { OutgoingMail } from '../../mail/mailer';
import { frequencyWord } from './period';
import type { MemberDigest } from './queries/digestContent';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const more = (n: number) => (n > 0 ? `and ${n} more` : undefined);

function summary(digest: MemberDigest): string {
  let threads = 0;
  let resources = 0;
  let active = 0;
  for (const community of digest.communities) {
    threads += community.newThreads.length + community.moreThreads;
    resources += community.newResources.length + community.moreResources;
    active += community.activeThreads.length + community.moreActiveThreads;
  }
  const parts = [
    threads ? plural(threads, 'new thread') : null,
    active ? `${plural(active, 'thread')} with new replies` : null,
    resources ? plural(resources, 'new resource') : null,
  ].filter(Boolean);
  return parts.join(', ');
}

/** The digest email for one member: per community its new threads, active threads and new resources. */
export function renderDigest(config: Config, digest: MemberDigest): Omit<OutgoingMail, 'headers'> {
  const word = frequencyWord(digest.frequency);
  const zone = digest.member.timeZone;
  const count = digest.communities.length;
  const subject = count
    ? `Your ${word} PracticeHub digest: ${summary(digest)} in ${plural(count, 'community', 'communities')}`
    : `Your ${word} PracticeHub digest: nothing new`;
  const sections: MailSection[] = digest.communities.map((community) => {
    const lists: MailList[] = [];
    if (community.newThreads.length) {
      lists.push({
        title: 'New threads',
        items: community.newThreads.map((thread) => ({
          text: thread.title,
          href: threadLink(config, community.slug, thread.id),
          detail: `by ${thread.authorName}, ${formatTime(config, thread.createdAt, zone)} · ${thread.replyCount ? plural(thread.replyCount, 'reply', 'replies') : 'no replies yet'}`,
        })),
        more: more(community.moreThreads),
      });
    }
    if (community.activeThreads.length) {
      lists.push({
        title: 'New replies',
        items: community.activeThreads.map((thread) => ({
          text: thread.title,
          href: threadLink(config, community.slug, thread.id),
          detail: plural(thread.newReplies, 'new reply', 'new replies'),
        })),
        more: more(community.moreActiveThreads),
      });
    }
    if (community.newResources.length) {
      lists.push({
        title: 'New resources',
        items: community.newResources.map((resource) => ({
          text: resource.title,
          href: resource.url,
          detail: `shared by ${resource.sharedByName}, ${formatTime(config, resource.createdAt, zone)}`,
        })),
        more: more(community.moreResources),
      });
    }
    return { heading: community.name, href: communityLink(config, community.slug), lists };
  });
  const since = formatTime(config, digest.since, zone);
  const url = unsubscribeUrl(config, { memberId: digest.member.id, scope: { kind: 'digest', frequency: digest.frequency } });
  const { text, html } = renderMail(config, {
    heading: `Your ${word} digest`,
    paragraphs: [
      `Hello ${digest.member.displayName},`,
      count ? `Here is what is new in your communities since ${since}.` : `Nothing new in your communities since ${since}.`,
    ],
    sections,
    action: { label: 'Open PracticeHub', href: `${config.publicUrl}/demo` },
    reason: `You get this because your membership in these communities is set to the ${word} digest.`,
    unsubscribeUrl: url,
    unsubscribeLabel: `Unsubscribe from the ${word} digest`,
  });
  return { to: digest.member.email, subject, text, html, unsubscribeUrl: url, category: `digest:${digest.frequency}`, memberId: digest.member.id };
}
