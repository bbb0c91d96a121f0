import type { DomainEvent } from '../../../events/registry';
import { BACKGROUND } from '../../../jobs/backgroundEm';
import { NotificationKind } from '../../notifications/notification.entity';
import { namesFor, registerAudience } from '../../notifications/fanout/audiences';
import { knownZone, pollOpenedTitle } from './timePollTitles';

/**
 * A new time poll goes to the community's ACTIVE members who get its mail in real time (digest members find it in
 * their digest's open time polls, NONE members not at all) and were members when it opened, while it still takes answers.
 * Each reads the times in their own zone (else the poll's): one title per zone among the recipients, picked per row,
 * so the fan-out stays one statement however many members.
 */
registerAudience('TimePollCreated', async (em, stored) => {
  const event = stored.event as DomainEvent<'TimePollCreated'>;
  const [poll] = await em.execute<{ title: string; time_zone: string; closes_at: Date }[]>(
    'select title, time_zone, closes_at from time_poll where id = ?',
    [event.pollId],
    'all',
    BACKGROUND,
  );
  if (!poll) return null;
  const options = await em.execute<{ starts_at: Date }[]>(
    'select starts_at from time_poll_option where poll_id = ? order by starts_at, position',
    [event.pollId],
    'all',
    BACKGROUND,
  );
  const recipients =
    `from membership ms join member rm on rm.id = ms.member_id where ms.community_id = ? and ms.status = 'ACTIVE' ` +
    `and ms.notification_preference = 'REALTIME' and ms.joined_at <= ?`;
  const joinedBy = stored.createdAt.toISOString();
  const zones = await em.execute<{ zone: string }[]>(
    `select distinct rm.time_zone as zone ${recipients} and rm.time_zone is not null`,
    [event.communityId, joinedBy],
    'all',
    BACKGROUND,
  );
  const names = await namesFor(em, stored, null);
  const opened = {
    actor: names.actor,
    community: names.community ?? 'your community',
    title: poll.title,
    startsAt: options.map((o) => new Date(o.starts_at)),
    closesAt: new Date(poll.closes_at),
  };
  const fallback = pollOpenedTitle(opened, poll.time_zone);
  const titles = Object.fromEntries(zones.filter((z) => knownZone(z.zone)).map((z) => [z.zone, pollOpenedTitle(opened, z.zone)]));
  return {
    communityId: event.communityId,
    subjectType: 'TimePoll',
    subjectId: event.pollId,
    sql:
      `select ms.member_id as recipient_id, '${NotificationKind.TIME_POLL_OPENED}'::text as kind, ` +
      `coalesce(?::jsonb ->> rm.time_zone, ?) as title ${recipients} ` +
      'and exists (select 1 from time_poll p where p.id = ? and p.closed_at is null and p.closes_at > now())',
    params: [JSON.stringify(titles), fallback, event.communityId, joinedBy, event.pollId],
  };
});
