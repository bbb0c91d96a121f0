import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { NoControlCharacters, PlainName } from '../../../shared/validation';
import { CommunityVisibility } from '../../communities/community.entity';
import { SLUG_PATTERN } from '../../communities/community.inputs';

/** The same rules as createCommunity's name, slug, description and topics. */
const name = () => [IsString(), Matches(/\S/, { message: 'must not be blank' }), Length(3, 100), NoControlCharacters(), PlainName()];
const slug = () => [IsString(), Length(3, 60), Matches(SLUG_PATTERN, { message: 'must be lower-case letters and digits separated by single hyphens' })];
const description = () => [IsString(), Matches(/\S/, { message: 'must not be blank' }), Length(1, 5000), NoControlCharacters()];
const topics = () => [ArrayMaxSize(10), IsString({ each: true }), Length(1, 60, { each: true }), NoControlCharacters({ each: true })];
const rationale = () => [IsOptional(), IsString(), MaxLength(2000), NoControlCharacters()];
const apply = (decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));

@InputType()
export class ChangeCommunityFocusInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field(() => String, { nullable: true, description: 'Omitted: unchanged' })
  @IsOptional()
  @apply(name())
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Omitted: unchanged' })
  @IsOptional()
  @apply(description())
  description?: string | null;

  @Field(() => [String], { nullable: true, description: 'Omitted: unchanged; given: replaces them' })
  @IsOptional()
  @apply(topics())
  topics?: string[] | null;
}

@InputType()
export class RetireCommunityInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field({ description: 'Why it is retired (kept in the audit log and sent with COMMUNITY_RETIRED)' })
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @Length(1, 2000)
  @NoControlCharacters()
  reason!: string;
}

@InputType({ description: 'One part of a split: a new community and what moves into it' })
export class SplitPartInput {
  @Field()
  @apply(name())
  name!: string;

  @Field()
  @apply(slug())
  slug!: string;

  @Field()
  @apply(description())
  description!: string;

  @Field(() => [String], { defaultValue: [] })
  @apply(topics())
  topics!: string[];

  @Field(() => [ID], { description: "Threads of the original that move into this part (IDs, posts and replies kept)" })
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  threadIds!: string[];

  @Field(() => [ID], { defaultValue: [], description: 'Resources of the original that move into this part; the rest stay in the archive' })
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  resourceIds!: string[];

  @Field(() => [ID], {
    defaultValue: [],
    description:
      'Meetings of the original (not its ANNUAL one: each part has its own) that move into this part with their answers and reminders; ' +
      'its time polls and surveys follow them. Meetings ahead that no part lists are cancelled with the retirement',
  })
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  meetingIds!: string[];

  @Field(() => [ID], { defaultValue: [], description: 'Time polls of the original that move into this part; open ones no part lists are closed' })
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  timePollIds!: string[];

  @Field(() => [ID], { defaultValue: [], description: 'Rituals of the original that move into this part (same hosts); the rest are paused' })
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  ritualIds!: string[];

  @Field(() => [ID], { defaultValue: [], description: 'Surveys of the original that move into this part; open ones no part lists are closed' })
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  surveyIds!: string[];
}

@InputType()
export class SplitCommunityInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field(() => [SplitPartInput])
  @ArrayMinSize(2, { message: 'must have at least two parts' })
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  parts!: SplitPartInput[];
}

@InputType({ description: 'The community the sources merge into' })
export class MergedCommunityInput {
  @Field()
  @apply(name())
  name!: string;

  @Field()
  @apply(slug())
  slug!: string;

  @Field()
  @apply(description())
  description!: string;

  @Field(() => [String], { defaultValue: [] })
  @apply(topics())
  topics!: string[];

  @Field(() => CommunityVisibility, { nullable: true, description: 'Omitted: RESTRICTED if any source is RESTRICTED, else OPEN' })
  @IsOptional()
  @IsIn(Object.values(CommunityVisibility))
  visibility?: CommunityVisibility | null;

  @Field(() => String, { nullable: true, description: 'Required when RESTRICTED; omitted: the first RESTRICTED source’s' })
  @apply(rationale())
  membershipRationale?: string | null;
}

@InputType()
export class MergeCommunitiesInput {
  @Field(() => [ID])
  @ArrayMinSize(2, { message: 'must name at least two communities' })
  @ArrayMaxSize(10)
  @IsString({ each: true })
  communityIds!: string[];

  @Field(() => MergedCommunityInput)
  @ValidateNested()
  into!: MergedCommunityInput;

  @Field(() => String, {
    nullable: true,
    description: 'Required to merge a RESTRICTED community into an OPEN one: its content then becomes readable by anyone',
  })
  @apply(rationale())
  visibilityRationale?: string | null;
}
