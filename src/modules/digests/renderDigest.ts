import type { Config } from '../../config';
import { communityLink, formatTime, renderMail, threadLink, type MailList, type MailSection } from '../../mail/render';
import { unsubscribeUrl } from '../../mail/unsubscribe';
import { toGlobalId } from '../../shared/ids';
import type { OutgoingMail } from '../../mail/mailer';
import { frequencyWord } from './period';
import type { MemberDigest } from './queries/digestContent';

/** A meeting in the web client (the demo page opens `#c=<slug>&m=<global meeting id>`). */
const meetingLink = (config: Config, slug: string, meetingId: string) =>
  `${config.publicUrl}/demo#c=${encodeURIComponent(slug)}&m=${encodeURIComponent(toGlobalId('Meeting', meetingId))}`;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const more = (n: number) => (n > 0 ? `and ${n} more` : undefined);

function summary(digest: MemberDigest): string {
  let threads = 0;
  let resources = 0;
  let active = 0;
  let meetings = 0;
  let summaries = 0;
  let polls = 0;
  let surveys = 0;
  for (const community of digest.communities) {
    threads += community.newThreads.length + community.moreThreads;
    resources += community.newResources.length + community.moreResources;
    active += community.activeThreads.length + community.moreActiveThreads;
    meetings += community.upcomingMeetings.length + community.moreMeetings;
    summaries += community.meetingSummaries.length + community.moreSummaries;
    polls += community.openTimePolls.length + community.moreTimePolls;
    surveys += community.openSurveys.length + community.moreSurveys;
  }
  const parts = [
    threads ? plural(threads, 'new thread') : null,
    active ? `${plural(active, 'thread')} with new replies` : null,
    resources ? plural(resources, 'new resource') : null,
    meetings ? plural(meetings, 'upcoming meeting') : null,
    summaries ? plural(summaries, 'meeting summary', 'meeting summaries') : null,
    polls ? plural(polls, 'open time poll') : null,
    surveys ? plural(surveys, 'open survey') : null,
  ].filter(Boolean);
  return parts.join(', ');
}

/** Where a meeting is: its venue, its virtual room, or both. */
const placeOf = (meeting: { venue: string | null; url: string | null }) => [meeting.venue, meeting.url ? `online: ${meeting.url}` : null].filter(Boolean).join(' · ');

/** "by Ann, " when the creator is known (a member who is gone leaves no name). */
const by = (name: string | null) => (name ? `by ${name}, ` : '');

/**
 * The digest email for one member: per community its new threads, active threads, new resources, the meetings ahead
 * scheduled or changed since their previous digest (times in the member's zone), the meeting summaries posted, and
 * the time polls and surveys opened since then that still take answers.
 */
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
    if (community.upcomingMeetings.length) {
      lists.push({
        title: 'Upcoming meetings',
        items: community.upcomingMeetings.map((meeting) => ({
          text: meeting.changed ? `${meeting.title} (changed)` : meeting.title,
          href: meetingLink(config, community.slug, meeting.id),
          detail: [formatTime(config, meeting.startsAt, zone), placeOf(meeting)].filter(Boolean).join(' · '),
        })),
        more: more(community.moreMeetings),
      });
    }
    if (community.meetingSummaries.length) {
      lists.push({
        title: 'Meeting summaries',
        items: community.meetingSummaries.map((summary) => ({
          text: `Summary: ${summary.title}`,
          href: summary.threadId ? threadLink(config, community.slug, summary.threadId) : communityLink(config, community.slug),
          detail: `posted${summary.postedByName ? ` by ${summary.postedByName}` : ''}, ${formatTime(config, summary.postedAt, zone)}`,
        })),
        more: more(community.moreSummaries),
      });
    }
    if (community.openTimePolls.length) {
      lists.push({
        title: 'Open time polls',
        items: community.openTimePolls.map((poll) => ({
          text: `When: ${poll.title}`,
          href: communityLink(config, community.slug),
          detail: `${by(poll.createdByName)}${plural(poll.options, 'time')} offered · answers until ${formatTime(config, poll.closesAt, zone)}`,
        })),
        more: more(community.moreTimePolls),
      });
    }
    if (community.openSurveys.length) {
      lists.push({
        title: 'Open surveys',
        items: community.openSurveys.map((survey) => ({
          text: `Survey: ${survey.title}`,
          href: communityLink(config, community.slug),
          detail: `${by(survey.createdByName)}${plural(survey.questions, 'question')} · ${survey.closesAt ? `open until ${formatTime(config, survey.closesAt, zone)}` : 'open until it is closed'}`,
        })),
        more: more(community.moreSurveys),
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
