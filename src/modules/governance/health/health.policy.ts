import { allow, can } from '../../../shared/policy';
import { hasOrgAbility } from '../../members/organisation.policy';
import { Community } from '../../communities/community.entity';

/**
 * Health figures are aggregate counts, but they are the committee's working material, not public: staff and board
 * (`readCommunityHealth`) read every community's, and a community's own ACTIVE members read theirs. For a
 * RESTRICTED community that is exactly who may read its content (readContent: members and staff), so nothing about
 * a closed community's activity reaches outsiders other than the board.
 */
allow(Community, 'readHealth', async (actor, community) => {
  if (hasOrgAbility(actor.member, 'readCommunityHealth')) return true;
  return can(actor, 'belong', community);
});

export const HEALTH_REFUSAL = "Only staff, board members and the community's members can read its health";
