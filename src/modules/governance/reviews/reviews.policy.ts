import { allow, authorize, type Actor } from '../../../shared/policy';
import { hasRole } from '../../communities/community.policy';
import { hasOrgAbility } from '../../members/organisation.policy';
import { Community } from '../../communities/community.entity';
import { CommunityRole } from '../../communities/membership.entity';
import { CommunityReview } from './communityReview.entity';

/**
 * A review judges a community: staff and board read every one, the community's ACTIVE LEADs read their own (they
 * answer for it); ordinary members and outsiders do not (FORBIDDEN on every path: the field, node(id)).
 */
async function mayReadReviews(actor: Actor, community: Community): Promise<boolean> {
  if (hasOrgAbility(actor.member, 'readCommunityReviews')) return true;
  return hasRole(actor, community, CommunityRole.LEAD);
}

allow(Community, 'readReviews', mayReadReviews);
allow(CommunityReview, 'read', async (actor, review) => mayReadReviews(actor, await actor.community(review.community.id)));

export const REVIEWS_REFUSAL = "Only staff, board members and the community's leads can read its reviews";
export const GOVERN_REFUSAL = 'Only staff can start and decide community reviews';

export async function authorizeReviewRead(actor: Actor, review: CommunityReview): Promise<void> {
  await authorize(actor, 'read', review, REVIEWS_REFUSAL);
}
