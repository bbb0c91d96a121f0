import type { Em } from '../../../db/orm';
import type { StoredEvent } from '../../../events/dispatcher';
import { BACKGROUND } from '../../../jobs/backgroundEm';
import { NotificationKind } from '../../notifications/notification.entity';
import { readsContentSql } from '../../notifications/notification.policy';
import { recipientsSql, registerAudience, type Audience } from '../../notifications/fanout/audiences';
import { MeetingKind, MeetingStatus } from './meeting.entity';
import { RsvpStatus } from './meetingRsvp.entity';

/*
 * Who hears of a meeting (the fan-out leaves the event's actor out; emails show its time in each reader's zone, see
 * meeting.mail.ts):
 * - scheduled (or an annual meeting given its time): the community's members per their membership preference,
 *   MEETING_SCHEDULED (community mail: REALTIME in the inbox and by email, digests read the meeting table, NONE
 *   nothing). An annual meeting the API creates TENTATIVE tells nobody until staff set its time;
 * - moved (its time or place changed): those who answered GOING, INTERESTED or WAITLISTED, MEETING_UPDATED;
 * - cancelled: those who answered, MEETING_CANCELLED.
 * Each also needs the meeting still in the state it announces when the fan-out runs.
 */

type Names = { title: string; kind: MeetingKind; status: MeetingStatus; community: string; actor: string };

async function meetingNames(em: Em, stored: StoredEvent, meetingId: string): Promise<Names | null> {
  const [row] = await em.execute<{ title: string; kind: MeetingKind; status: MeetingStatus; community: string; actor: string | null }[]>(
    'select m.title, m.kind::text as kind, m.status::text as status, c.name as community, (select display_name from member where id = ?) as actor ' +
      'from meeting m join community c on c.id = m.community_id where m.id = ?',
    [stored.actorId, meetingId],
    'all',
    BACKGROUND,
  );
  return row ? { ...row, actor: row.actor ?? 'Someone' } : null;
}

const about = (communityId: string, meetingId: string) => ({ communityId, subjectType: 'Meeting', subjectId: meetingId });
const stillIs = (status: MeetingStatus) => `exists (select 1 from meeting sm where sm.id = ? and sm.status = '${status}')`;

/** REALTIME members who were members when it was scheduled (later joiners find it on the calendar). */
function membersHear(stored: StoredEvent, communityId: string, meetingId: string, title: string): Audience {
  return {
    ...about(communityId, meetingId),
    sql: recipientsSql(
      NotificationKind.MEETING_SCHEDULED,
      '?',
      `select ms.member_id as recipient_id from membership ms where ms.community_id = ? and ms.status = 'ACTIVE' ` +
        `and ms.notification_preference = 'REALTIME' and ms.joined_at <= ? and ${stillIs(MeetingStatus.SCHEDULED)}`,
    ),
    params: [title, communityId, stored.createdAt.toISOString(), meetingId],
  };
}

/** Those who answered it (not NOT_GOING), while they may still read its community. */
function answerersHear(kind: NotificationKind, status: MeetingStatus, communityId: string, meetingId: string, title: string): Audience {
  const answered = [RsvpStatus.GOING, RsvpStatus.INTERESTED, RsvpStatus.WAITLISTED].map((s) => `'${s}'`).join(', ');
  return {
    ...about(communityId, meetingId),
    sql: recipientsSql(
      kind,
      '?',
      `select a.member_id as recipient_id from meeting_rsvp a join member rm on rm.id = a.member_id join community c on c.id = ? ` +
        `where a.meeting_id = ? and a.status in (${answered}) and ${readsContentSql('rm', 'c')} and ${stillIs(status)}`,
    ),
    params: [title, communityId, meetingId, meetingId],
  };
}

type Ref = { communityId: string; meetingId: string };

registerAudience('MeetingScheduled', async (em, stored) => {
  const { communityId, meetingId } = stored.event as Ref;
  const names = await meetingNames(em, stored, meetingId);
  if (!names || names.status === MeetingStatus.TENTATIVE) return null;
  return membersHear(stored, communityId, meetingId, `${names.actor} scheduled “${names.title}” in ${names.community}`);
});

const PLACE = new Set(['url', 'venue']);
const TIME = new Set(['startsAt', 'endsAt']);

registerAudience('MeetingUpdated', async (em, stored) => {
  const { communityId, meetingId, changed, scheduled } = stored.event as Ref & { changed: string[]; scheduled: boolean };
  const moved = changed.some((field) => TIME.has(field));
  if (!scheduled && !moved && !changed.some((field) => PLACE.has(field))) return null;
  const names = await meetingNames(em, stored, meetingId);
  if (!names) return null;
  if (scheduled) {
    const title = names.kind === MeetingKind.ANNUAL ? `The annual meeting of ${names.community} is set: “${names.title}”` : `“${names.title}” in ${names.community} is scheduled`;
    return membersHear(stored, communityId, meetingId, title);
  }
  const title = moved ? `“${names.title}” in ${names.community} moved to a new time` : `“${names.title}” in ${names.community} has a new place`;
  return answerersHear(NotificationKind.MEETING_UPDATED, MeetingStatus.SCHEDULED, communityId, meetingId, title);
});

registerAudience('MeetingCancelled', async (em, stored) => {
  const { communityId, meetingId } = stored.event as Ref;
  const names = await meetingNames(em, stored, meetingId);
  if (!names) return null;
  return answerersHear(NotificationKind.MEETING_CANCELLED, MeetingStatus.CANCELLED, communityId, meetingId, `“${names.title}” in ${names.community} was cancelled`);
});
