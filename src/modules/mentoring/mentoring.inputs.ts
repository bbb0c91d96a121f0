import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { PageArgs } from '../../shared/pagination';
import { NO_CONTROL_MESSAGE, NoControlCharacters } from '../../shared/validation';
import { MentoringGroupStatus } from './mentoringGroup.entity';
import { MentorshipStatus } from './mentorshipPairing.entity';
import { MAX_TOPICS, TOPIC_MAX_LENGTH } from './topics';

export const MAX_MENTOR_CAPACITY = 20;
export const MAX_GROUP_CAPACITY = 50;
export const DEFAULT_MATCHES = 10;
export const MAX_MATCHES = 50;
const NOT_BLANK = /\S/;

/** A list of 1..MAX_TOPICS non-blank topics (normalised by the commands). */
function TopicList(): PropertyDecorator {
  return (target, key) => {
    ArrayMinSize(1, { message: 'must name at least one topic' })(target, key);
    ArrayMaxSize(MAX_TOPICS, { message: `must name at most ${MAX_TOPICS} topics` })(target, key);
    IsString({ each: true })(target, key);
    Matches(NOT_BLANK, { each: true, message: 'must not contain a blank topic' })(target, key);
    Length(1, TOPIC_MAX_LENGTH, { each: true, message: `each topic must be 1 to ${TOPIC_MAX_LENGTH} characters` })(target, key);
    NoControlCharacters({ each: true, message: `each topic ${NO_CONTROL_MESSAGE}` })(target, key);
  };
}

@InputType({ description: "Creates or replaces the viewer's mentor profile" })
export class MentorProfileInput {
  @Field(() => [String], { description: `1 to ${MAX_TOPICS} topics, each up to ${TOPIC_MAX_LENGTH} characters` })
  @TopicList()
  topics!: string[];

  @Field(() => Int, { description: `ACTIVE mentorships at once, 0 to ${MAX_MENTOR_CAPACITY}` })
  @IsInt()
  @Min(0)
  @Max(MAX_MENTOR_CAPACITY)
  capacity!: number;

  @Field(() => String, { nullable: true, description: 'Omit to keep the current bio; null or an empty string clears it' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @NoControlCharacters()
  bio?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Omit to keep the current setting (true for a new profile)' })
  @IsOptional()
  @IsBoolean()
  acceptingMentees?: boolean | null;
}

@InputType()
export class MentorMatchInput {
  @Field(() => [String], { description: 'Topics the viewer wants mentoring in; a mentor must share at least one' })
  @TopicList()
  topics!: string[];

  @Field(() => String, { nullable: true, description: 'What the viewer wants to achieve, in their own words' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @NoControlCharacters()
  goals?: string | null;

  @Field(() => Int, { nullable: true, description: `How many matches (1–${MAX_MATCHES}, default ${DEFAULT_MATCHES})` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MATCHES)
  first?: number | null;
}

@InputType()
export class RequestMentorshipInput {
  @Field(() => ID, { description: 'The mentor (a Member ID)' })
  @IsString()
  mentorId!: string;

  @Field(() => [String])
  @TopicList()
  topics!: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @NoControlCharacters()
  goals?: string | null;

  @Field(() => String, { nullable: true, description: 'A note to the mentor' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @NoControlCharacters()
  message?: string | null;
}

@InputType()
export class RespondMentorshipInput {
  @Field(() => ID)
  @IsString()
  pairingId!: string;

  @Field({ description: 'true: ACTIVE (needs a free place); false: DECLINED' })
  @IsBoolean()
  accept!: boolean;
}

@InputType()
export class CheckInInput {
  @Field(() => ID)
  @IsString()
  pairingId!: string;

  @Field()
  @IsString()
  @Matches(NOT_BLANK, { message: 'must not be blank' })
  @Length(1, 4000)
  @NoControlCharacters()
  note!: string;
}

@InputType()
export class CreateMentoringGroupInput {
  @Field()
  @IsString()
  @Matches(NOT_BLANK, { message: 'must not be blank' })
  @Length(1, TOPIC_MAX_LENGTH)
  @NoControlCharacters()
  topic!: string;

  @Field(() => Int, { description: `Members at most, 1 to ${MAX_GROUP_CAPACITY}` })
  @IsInt()
  @Min(1)
  @Max(MAX_GROUP_CAPACITY)
  capacity!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @NoControlCharacters()
  description?: string | null;
}

@ArgsType()
export class WhyNotMentorArgs {
  @Field(() => ID, { description: 'The mentor (a Member ID)' })
  @IsString()
  mentorId!: string;

  @Field(() => [String], {
    nullable: true,
    description: 'The topics given to mentorMatches; without them the shared-topic rule is not checked',
  })
  @IsOptional()
  @TopicList()
  topics?: string[] | null;
}

@ArgsType()
export class MentorshipsArgs extends PageArgs {
  @Field(() => MentorshipStatus, { nullable: true, description: 'Only pairings in this status' })
  status?: MentorshipStatus | null;
}

@ArgsType()
export class MentoringGroupsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only groups on this topic (compared after normalising)' })
  @IsOptional()
  @IsString()
  @NoControlCharacters()
  topic?: string | null;

  @Field(() => MentoringGroupStatus, { nullable: true, description: 'Only groups in this status (default: all)' })
  status?: MentoringGroupStatus | null;
}

@InputType({ description: 'Fields left out stay as they are' })
export class UpdateMentoringGroupInput {
  @Field(() => ID)
  @IsString()
  groupId!: string;

  @Field(() => Int, { nullable: true, description: `Members at most, 1 to ${MAX_GROUP_CAPACITY}, never below the members it has` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_GROUP_CAPACITY)
  capacity?: number | null;

  @Field(() => String, { nullable: true, description: 'Blank clears it' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @NoControlCharacters()
  description?: string | null;
}
