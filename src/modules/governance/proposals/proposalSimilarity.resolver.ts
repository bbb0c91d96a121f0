import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { similarCommunities } from '../similarity/similarCommunities';
import { SimilarCommunity } from '../similarity/similarity.types';
import { CommunityProposal } from './communityProposal.entity';
import { authorizeProposalRead } from './proposal.policy';

/**
 * The duplicate-need check on the proposal itself: existing ACTIVE communities ranked by how close their name,
 * description, topics and recent (OPEN) discussions are to the proposal's need. Whoever reads the proposal reads it;
 * the community it founded (once approved) is left out. One ranking statement per proposal asked for.
 */
@Resolver(() => CommunityProposal)
export class ProposalSimilarityResolver {
  @FieldResolver(() => [SimilarCommunity], { description: 'Existing communities that may already meet this need, most similar first' })
  async similarCommunities(
    @Root() proposal: CommunityProposal,
    @Arg('first', () => Int, { defaultValue: 5, description: 'At most 50' }) first: number,
    @Ctx() ctx: Context,
  ): Promise<SimilarCommunity[]> {
    await authorizeProposalRead(ctx.actor, proposal);
    const { name, description, topics, statementOfNeed, plannedActivities } = proposal;
    const founded = proposal.community?.id;
    return similarCommunities(ctx, { name, description, topics, statementOfNeed, plannedActivities }, { first, excludeCommunityIds: founded ? [founded] : [] });
  }
}
