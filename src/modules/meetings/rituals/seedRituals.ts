import { DateTime } from 'luxon';
import type { Em } from '../../../db/orm';
import { Community } from '../../communities/community.entity';
import { CommunityRole, Membership, MembershipStatus } from '../../communities/membership.entity';
import { Thread, ThreadKind } from '../../discussions/thread.entity';
import { Ritual, RitualOccurrence, RitualOccurrenceStatus } from './ritual.entity';
import { recurrenceOf, upcomingOccurrence } from './ritualDetails';

const DAY = 86_400_000;
const SLUG = 'reading-promotion';
const ZONE = 'America/Chicago';

/**
 * The demo's weekly ritual (inside the seed's transaction, after the memberships): "Shelf check" every Monday at
 * 09:00 in Chicago in Literature and Reading Promotion, hosted in turn by its discussion monitor, its lead and its
 * event coordinator, with the last two Mondays already posted (as the job would have: a PROMPT thread by that week's
 * host, the occurrence recorded) and the next Monday ahead.
 */
export async function seedRituals(em: Em, now: number): Promise<void> {
  await em.flush();
  const community = await em.findOne(Community, { slug: SLUG });
  if (!community) return;
  const memberships = await em.find(Membership, { community, status: MembershipStatus.ACTIVE }, { orderBy: { joinedAt: 'asc', id: 'asc' } });
  const holder = (role: CommunityRole) => memberships.find((m) => m.roles.includes(role));
  const hosts = [holder(CommunityRole.DISCUSSION_MONITOR), holder(CommunityRole.LEAD), holder(CommunityRole.EVENT_COORDINATOR)].filter(
    (m): m is Membership => !!m,
  );
  if (!hosts.length) return;

  const ritual = new Ritual();
  ritual.community = community;
  ritual.createdBy = hosts[0]!.member;
  ritual.title = 'Shelf check';
  ritual.prompt =
    'What is the one book your students asked for most this week, and did you have it? Share the title, the year level, ' +
    'and what you handed them when it was out.';
  ritual.rrule = 'FREQ=WEEKLY;BYDAY=MO';
  ritual.timeZone = ZONE;
  ritual.hostMembershipIds = hosts.map((m) => m.id);
  ritual.createdAt = new Date(now - 20 * DAY);
  ritual.updatedAt = ritual.createdAt;
  // The first Monday, 09:00 in Chicago, of three weeks back: every Monday since is an occurrence, the last two posted.
  let start = DateTime.fromMillis(now - 21 * DAY, { zone: ZONE }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
  while (start.weekday !== 1 || start.toMillis() < now - 21 * DAY) start = start.plus({ days: 1 });
  ritual.startsAt = start.toJSDate();
  const recurrence = recurrenceOf(ritual);
  const posted = [recurrence.latestAtOrBefore(new Date(now - 7 * DAY))!, recurrence.latestAtOrBefore(new Date(now))!];
  ritual.nextOccurrenceAt = upcomingOccurrence(recurrence, new Date(now));
  ritual.nextHostIndex = posted.length % hosts.length;
  em.persist(ritual);

  posted.forEach((at, n) => {
    const host = hosts[n % hosts.length]!;
    const thread = new Thread();
    thread.community = community;
    thread.author = host.member;
    thread.title = `${ritual.title} — ${recurrence.localDate(at)}`;
    thread.body = ritual.prompt;
    thread.kind = ThreadKind.PROMPT;
    thread.tags = ['ritual'];
    thread.createdAt = new Date(at.getTime() + 20_000);
    thread.lastActivityAt = thread.createdAt;
    em.persist(thread);
    const occurrence = new RitualOccurrence();
    occurrence.ritual = ritual;
    occurrence.occurrenceAt = at;
    occurrence.status = RitualOccurrenceStatus.POSTED;
    occurrence.thread = thread;
    occurrence.host = host.member;
    occurrence.createdAt = thread.createdAt;
    em.persist(occurrence);
  });
}
