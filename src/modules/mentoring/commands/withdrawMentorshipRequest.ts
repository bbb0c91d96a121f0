import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { conflict } from '../../../shared/errors';
import { requireMember } from '../../../shared/policy';
import { authorizePairing } from '../mentoring.policy';
import { MentorshipPairing, MentorshipStatus } from '../mentorshipPairing.entity';
import { loadPairing, type PairingProps } from './loadPairing';
import { lockPairing } from './lockRows';

/**
 * The mentee takes back a request the mentor has not answered: PROPOSED -> WITHDRAWN. The pair is then free again
 * (a new request, or matching offering that mentor). The row lock settles a race with the mentor's answer: whoever
 * comes second finds the pairing no longer PROPOSED and gets a CONFLICT.
 */
export async function withdrawMentorshipRequest(scope: CommandScope, { pairingId }: PairingProps): Promise<MentorshipPairing> {
  const actor = requireMember(scope.actor);
  const pairing = await loadPairing(scope, pairingId);
  await authorizePairing(scope.actor, 'withdraw', pairing);

  return scope.em.transactional(async (em) => {
    const locked = await lockPairing(em, pairingId);
    if (locked.status !== MentorshipStatus.PROPOSED) throw conflict(`This mentorship is ${locked.status}; only a PROPOSED request can be withdrawn`);
    locked.status = MentorshipStatus.WITHDRAWN;
    await recordEvent(em, actor.id, { type: 'MentorshipWithdrawn', ...{ pairingId: locked.id, mentorId: locked.mentor.id, menteeId: locked.mentee.id } });
    return locked;
  });
}
