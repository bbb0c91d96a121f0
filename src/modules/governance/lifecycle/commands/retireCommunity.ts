import type { CommandScope } from '../../../../context';
import { authorize, requireMember } from '../../../../shared/policy';
import type { Community } from '../../../communities/community.entity';
import { ORGANISATION } from '../../../members/organisation.policy';
import { lockActiveCommunity } from '../lockCommunity';
import { retire } from '../retire';

/**
 * Staff retire an ACTIVE community with a reason: it stops being listed and becomes read-only, and stays readable
 * (by whoever could read it) as an archive. Its memberships, content and webhooks stay with it; its meetings ahead are
 * cancelled, its rituals paused and its open time polls and surveys closed (see retire).
 */
export async function retireCommunity(scope: CommandScope, props: { communityId: string; reason: string }): Promise<Community> {
  const actor = requireMember(scope.actor);
  await authorize(scope.actor, 'governCommunities', ORGANISATION, 'Only staff can retire a community');
  return scope.em.transactional(async (em) => {
    const community = await lockActiveCommunity(em, props.communityId, 'communityId');
    await retire(em, scope.services, actor.id, community, { change: 'RETIRED', reason: props.reason.trim(), successors: [] });
    return community;
  });
}
