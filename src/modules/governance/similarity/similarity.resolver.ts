import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../../../context';
import { authorize, requireMember } from '../../../shared/policy';
import { ORGANISATION } from '../../members/organisation.policy';
import { similarCommunities } from './similarCommunities';
import { SimilarCommunitiesInput, SimilarCommunity } from './similarity.types';

@Resolver(() => SimilarCommunity)
export class SimilarCommunitiesResolver {
  @Query(() => [SimilarCommunity], {
    description: 'The duplicate-need check (staff and board): ACTIVE communities overlapping a need, most similar first',
  })
  async similarCommunities(
    @Arg('input') input: SimilarCommunitiesInput,
    @Arg('first', () => Int, { defaultValue: 5, description: 'At most 50' }) first: number,
    @Ctx() ctx: Context,
  ): Promise<SimilarCommunity[]> {
    requireMember(ctx.actor);
    await authorize(ctx.actor, 'checkSimilarCommunities', ORGANISATION, 'Only staff and board members can run the duplicate check');
    return similarCommunities(ctx, input, { first });
  }
}
