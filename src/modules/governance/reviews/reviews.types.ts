import { Field, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { connectionType } from '../../../shared/pagination';
import { CommunityHealth } from '../health/communityHealth.types';
import { CommunityReview } from './communityReview.entity';

@ObjectType({ description: 'What a review froze when it started' })
export class CommunityReviewSnapshot {
  @Field(() => CommunityHealth, { description: 'The health over the reviewed year (to the start, for the current year)' })
  health!: CommunityHealth;

  @Field(() => String, { nullable: true, description: "The community's continuation criteria at the start" })
  continuationCriteria!: string | null;

  @Field(() => GraphQLDateTime)
  periodStart!: Date;

  @Field(() => GraphQLDateTime)
  periodEnd!: Date;

  @Field(() => GraphQLDateTime)
  takenAt!: Date;
}

export const CommunityReviewConnection = connectionType('CommunityReview', CommunityReview);
