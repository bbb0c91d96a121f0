import type { Context } from '../../../context';
import { notFound } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { mentorProfileOfMemberLoader } from '../mentoring.loaders';
import { MentorshipPairing, OPEN_MENTORSHIP_STATUSES } from '../mentorshipPairing.entity';
import { normalizeTopics } from '../topics';

/**
 * Why `mentorMatches` would not offer this mentor to the viewer: every rule the mentor fails, in words; empty
 * when they would be offered. It checks exactly what the matching query filters on: a mentor profile, accepting
 * mentees, a free place, not the viewer, no open (PROPOSED or ACTIVE) pairing between the two, and — when `topics`
 * is given, as the viewer gave them to `mentorMatches` — at least one shared topic. Without `topics` the topic
 * rule is not checked (matching has no topics of its own to fall back on). Ranking is not a reason: a mentor
 * with an empty answer may still fall below `first`.
 */
export async function whyNotMentor(ctx: Context, mentorGlobalId: string, topics: string[] | null | undefined): Promise<string[]> {
  const viewer = requireMember(ctx.actor);
  const mentorId = parseId(mentorGlobalId, 'Member', 'mentorId');
  const mentor = await ctx.loaders.byId(Member).load(mentorId);
  if (!mentor) throw notFound('Member');

  const reasons: string[] = [];
  if (mentorId === viewer.id) reasons.push('That is you: nobody is offered as their own mentor');
  const profile = await mentorProfileOfMemberLoader(ctx.loaders).load(mentorId);
  if (!profile) return [...reasons, 'They have no mentor profile'];

  if (!profile.acceptingMentees) reasons.push('They are not accepting mentees at the moment');
  if (profile.capacity === 0) reasons.push('They take no mentees at the moment (capacity 0)');
  else if (profile.freePlaces === 0) {
    reasons.push(`They have no free place (${profile.activeMenteeCount} of ${profile.capacity} taken)`);
  }
  if (mentorId !== viewer.id) {
    const open = await ctx.em.findOne(
      MentorshipPairing,
      {
        status: { $in: OPEN_MENTORSHIP_STATUSES },
        $or: [
          { mentor: mentorId, mentee: viewer.id },
          { mentor: viewer.id, mentee: mentorId },
        ],
      },
      { fields: ['status'] },
    );
    if (open) reasons.push(`You already have a ${open.status} mentorship with them`);
  }
  if (topics) {
    const wanted = normalizeTopics(topics);
    if (!wanted.some((topic) => profile.topics.includes(topic))) {
      reasons.push(`They share none of your topics (they mentor in: ${profile.topics.join(', ')})`);
    }
  }
  return reasons;
}
