import { IsIn, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { NoControlCharacters } from '../../../shared/validation';
import { ReviewDecision } from './communityReview.entity';

@InputType()
export class StartCommunityReviewInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field(() => Int, { description: 'The calendar year reviewed; not in the future' })
  @IsInt()
  year!: number;
}

@InputType()
export class DecideCommunityReviewInput {
  @Field(() => ID)
  @IsString()
  reviewId!: string;

  @Field(() => ReviewDecision)
  @IsIn(Object.values(ReviewDecision))
  decision!: ReviewDecision;

  @Field(() => String, { nullable: true, description: 'Required for anything but CONTINUE' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  @NoControlCharacters()
  note?: string | null;
}
