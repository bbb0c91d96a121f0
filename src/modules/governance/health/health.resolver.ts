import { Arg, Args, ArgsType, Ctx, Field, Float, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { PageArgs, connectionType, type ConnectionResult } from '../../../shared/pagination';
import { authorize } from '../../../shared/policy';
import { Community } from '../../communities/community.entity';
import { CommunityHealth } from './communityHealth.types';
import { healthLoader } from './health.loaders';
import { checkDays, MAX_HEALTH_DAYS } from './healthQuery';
import { HEALTH_REFUSAL } from './health.policy';
import { communityHealthRanking, type RankedCommunity } from './healthRanking';


@ObjectType()
class CommunityHealthRankingEdge {
  @Field()
  cursor!: string;

  @Field(() => Int, { description: '1 is the healthiest' })
  rank!: number;

  @Field(() => Float, { description: 'The health score, 0..1 (see communityHealthRanking)' })
  score!: number;

  @Field(() => Community)
  community!: Community;

  @Field(() => Community, { description: 'The same as community (Relay shape)' })
  node!: Community;

  @Field(() => CommunityHealth)
  health!: CommunityHealth;
}

const CommunityHealthRankingConnection = connectionType('CommunityHealthRanking', Community, CommunityHealthRankingEdge);

@ArgsType()
class HealthRankingArgs extends PageArgs {
  @Field(() => Int, { defaultValue: 90, description: `The period: the last 1–${MAX_HEALTH_DAYS} days` })
  days!: number;
}

@Resolver(() => Community)
export class CommunityHealthResolver {
  @FieldResolver(() => CommunityHealth, {
    nullable: true,
    description: "Activity over the last `days` (1–730): staff, board and the community's ACTIVE members; others FORBIDDEN",
  })
  async health(
    @Root() community: Community,
    @Arg('days', () => Int, { defaultValue: 90 }) days: number,
    @Ctx() ctx: Context,
  ): Promise<CommunityHealth | null> {
    checkDays(days);
    await authorize(ctx.actor, 'readHealth', community, HEALTH_REFUSAL);
    return healthLoader(ctx.loaders).load(`${community.id}:${days}`);
  }

  @Query(() => CommunityHealthRankingConnection, {
    description:
      'Every ACTIVE community ranked by health over the last `days`, healthiest first (staff and board). score = ' +
      '0.35 × active members / members + 0.25 × min(1, (threads + replies + resources) per member per 30 days) + ' +
      '0.20 × 1440 / (1440 + median minutes to a first reply; 0 when none) + 0.10 × answered share of questions + ' +
      '0.10 × roles filled / (filled + open)',
  })
  communityHealthRanking(@Args() args: HealthRankingArgs, @Ctx() ctx: Context): Promise<ConnectionResult<RankedCommunity>> {
    return communityHealthRanking(ctx, args);
  }
}
