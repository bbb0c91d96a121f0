import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { authorize, requireMember } from '../../../../shared/policy';
import { Community } from '../../../communities/community.entity';
import { Member } from '../../../members/member.entity';
import { lockWritableCommunity } from '../../../communities/commands/lockWritableCommunity';
import { Ritual } from '../ritual.entity';
import { applyRitualDetails } from '../ritualDetails';
import { RUN_REFUSAL } from '../ritual.policy';

export interface CreateRitualProps {
  communityId: string;
  title: string;
  prompt: string;
  /** An RRULE value (with or without `RRULE:`), read in `timeZone` from `startsAt`'s wall time there. */
  rrule: string;
  startsAt: Date;
  timeZone: string;
  /** Membership database ids in rotation order. */
  hostMembershipIds: string[];
}

/**
 * A community's discussion monitor, LEAD or staff sets up a ritual: from its next occurrence on, the job posts its
 * prompt as a PROMPT thread, hosts taking turns (see jobs/postDueRituals). Bad details are BAD_USER_INPUT with every
 * field at fault, and nothing is written.
 */
export async function createRitual(scope: CommandScope, props: CreateRitualProps, now = new Date()): Promise<Ritual> {
  const member = requireMember(scope.actor);
  const community = await scope.actor.community(props.communityId);
  await authorize(scope.actor, 'runRituals', community, RUN_REFUSAL);
  return scope.em.transactional(async (em) => {
    // A retirement that committed since the check above wins: a read-only community starts no ritual.
    await lockWritableCommunity(em, community.id);
    const ritual = new Ritual();
    ritual.community = em.getReference(Community, community.id);
    ritual.createdBy = em.getReference(Member, member.id);
    await applyRitualDetails(em, ritual, props, now);
    em.persist(ritual);
    await recordEvent(em, member.id, { type: 'RitualCreated', communityId: community.id, ritualId: ritual.id });
    return ritual;
  });
}
