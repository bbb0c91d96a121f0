import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { requireMember } from '../../../../shared/policy';
import type { Ritual } from '../ritual.entity';
import { authorizeRitual, lockRitual } from './lockRitual';

/**
 * Ends a ritual for good (its community's discussion monitors, LEAD or staff): it and its occurrence records go;
 * the threads it posted stay in the community like any other. Returns the ritual as it was.
 */
export async function deleteRitual(scope: CommandScope, props: { ritualId: string }): Promise<Ritual> {
  const member = requireMember(scope.actor);
  const found = await authorizeRitual(scope, props.ritualId);
  return scope.em.transactional(async (em) => {
    const ritual = await lockRitual(em, found);
    await recordEvent(em, member.id, { type: 'RitualDeleted', communityId: ritual.community.id, ritualId: ritual.id, title: ritual.title });
    em.remove(ritual);
    return ritual;
  });
}
