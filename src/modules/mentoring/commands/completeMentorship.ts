import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { conflict } from '../../../shared/errors';
import { requireMember } from '../../../shared/policy';
import { authorizePairing } from '../mentoring.policy';
import { MentorshipPairing, MentorshipStatus } from '../mentorshipPairing.entity';
import { loadPairing, type PairingProps } from './loadPairing';
import { lockPairing, lockProfileOfMember } from './lockRows';

/** Either participant completes an ACTIVE pairing, which frees the mentor's place. */
export async function completeMentorship(scope: CommandScope, { pairingId }: PairingProps): Promise<MentorshipPairing> {
  const actor = requireMember(scope.actor);
  const pairing = await loadPairing(scope, pairingId);
  await authorizePairing(scope.actor, 'complete', pairing);

  return scope.em.transactional(async (em) => {
    const profile = await lockProfileOfMember(em, pairing.mentor.id);
    const locked = await lockPairing(em, pairingId);
    if (locked.status !== MentorshipStatus.ACTIVE) throw conflict(`This mentorship is ${locked.status}; only an ACTIVE one can be completed`);
    locked.status = MentorshipStatus.COMPLETED;
    locked.completedAt = new Date();
    if (profile) profile.activeMenteeCount = Math.max(0, profile.activeMenteeCount - 1);
    await recordEvent(em, actor.id, { type: 'MentorshipCompleted', ...{ pairingId: locked.id, mentorId: locked.mentor.id, menteeId: locked.mentee.id } });
    return locked;
  });
}
