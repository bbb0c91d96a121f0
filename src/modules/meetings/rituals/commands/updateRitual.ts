import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { requireMember } from '../../../../shared/policy';
import type { Ritual } from '../ritual.entity';
import { applyRitualDetails, type RitualDetails } from '../ritualDetails';
import { authorizeRitual, lockRitual } from './lockRitual';

/**
 * Changes a ritual's title, prompt, schedule or hosts (its community's discussion monitors, LEAD or staff), with the
 * checks of createRitual. A new schedule takes effect from its next future occurrence; a new host list starts its
 * rotation at its first host. Occurrences already posted stay as they are. Nothing changed: no event.
 */
export async function updateRitual(scope: CommandScope, props: RitualDetails & { ritualId: string }, now = new Date()): Promise<Ritual> {
  const member = requireMember(scope.actor);
  const found = await authorizeRitual(scope, props.ritualId);
  return scope.em.transactional(async (em) => {
    const ritual = await lockRitual(em, found);
    const fields = await applyRitualDetails(em, ritual, props, now);
    if (fields.length) await recordEvent(em, member.id, { type: 'RitualUpdated', communityId: ritual.community.id, ritualId: ritual.id, fields });
    return ritual;
  });
}
