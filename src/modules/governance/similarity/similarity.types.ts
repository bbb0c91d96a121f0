import { ArrayMaxSize, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { Field, Float, InputType, ObjectType } from 'type-graphql';
import { NoControlCharacters } from '../../../shared/validation';
import { Community } from '../../communities/community.entity';

@ObjectType({ description: 'An existing community that overlaps a proposed need, with why' })
export class SimilarCommunity {
  @Field(() => Community)
  community!: Community;

  @Field(() => Float, { description: '0..1; higher overlaps more' })
  score!: number;

  @Field(() => [String], { description: 'Human reasons, e.g. "shares topics: citation, research skills"' })
  reasons!: string[];
}

@InputType({ description: 'The need a proposed community would serve' })
export class SimilarCommunitiesInput {
  @Field()
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @Length(1, 100)
  @NoControlCharacters()
  name!: string;

  @Field({ defaultValue: '' })
  @IsString()
  @MaxLength(5000)
  @NoControlCharacters()
  description!: string;

  @Field(() => [String], { defaultValue: [] })
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 60, { each: true })
  @NoControlCharacters({ each: true })
  topics!: string[];

  @Field({ defaultValue: '' })
  @IsString()
  @MaxLength(5000)
  @NoControlCharacters()
  statementOfNeed!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  @NoControlCharacters()
  plannedActivities?: string | null;
}
