import { recordEvent } from '../../../events/record';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Context } from '../../../context';
import { requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import type { MentorProfileInput } from '../mentoring.inputs';
import { MentorProfile } from '../mentorProfile.entity';
import { normalizeTopics } from '../topics';
import { lockProfileOfMember } from './lockRows';

/**
 * Creates or replaces the viewer's mentor profile. Topics and capacity are always given; bio and acceptingMentees
 * keep their current values when omitted. Lowering capacity below the ACTIVE mentorships ends none of them: the
 * mentor simply has no free place until enough are completed.
 */
export async function upsertMentorProfile(ctx: Context, input: MentorProfileInput): Promise<MentorProfile> {
  const member = requireMember(ctx.actor);
  const topics = normalizeTopics(input.topics);
  const bio = input.bio === undefined ? undefined : input.bio?.trim() || null;

  const write = () =>
    ctx.em.transactional(async (em) => {
      // The lock serialises concurrent upserts of one member (and any accept changing the mentee count).
      let profile = await lockProfileOfMember(em, member.id);
      if (!profile) {
        profile = new MentorProfile();
        profile.member = em.getReference(Member, member.id);
      }
      profile.topics = topics;
      profile.capacity = input.capacity;
      if (bio !== undefined) profile.bio = bio;
      if (input.acceptingMentees !== undefined && input.acceptingMentees !== null) profile.acceptingMentees = input.acceptingMentees;
      em.persist(profile);
      await recordEvent(em, member.id, { type: 'MentorProfileUpdated', memberId: member.id });
      return profile;
    });

  try {
    return await write();
  } catch (error) {
    // Two first upserts of the same member at once: the other one created the row; update it instead.
    if (error instanceof UniqueConstraintViolationException) return write();
    throw error;
  }
}
