import type { Em } from '../../../db/orm';
import type { StoredEvent } from '../../../events/dispatcher';
import type { DomainEvent } from '../../../events/registry';
import { NotificationKind } from '../notification.entity';
import { readsContentSql } from '../notification.policy';
import { BACKGROUND } from '../../../jobs/backgroundEm';

/**
 * Who hears of one event: a SELECT of `(recipient_id, kind, title)` rows, one per recipient, and what the
 * notifications are about. The rights on the subject are part of the SELECT (readContent as SQL), so a fan-out to
 * thousands stays one statement; the event's actor is never among the recipients (see insertNotifications).
 */
export interface Audience {
  communityId: string | null;
  subjectType: string;
  subjectId: string;
  /** Selects `recipient_id, kind, title`, each recipient once. */
  sql: string;
  params: unknown[];
}

/** How another module's event kind finds its audience (see registerAudience). */
export type AudienceOf = (em: Em, stored: StoredEvent) => Promise<Audience | null>;
const registered = new Map<string, AudienceOf>();

/**
 * A module declares who hears of its own event kinds (governance, meetings…) next to its commands, instead of a
 * case here: `registerAudience('ProposalSubmitted', async (em, stored) => ({ …, sql: recipientsSql(kind, '?', …) }))`.
 */
export function registerAudience(type: string, audience: AudienceOf): void {
  if (registered.has(type) || BUILT_IN.has(type)) throw new Error(`The audience of ${type} is declared twice`);
  registered.set(type, audience);
}

/** Whether an event kind notifies someone (the consumer enqueues a fan-out job for these only). */
export function notifies(type: string): boolean {
  return BUILT_IN.has(type) || registered.has(type);
}

/** The first release's kinds, whose audiences are the cases below. */
const BUILT_IN = new Set([
  'PostAdded',
  'ThreadStarted',
  'AnswerAccepted',
  'MembershipRequested',
  'MembershipApproved',
  'RoleGranted',
  'MentorshipRequested',
  'MentorshipAnswered',
  'MentorshipCheckIn',
]);

