import { recordEvent } from '../../../events/record';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { CommandScope } from '../../../context';
import { requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { MentorProfile } from '../mentorProfile.entity';
import { normalizeTopics } from '../topics';
import { lockProfileOfMember } from './lockRows';

export interface MentorProfileProps {
  topics: string[];
  capacity: number;
  /** Omitted (undefined): keep the current bio; null or blank clears it. */
  bio?: string | null;
  /** Omitted or null: keep the current setting. */
  acceptingMentees?: boolean | null;
}

/**
 * Creates or replaces the viewer's mentor profile. Topics and capacity are always given; bio and acceptingMentees
 * keep their current values when omitted. Lowering capacity below the ACTIVE mentorships ends none of them: the
 * mentor simply has no free place until enough are completed.
 */
export async function upsertMentorProfile(scope: CommandScope, props: MentorProfileProps): Promise<MentorProfile> {
  const member = requireMember(scope.actor);
  const topics = normalizeTopics(props.topics);
  const bio = props.bio === undefined ? undefined : props.bio?.trim() || null;

  const write = () =>
    scope.em.transactional(async (em) => {
      // The lock serialises concurrent upserts of one member (and any accept changing the mentee count).
      let profile = await lockProfileOfMember(em, member.id);
      if (!profile) {
        profile = new MentorProfile();
        profile.member = em.getReference(Member, member.id);
      }
      profile.topics = topics;
      profile.capacity = props.capacity;
      if (bio !== undefined) profile.bio = bio;
      if (props.acceptingMentees !== undefined && props.acceptingMentees !== null) profile.acceptingMentees = props.acceptingMentees;
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
