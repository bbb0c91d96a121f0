import { allow, verdict } from '../../../shared/policy';
import { Community } from '../../communities/community.entity';
import { CommunityRole } from '../../communities/membership.entity';
import { hasRole, isStaff, readOnlyRefusal } from '../../communities/community.policy';
import { Ritual } from './ritual.entity';

export const RUN_REFUSAL = "Only the community's discussion monitors, its lead and staff can run its rituals";
export const READ_REFUSAL = 'This community is for members only';

/** Discussion monitors, LEADs and staff set up and steer a community's rituals; a retired community runs none. */
allow(Community, 'runRituals', async (actor, community) => {
  const refusal = readOnlyRefusal(community);
  if (refusal) return refusal;
  return isStaff(actor.member) || hasRole(actor, community, CommunityRole.LEAD, CommunityRole.DISCUSSION_MONITOR);
});

/** A ritual is the community's content: whoever reads its threads reads its rituals (RESTRICTED: members, staff). */
allow(Ritual, 'read', async (actor, ritual) => verdict(actor, 'readContent', await actor.community(ritual.community.id)));

/** Pausing, changing or deleting a ritual: whoever may run its community's rituals. */
allow(Ritual, 'manage', async (actor, ritual) => verdict(actor, 'runRituals', await actor.community(ritual.community.id)));
