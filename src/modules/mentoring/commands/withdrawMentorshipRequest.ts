import { recordEvent } from '../../../events/record';
import type { Context } from '../../../context';
import { conflict } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { requireMember } from '../../../shared/policy';
import { authorizePairing } from '../mentoring.policy';
import { MentorshipPairing, MentorshipStatus } from '../mentorshipPairing.entity';
import { loadPairing } from './loadPairing';
import { lockPairing } from './lockRows';

/**
 * The mentee takes back a request the mentor has not answered: PROPOSED -> WITHDRAWN. The pair is then free again
 * (a new request, or matching offering that mentor). The row lock settles a race with the mentor's answer: whoever
 * comes second finds the pairing no longer PROPOSED and gets a CONFLICT.
 */
export async function withdrawMentorshipRequest(ctx: Context, pairingGlobalId: string): Promise<MentorshipPairing> {
  const actor = requireMember(ctx.actor);
  const pairingId = parseId(pairingGlobalId, 'MentorshipPairing', 'pairingId');
  const pairing = await loadPairing(ctx, pairingId);
  await authorizePairing(ctx.actor, 'withdraw', pairing);

  return ctx.em.transactional(async (em) => {
    const locked = await lockPairing(em, pairingId);
    if (locked.status !== MentorshipStatus.PROPOSED) throw conflict(`This mentorship is ${locked.status}; only a PROPOSED request can be withdrawn`);
    locked.status = MentorshipStatus.WITHDRAWN;
    await recordEvent(em, actor.id, { type: 'MentorshipWithdrawn', ...{ pairingId: locked.id, mentorId: locked.mentor.id, menteeId: locked.mentee.id } });
    return locked;
  });
}
