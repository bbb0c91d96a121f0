import { ArrayMaxSize, ArrayMinSize, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { NoControlCharacters } from '../../../shared/validation';

/** The thread title is the ritual's title and a date (" — 2027-03-15"): it must fit a thread title's 200 characters. */
export const MAX_TITLE = 180;
export const MAX_PROMPT = 20_000;
export const MAX_HOSTS = 20;

const NOT_BLANK = { message: 'must not be blank' };
const RULE_DESCRIPTION =
  'An RRULE value (RFC 5545), with or without "RRULE:", e.g. FREQ=WEEKLY;BYDAY=MO or FREQ=MONTHLY;BYDAY=1TU. DAILY at most ' +
  '(HOURLY, MINUTELY, SECONDLY are refused); no DTSTART (that is startsAt) and no BYHOUR/BYMINUTE/BYSECOND (the time is startsAt\'s)';
const STARTS_DESCRIPTION =
  "The first possible occurrence (UTC; at most a year ago, at most two years ahead). Its wall time in timeZone is every occurrence's time";
const HOSTS_DESCRIPTION = `ACTIVE memberships of the community (1–${MAX_HOSTS}, no repeats), in rotation order: occurrence n is hosted by the n-th`;

@InputType()
export class CreateRitualInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field({ description: `At most ${MAX_TITLE} characters` })
  @IsString()
  @Matches(/\S/, NOT_BLANK)
  @Length(1, MAX_TITLE)
  @NoControlCharacters()
  title!: string;

  @Field({ description: `The body of every occurrence's PROMPT thread (at most ${MAX_PROMPT} characters)` })
  @IsString()
  @Matches(/\S/, NOT_BLANK)
  @Length(1, MAX_PROMPT)
  @NoControlCharacters()
  prompt!: string;

  @Field({ description: RULE_DESCRIPTION })
  @IsString()
  @MaxLength(300)
  rrule!: string;

  @Field(() => GraphQLDateTime, { description: STARTS_DESCRIPTION })
  startsAt!: Date;

  @Field({ description: 'The IANA time zone the rule is read in, e.g. America/Chicago' })
  @IsString()
  @MaxLength(64)
  timeZone!: string;

  @Field(() => [ID], { description: HOSTS_DESCRIPTION })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_HOSTS)
  @IsString({ each: true })
  hostMembershipIds!: string[];
}

/** What updateRitual may change; an omitted field stays, none can be cleared. */
@InputType()
export class UpdateRitualInput {
  @Field(() => ID)
  @IsString()
  ritualId!: string;

  @Field(() => String, { nullable: true, description: `At most ${MAX_TITLE} characters` })
  @IsOptional()
  @IsString()
  @Matches(/\S/, NOT_BLANK)
  @Length(1, MAX_TITLE)
  @NoControlCharacters()
  title?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Matches(/\S/, NOT_BLANK)
  @Length(1, MAX_PROMPT)
  @NoControlCharacters()
  prompt?: string | null;

  @Field(() => String, { nullable: true, description: RULE_DESCRIPTION })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  rrule?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: STARTS_DESCRIPTION })
  @IsOptional()
  startsAt?: Date | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string | null;

  @Field(() => [ID], { nullable: true, description: `${HOSTS_DESCRIPTION}. A new list starts its rotation at its first host` })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_HOSTS)
  @IsString({ each: true })
  hostMembershipIds?: string[] | null;
}
