import { recordEvent } from '../../../events/record';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { CommandScope } from '../../../context';
import { badField, conflict, forbidden, notFound } from '../../../shared/errors';
import { requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { mentorProfileOfMemberLoader } from '../mentoring.loaders';
import { MentorshipPairing, MentorshipStatus, OPEN_MENTORSHIP_STATUSES } from '../mentorshipPairing.entity';
import { normalizeTopics } from '../topics';

const trimmedOrNull = (text: string | null | undefined) => text?.trim() || null;

export interface RequestMentorshipProps {
  /** The mentor's member ID. */
  mentorId: string;
  topics: string[];
  goals?: string | null;
  message?: string | null;
}

/**
 * A mentee asks a mentor: PROPOSED until the mentor responds. Refused for oneself (BAD_USER_INPUT), for a member
 * without a mentor profile (NOT_FOUND), a mentor not accepting mentees (FORBIDDEN) or without a free place, and
 * while the two already have an open (PROPOSED or ACTIVE) pairing in either direction (CONFLICT). The last rule is
 * a unique index, so two simultaneous requests cannot both get in.
 */
export async function requestMentorship(scope: CommandScope, props: RequestMentorshipProps): Promise<MentorshipPairing> {
  const mentee = requireMember(scope.actor);
  const { mentorId } = props;
  if (mentorId === mentee.id) throw badField('mentorId', 'You cannot be your own mentor');
  const topics = normalizeTopics(props.topics);

  const mentor = await scope.loaders.byId(Member).load(mentorId);
  if (!mentor) throw notFound('Mentor');
  const profile = await mentorProfileOfMemberLoader(scope.loaders).load(mentorId);
  if (!profile) throw notFound('Mentor profile');
  if (!profile.acceptingMentees) throw forbidden('This mentor is not accepting mentees');
  if (profile.freePlaces === 0) throw conflict('This mentor has no free place at the moment');

  const duplicate = () => conflict('You already have an open mentorship with this member');
  try {
    return await scope.em.transactional(async (em) => {
      const open = await em.count(MentorshipPairing, {
        status: { $in: OPEN_MENTORSHIP_STATUSES },
        $or: [
          { mentor: mentorId, mentee: mentee.id },
          { mentor: mentee.id, mentee: mentorId },
        ],
      });
      if (open > 0) throw duplicate();
      const pairing = new MentorshipPairing();
      pairing.mentor = em.getReference(Member, mentorId);
      pairing.mentee = em.getReference(Member, mentee.id);
      pairing.status = MentorshipStatus.PROPOSED;
      pairing.topics = topics;
      pairing.goals = trimmedOrNull(props.goals);
      pairing.message = trimmedOrNull(props.message);
      em.persist(pairing);
      await recordEvent(em, mentee.id, { type: 'MentorshipRequested', pairingId: pairing.id, mentorId, menteeId: mentee.id });
      return pairing;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw duplicate();
    throw error;
  }
}
