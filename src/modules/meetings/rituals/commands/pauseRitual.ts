import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { requireMember } from '../../../../shared/policy';
import type { Ritual } from '../ritual.entity';
import { recurrenceOf, upcomingOccurrence } from '../ritualDetails';
import { authorizeRitual, lockRitual } from './lockRitual';

/**
 * Pauses or resumes a ritual (its community's discussion monitors, LEAD or staff). A paused ritual posts nothing,
 * whatever falls due meanwhile; resumed, it continues with its next future occurrence (nothing missed is posted).
 * Asking for the state it is in changes nothing and records nothing.
 */
export async function pauseRitual(scope: CommandScope, props: { ritualId: string; paused: boolean }, now = new Date()): Promise<Ritual> {
  const member = requireMember(scope.actor);
  const found = await authorizeRitual(scope, props.ritualId);
  return scope.em.transactional(async (em) => {
    const ritual = await lockRitual(em, found);
    if (ritual.paused === props.paused) return ritual;
    ritual.paused = props.paused;
    if (!props.paused) ritual.nextOccurrenceAt = upcomingOccurrence(recurrenceOf(ritual), now);
    ritual.updatedAt = now;
    await recordEvent(em, member.id, { type: 'RitualPauseChanged', communityId: ritual.community.id, ritualId: ritual.id, paused: ritual.paused });
    return ritual;
  });
}
