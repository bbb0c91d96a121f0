import { recordEvent } from '../../../events/record';
import type { Context } from '../../../context';
import { conflict } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import type { CheckInInput } from '../mentoring.inputs';
import { authorizePairing } from '../mentoring.policy';
import { MentorshipCheckIn, MentorshipStatus } from '../mentorshipPairing.entity';
import { loadPairing } from './loadPairing';
import { lockPairing } from './lockRows';

/**
 * Either participant logs a note on an ACTIVE pairing. The pairing is share-locked, so a check-in never lands
 * after a simultaneous completion has committed.
 */
export async function logMentorshipCheckIn(ctx: Context, input: CheckInInput): Promise<MentorshipCheckIn> {
  const member = requireMember(ctx.actor);
  const pairingId = parseId(input.pairingId, 'MentorshipPairing', 'pairingId');
  const pairing = await loadPairing(ctx, pairingId);
  await authorizePairing(ctx.actor, 'checkIn', pairing);

  return ctx.em.transactional(async (em) => {
    const locked = await lockPairing(em, pairingId, 'for share');
    if (locked.status !== MentorshipStatus.ACTIVE) throw conflict(`This mentorship is ${locked.status}; check-ins need an ACTIVE one`);
    const checkIn = new MentorshipCheckIn();
    checkIn.pairing = locked;
    checkIn.author = em.getReference(Member, member.id);
    checkIn.note = input.note.trim();
    em.persist(checkIn);
    await recordEvent(em, member.id, { type: 'MentorshipCheckIn', ...{ pairingId: locked.id, mentorId: locked.mentor.id, menteeId: locked.mentee.id }, checkInId: checkIn.id, authorId: member.id });
    return checkIn;
  });
}