/** How a role reads in a notification title ("a discussion monitor"); other modules' titles use it too. */
export const ROLE_NAMES: Record<string, string> = {
  DISCUSSION_MONITOR: 'discussion monitor',
  MEETING_COORDINATOR: 'meeting coordinator',
  EVENT_COORDINATOR: 'event coordinator',
  LEAD: 'lead',
};
const withArticle = (role: string) => `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;

type Names = { actor: string; thread?: { title: string; kind: string } | null; community?: string | null };

/** The display names a notification title needs: the actor's, the thread's (when given) and the community's. */
export async function namesFor(em: Em, stored: StoredEvent, threadId: string | null): Promise<Names> {
  const [row] = await em.execute<{ actor: string | null; title: string | null; kind: string | null; community: string | null }[]>(
    `select (select display_name from member where id = ?) as actor, t.title, t.kind::text as kind, ` +
      `(select name from community where id = ?) as community from (select 1) one left join thread t on t.id = ?`,
    [stored.actorId, stored.communityId, threadId],
    'all',
    BACKGROUND,
  );
  return {
    actor: row?.actor ?? 'Someone',
    thread: row?.title != null ? { title: row.title, kind: row.kind! } : null,
    community: row?.community ?? null,
  };
}

/** An audience SELECT: every `recipient_id` of `fromSql` gets a notification of `kind` titled `title` (SQL: usually `?`). */
export const recipientsSql = (kind: NotificationKind, title: string, fromSql: string) =>
  `select x.recipient_id, '${kind}'::text as kind, ${title} as title from (${fromSql}) x`;

/** The audience of an event, or null when it notifies nobody (or what it was about is gone). */
export async function audienceOf(em: Em, stored: StoredEvent): Promise<Audience | null> {
  const audience = registered.get(stored.type);
  if (audience) return audience(em, stored);
  const event = stored.event as DomainEvent;
  switch (event.type) {
    case 'PostAdded': {
      const names = await namesFor(em, stored, event.threadId);
      if (!names.thread) return null;
      const where = `“${names.thread.title}”`;
      // The parent's author hears of a reply to their post (the more specific kind when they also wrote the thread),
      // the thread's author of a reply to their thread, earlier repliers of a reply in a thread they replied to.
      return {
        communityId: event.communityId,
        subjectType: 'Post',
        subjectId: event.postId,
        sql:
          `select distinct on (r.recipient_id) r.recipient_id, r.kind, r.title from (` +
          `select p.author_id as recipient_id, 'REPLY_TO_POST' as kind, ? as title, 1 as rank from post p where p.id = ? and p.deleted_at is null ` +
          `union all select t.author_id, 'REPLY_TO_THREAD', ?, 2 from thread t where t.id = ? ` +
          `union all select p.author_id, 'REPLY_TO_THREAD', ?, 3 from post p where p.thread_id = ? and p.deleted_at is null and p.id <> ? ` +
          `and p.created_at <= (select created_at from post where id = ?)` +
          `) r join member rm on rm.id = r.recipient_id join community c on c.id = ? ` +
          `where exists (select 1 from post np where np.id = ? and np.deleted_at is null and np.author_id <> r.recipient_id) and ${readsContentSql('rm', 'c')} ` +
          `order by r.recipient_id, r.rank`,
        params: [
          `${names.actor} replied to your post in ${where}`,
          event.parentPostId,
          `${names.actor} replied to your thread ${where}`,
          event.threadId,
          `${names.actor} replied in ${where}`,
          event.threadId,
          event.postId,
          event.postId,
          event.communityId,
          event.postId,
        ],
      };
    }
    case 'ThreadStarted': {
      const names = await namesFor(em, stored, event.threadId);
      if (!names.thread) return null;
      const announcement = names.thread.kind === 'ANNOUNCEMENT';
      const title = announcement
        ? `Announcement in ${names.community}: “${names.thread.title}”`
        : `${names.actor} started “${names.thread.title}” in ${names.community}`;
      // REALTIME members only (digest members read it in their digest, NONE members not at all), who were members
      // when it was started. An ACTIVE
      // membership is what readContent asks of a non-staff member, so the selection is the rights check.
      return {
        communityId: event.communityId,
        subjectType: 'Thread',
        subjectId: event.threadId,
        sql: recipientsSql(
          announcement ? NotificationKind.ANNOUNCEMENT : NotificationKind.NEW_THREAD,
          '?',
          // Members who joined after the thread was started (before this job ran) find it in the feed, not the inbox.
          `select ms.member_id as recipient_id from membership ms where ms.community_id = ? and ms.status = 'ACTIVE' ` +
            `and ms.notification_preference = 'REALTIME' and ms.joined_at <= ?`,
        ),
        params: [title, event.communityId, stored.createdAt.toISOString()],
      };
    }
    case 'AnswerAccepted': {
      const names = await namesFor(em, stored, event.threadId);
      if (!names.thread) return null;
      return {
        communityId: event.communityId,
        subjectType: 'Post',
        subjectId: event.postId,
        sql: recipientsSql(
          NotificationKind.ANSWER_ACCEPTED,
          '?',
          `select p.author_id as recipient_id from post p join member rm on rm.id = p.author_id join community c on c.id = ? ` +
            `where p.id = ? and p.deleted_at is null and ${readsContentSql('rm', 'c')}`,
        ),
        params: [`${names.actor} accepted your answer in “${names.thread.title}”`, event.communityId, event.postId],
      };
    }
    case 'MembershipRequested': {
      const names = await namesFor(em, stored, null);
      // The community's LEADs decide on requests; nothing once the request was decided.
      return {
        communityId: event.communityId,
        subjectType: 'Membership',
        subjectId: event.membershipId,
        sql: recipientsSql(
          NotificationKind.MEMBERSHIP_REQUESTED,
          '?',
          `select ms.member_id as recipient_id from membership ms where ms.community_id = ? and ms.status = 'ACTIVE' and 'LEAD' = any(ms.roles) ` +
            `and exists (select 1 from membership q where q.id = ? and q.status = 'PENDING')`,
        ),
        params: [`${names.actor} asked to join ${names.community}`, event.communityId, event.membershipId],
      };
    }
    case 'MembershipApproved': {
      const names = await namesFor(em, stored, null);
      return {
        communityId: event.communityId,
        subjectType: 'Membership',
        subjectId: event.membershipId,
        sql: recipientsSql(NotificationKind.MEMBERSHIP_APPROVED, '?', `select q.member_id as recipient_id from membership q where q.id = ? and q.status = 'ACTIVE'`),
        params: [`You are now a member of ${names.community}`, event.membershipId],
      };
    }
    case 'RoleGranted': {
      const names = await namesFor(em, stored, null);
      return {
        communityId: event.communityId,
        subjectType: 'Membership',
        subjectId: event.membershipId,
        sql: recipientsSql(
          NotificationKind.ROLE_GRANTED,
          '?',
          `select q.member_id as recipient_id from membership q where q.id = ? and q.status = 'ACTIVE' and ? = any(q.roles)`,
        ),
        params: [`${names.actor} made you ${withArticle(ROLE_NAMES[event.role] ?? event.role)} of ${names.community}`, event.membershipId, event.role],
      };
    }
    case 'MentorshipRequested':
    case 'MentorshipAnswered':
    case 'MentorshipCheckIn': {
      const names = await namesFor(em, stored, null);
      const pairing = (column: string) => `select ${column} as recipient_id from mentorship_pairing q where q.id = ?`;
      const subject = { communityId: null, subjectType: 'MentorshipPairing', subjectId: event.pairingId };
      if (event.type === 'MentorshipRequested') {
        return { ...subject, sql: recipientsSql(NotificationKind.MENTORSHIP_REQUESTED, '?', pairing('q.mentor_id')), params: [`${names.actor} asked you to be their mentor`, event.pairingId] };
      }
      if (event.type === 'MentorshipAnswered') {
        const answer = event.accepted ? 'accepted' : 'declined';
        return { ...subject, sql: recipientsSql(NotificationKind.MENTORSHIP_ANSWERED, '?', pairing('q.mentee_id')), params: [`${names.actor} ${answer} your mentorship request`, event.pairingId] };
      }
      return {
        ...subject,
        sql: recipientsSql(NotificationKind.MENTORSHIP_CHECK_IN, '?', `${pairing('case when q.mentor_id = ? then q.mentee_id else q.mentor_id end')}`),
        params: [`${names.actor} logged a check-in in your mentorship`, event.authorId, event.pairingId],
      };
    }
    default:
      return null;
  }
}
