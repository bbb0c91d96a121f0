import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { NoControlCharacters } from '../../../shared/validation';
import { IsIanaTimeZone } from '../../members/timeZone';
import { MeetingKind } from '../meeting/meeting.entity';
import { TimePollAnswer } from './timePollVote.entity';
import { MAX_DURATION_MINUTES, MAX_OPTIONS, MIN_DURATION_MINUTES, MIN_OPTIONS } from './timePollPlan';

@InputType()
export class TimePollOptionInput {
  @Field(() => GraphQLDateTime, { description: 'In the future, no earlier than the poll closes' })
  startsAt!: Date;

  @Field(() => Int, { description: `${MIN_DURATION_MINUTES}–${MAX_DURATION_MINUTES} minutes` })
  @IsInt()
  @Min(MIN_DURATION_MINUTES)
  @Max(MAX_DURATION_MINUTES)
  durationMinutes!: number;
}

@InputType()
export class CreateTimePollInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field({ description: 'What the meeting is about (at most 200 characters); a meeting scheduled from it takes this title' })
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @Length(1, 200)
  @NoControlCharacters()
  title!: string;

  @Field(() => [TimePollOptionInput], { description: `${MIN_OPTIONS}–${MAX_OPTIONS} times, no two the same` })
  @ArrayMinSize(MIN_OPTIONS)
  @ArrayMaxSize(MAX_OPTIONS)
  @ValidateNested({ each: true })
  options!: TimePollOptionInput[];

  @Field(() => GraphQLDateTime, { description: 'In the future, and no later than the earliest option starts' })
  closesAt!: Date;

  @Field({ nullable: true, description: "IANA time zone it is organised in (default: the creator's, else the organisation's)" })
  @IsOptional()
  @IsIanaTimeZone()
  timeZone?: string;
}

@InputType()
export class TimePollAnswerInput {
  @Field(() => ID)
  @IsString()
  optionId!: string;

  @Field(() => TimePollAnswer)
  @IsIn(Object.values(TimePollAnswer))
  answer!: TimePollAnswer;
}

@InputType()
export class AnswerTimePollInput {
  @Field(() => ID)
  @IsString()
  pollId!: string;

  @Field(() => [TimePollAnswerInput], {
    description: 'Answers to some or all of its options, each option once; an answer replaces your earlier one to that option',
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_OPTIONS)
  @ValidateNested({ each: true })
  answers!: TimePollAnswerInput[];
}

@InputType()
export class CloseTimePollInput {
  @Field(() => ID)
  @IsString()
  pollId!: string;

  @Field(() => ID, { nullable: true, description: 'The chosen option; omitted: the best one (most YES + IF_NEEDED, then most YES, then the earliest)' })
  @IsOptional()
  @IsString()
  optionId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Also schedule the meeting at the chosen time (its title is the poll\'s). Default false' })
  @IsOptional()
  @IsBoolean()
  schedule?: boolean | null;

  @Field(() => MeetingKind, { nullable: true, description: 'With schedule: the meeting\'s kind (default MEETUP)' })
  @IsOptional()
  @IsIn(Object.values(MeetingKind))
  kind?: MeetingKind | null;

  @Field(() => String, { nullable: true, description: 'With schedule: its description (at most 10,000 characters)' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'With schedule: the virtual room, an http or https URL' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Matches(/^https?:\/\/[^\s/$.?#][^\s]*$/i, { message: 'must be an http or https URL' })
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'With schedule: where it takes place in person (at most 500 characters)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @NoControlCharacters()
  venue?: string | null;

  @Field(() => Int, { nullable: true, description: 'With schedule: places for GOING answers (1–100,000)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  capacity?: number | null;

  @Field(() => String, { nullable: true, description: "With schedule: the meeting's IANA time zone (default the poll's)" })
  @IsOptional()
  @IsIanaTimeZone()
  timeZone?: string | null;
}
