import { registerNode } from '../../../shared/nodes';
import { CommunityReview } from './communityReview.entity';
import { authorizeReviewRead } from './reviews.policy';

/** `node(id)` for a review: the same rule as Community.reviews (staff, board, the community's LEADs). */
registerNode('CommunityReview', async (ctx, id) => {
  const review = await ctx.loaders.byId(CommunityReview).load(id);
  if (review) await authorizeReviewRead(ctx.actor, review);
  return review;
});
