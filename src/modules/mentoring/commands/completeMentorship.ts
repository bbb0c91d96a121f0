import { recordEvent } from '../../../events/record';
import type { Context } from '../../../context';
import { conflict } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { requireMember } from '../../../shared/policy';
import { authorizePairing } from '../mentoring.policy';
import { MentorshipPairing, MentorshipStatus } from '../mentorshipPairing.entity';
import { loadPairing } from './loadPairing';
import { lockPairing, lockProfileOfMember } from './lockRows';

/** Either participant completes an ACTIVE pairing, which frees the mentor's place. */
export async function completeMentorship(ctx: Context, pairingGlobalId: string): Promise<MentorshipPairing> {
  const actor = requireMember(ctx.actor);
  const pairingId = parseId(pairingGlobalId, 'MentorshipPairing', 'pairingId');
  const pairing = await loadPairing(ctx, pairingId);
  await authorizePairing(ctx.actor, 'complete', pairing);

  return ctx.em.transactional(async (em) => {
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
