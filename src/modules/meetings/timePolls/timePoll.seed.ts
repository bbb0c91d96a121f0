import { DateTime } from 'luxon';
import type { Em } from '../../../db/orm';
import { Community } from '../../communities/community.entity';
import { CommunityRole, Membership, MembershipStatus } from '../../communities/membership.entity';
import { TimePoll } from './timePoll.entity';
import { TimePollOption } from './timePollOption.entity';
import { TimePollAnswer, TimePollVote } from './timePollVote.entity';

const DAY = 86_400_000;
const { YES, IF_NEEDED, NO } = TimePollAnswer;
/** Each answering member's answers to the three options: the second option is ahead on YES + IF_NEEDED. */
const PATTERNS: TimePollAnswer[][] = [
  [YES, YES, NO],
  [NO, YES, IF_NEEDED],
  [IF_NEEDED, YES, YES],
  [YES, IF_NEEDED, NO],
  [NO, IF_NEEDED, YES],
  [YES, NO],
];

/**
 * The demo's open time poll (inside the seed's transaction, after the memberships): the first community with a
 * meeting coordinator asks which of three afternoons suits a workshop, 16:00 in the coordinator's zone (or the
 * organisation's default), closing in six days; a few members have answered, one of them only some options.
 */
export async function seedTimePolls(em: Em, now: number, zone = 'America/Chicago'): Promise<void> {
  await em.flush();
  const memberships = await em.find(
    Membership,
    { status: MembershipStatus.ACTIVE },
    { populate: ['community', 'member'], orderBy: { community: { slug: 'asc' }, joinedAt: 'asc', member: { email: 'asc' } } },
  );
  const organiser = memberships.find((m) => m.roles.includes(CommunityRole.MEETING_COORDINATOR));
  if (!organiser) return;
  const community = organiser.community as Community;
  const timeZone = organiser.member.timeZone ?? zone;

  const poll = new TimePoll();
  poll.community = community;
  poll.createdBy = organiser.member;
  poll.title = 'Hands-on workshop: AI tools for research projects';
  poll.timeZone = timeZone;
  poll.createdAt = new Date(now - DAY);
  poll.closesAt = new Date(now + 6 * DAY);
  em.persist(poll);
  const start = DateTime.fromMillis(now, { zone: timeZone }).startOf('day');
  const options = [8, 10, 15].map((days, position) => {
    const option = new TimePollOption();
    option.poll = poll;
    option.startsAt = start.plus({ days }).set({ hour: 16 }).toJSDate();
    option.durationMinutes = position === 2 ? 90 : 60;
    option.position = position;
    em.persist(option);
    return option;
  });
  const answering = memberships.filter((m) => m.community.id === community.id && m.id !== organiser.id).slice(0, PATTERNS.length);
  answering.forEach((membership, index) => {
    PATTERNS[index]!.forEach((answer, k) => {
      const vote = new TimePollVote();
      vote.poll = poll;
      vote.option = options[k]!;
      vote.member = membership.member;
      vote.answer = answer;
      vote.answeredAt = new Date(now - DAY + (index + 1) * 3_600_000);
      em.persist(vote);
    });
  });
}
