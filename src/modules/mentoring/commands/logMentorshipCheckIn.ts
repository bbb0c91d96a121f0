import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { conflict } from '../../../shared/errors';
import { requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { authorizePairing } from '../mentoring.policy';
import { MentorshipCheckIn, MentorshipStatus } from '../mentorshipPairing.entity';
import { loadPairing } from './loadPairing';
import { lockPairing } from './lockRows';

export interface CheckInProps {
  pairingId: string;
  note: string;
}

/**
 * Either participant logs a note on an ACTIVE pairing. The pairing is share-locked, so a check-in never lands
 * after a simultaneous completion has committed.
 */
export async function logMentorshipCheckIn(scope: CommandScope, props: CheckInProps): Promise<MentorshipCheckIn> {
  const member = requireMember(scope.actor);
  const { pairingId } = props;
  const pairing = await loadPairing(scope, pairingId);
  await authorizePairing(scope.actor, 'checkIn', pairing);

  return scope.em.transactional(async (em) => {
    const locked = await lockPairing(em, pairingId, 'for share');
    if (locked.status !== MentorshipStatus.ACTIVE) throw conflict(`This mentorship is ${locked.status}; check-ins need an ACTIVE one`);
    const checkIn = new MentorshipCheckIn();
    checkIn.pairing = locked;
    checkIn.author = em.getReference(Member, member.id);
    checkIn.note = props.note.trim();
    em.persist(checkIn);
    await recordEvent(em, member.id, { type: 'MentorshipCheckIn', ...{ pairingId: locked.id, mentorId: locked.mentor.id, menteeId: locked.mentee.id }, checkInId: checkIn.id, authorId: member.id });
    return checkIn;
  });
}
