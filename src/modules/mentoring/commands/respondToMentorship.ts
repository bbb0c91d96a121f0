import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { conflict } from '../../../shared/errors';
import { requireMember } from '../../../shared/policy';
import { authorizePairing } from '../mentoring.policy';
import { MentorshipPairing, MentorshipStatus } from '../mentorshipPairing.entity';
import { loadPairing } from './loadPairing';
import { lockPairing, lockProfileOfMember } from './lockRows';

export interface RespondToMentorshipProps {
  pairingId: string;
  /** true: ACTIVE (needs a free place); false: DECLINED. */
  accept: boolean;
}

/**
 * The mentor accepts (ACTIVE) or declines (DECLINED) a PROPOSED pairing. Accepting takes a place: the mentor's
 * profile row is locked first, so simultaneous accepts are counted one after the other and never exceed capacity;
 * the one that finds no free place is a CONFLICT and changes nothing.
 */
export async function respondToMentorship(scope: CommandScope, props: RespondToMentorshipProps): Promise<MentorshipPairing> {
  const actor = requireMember(scope.actor);
  const { pairingId } = props;
  const pairing = await loadPairing(scope, pairingId);
  await authorizePairing(scope.actor, 'respond', pairing);

  return scope.em.transactional(async (em) => {
    const profile = props.accept ? await lockProfileOfMember(em, pairing.mentor.id) : null;
    const locked = await lockPairing(em, pairingId);
    if (locked.status !== MentorshipStatus.PROPOSED) throw conflict(`This mentorship is ${locked.status}; only a PROPOSED one can be answered`);
    if (props.accept) {
      if (!profile || profile.freePlaces === 0) {
        throw conflict(`You have no free place (${profile?.activeMenteeCount ?? 0} of ${profile?.capacity ?? 0} taken)`);
      }
      profile.activeMenteeCount += 1;
      locked.status = MentorshipStatus.ACTIVE;
    } else {
      locked.status = MentorshipStatus.DECLINED;
    }
    locked.respondedAt = new Date();
    await recordEvent(em, actor.id, { type: 'MentorshipAnswered', ...{ pairingId: locked.id, mentorId: locked.mentor.id, menteeId: locked.mentee.id }, accepted: props.accept });
    return locked;
  });
}
