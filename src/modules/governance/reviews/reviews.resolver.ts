import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { parseId } from '../../../shared/ids';
import { cursorValues } from '../../../shared/loaders';
import { PageArgs, parsePage, toConnection, type ConnectionResult, type Edge } from '../../../shared/pagination';
import { authorize, requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';
import { CommunityReview } from './communityReview.entity';
import { DecideCommunityReviewInput, StartCommunityReviewInput } from './reviews.inputs';
import { REVIEW_ORDER, reviewCountLoader, reviewsPageLoader } from './reviews.loaders';
import { REVIEWS_REFUSAL } from './reviews.policy';
import { CommunityReviewConnection, CommunityReviewSnapshot } from './reviews.types';
import { startCommunityReview } from './commands/startCommunityReview';
import { decideCommunityReview } from './commands/decideCommunityReview';
import { CommunityHealth } from '../health/communityHealth.types';

@Resolver(() => CommunityReview)
export class CommunityReviewResolver {
  @Mutation(() => CommunityReview, { description: "Staff: opens a community's review for a year, freezing its health snapshot" })
  async startCommunityReview(@Arg('input') input: StartCommunityReviewInput, @Ctx() ctx: Context): Promise<CommunityReview> {
    requireMember(ctx.actor);
    return startCommunityReview(ctx, { communityId: parseId(input.communityId, 'Community', 'communityId'), year: input.year });
  }

  @Mutation(() => CommunityReview, { description: 'Staff: records the decision of an OPEN review (a note is required unless CONTINUE)' })
  async decideCommunityReview(@Arg('input') input: DecideCommunityReviewInput, @Ctx() ctx: Context): Promise<CommunityReview> {
    requireMember(ctx.actor);
    const reviewId = parseId(input.reviewId, 'CommunityReview', 'reviewId');
    return decideCommunityReview(ctx, { reviewId, decision: input.decision, note: input.note });
  }

  @FieldResolver(() => Community)
  community(@Root() review: CommunityReview, @Ctx() ctx: Context): Promise<Community> {
    return ctx.actor.community(review.community.id);
  }

  @FieldResolver(() => CommunityReviewSnapshot)
  snapshot(@Root() review: CommunityReview): CommunityReviewSnapshot {
    const { health, continuationCriteria, periodStart, periodEnd, takenAt } = review.snapshot;
    return {
      health: Object.assign(new CommunityHealth(), health),
      continuationCriteria,
      periodStart: new Date(periodStart),
      periodEnd: new Date(periodEnd),
      takenAt: new Date(takenAt),
    };
  }

  @FieldResolver(() => Member, { nullable: true, description: 'Null when that account is gone' })
  startedBy(@Root() review: CommunityReview, @Ctx() ctx: Context): Promise<Member | null> | null {
    return review.startedBy ? ctx.loaders.byId(Member).load(review.startedBy.id) : null;
  }

  @FieldResolver(() => Member, { nullable: true })
  decidedBy(@Root() review: CommunityReview, @Ctx() ctx: Context): Promise<Member | null> | null {
    return review.decidedBy ? ctx.loaders.byId(Member).load(review.decidedBy.id) : null;
  }
}

@Resolver(() => Community)
export class CommunityReviewsResolver {
  @FieldResolver(() => CommunityReviewConnection, {
    nullable: true,
    description: "Annual reviews, newest year first: staff, board and the community's LEADs; others FORBIDDEN (null)",
  })
  async reviews(@Root() community: Community, @Args() args: PageArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<CommunityReview>>> {
    await authorize(ctx.actor, 'readReviews', community, REVIEWS_REFUSAL);
    const page = parsePage(args, REVIEW_ORDER);
    const rows = await reviewsPageLoader(ctx.loaders, page).load(community.id);
    return toConnection(rows, page, (r) => cursorValues(r, REVIEW_ORDER), () => reviewCountLoader(ctx.loaders).load(community.id));
  }
}
