import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { PageArgs } from '../../../shared/pagination';
import { NoControlCharacters } from '../../../shared/validation';
import { IsIanaTimeZone } from '../../members/timeZone';
import { MeetingKind } from './meeting.entity';

/** Reminders: at most this many, each between a minute and 30 days ahead. */
export const MAX_REMINDERS = 5;
export const MAX_REMINDER_MINUTES = 30 * 24 * 60;

/** The fields scheduleMeeting and updateMeeting share (all optional here; scheduleMeeting requires some). */
@InputType("MeetingDetailsInput")
export abstract class MeetingDetailsInput {
  @Field({ nullable: true, description: 'At most 200 characters' })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @Length(1, 200)
  @NoControlCharacters()
  title?: string;

  @Field(() => String, { nullable: true, description: 'At most 10,000 characters' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'In the future; an ANNUAL meeting in the second week of July' })
  @IsOptional()
  startsAt?: Date;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'After startsAt, at most 24 hours later (default: one hour after)' })
  @IsOptional()
  endsAt?: Date;

  @Field({ nullable: true, description: "IANA time zone it is organised in (default: the scheduler's, else the organisation's)" })
  @IsOptional()
  @IsIanaTimeZone()
  timeZone?: string;

  @Field(() => String, { nullable: true, description: 'The virtual room: an http or https URL' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Matches(/^https?:\/\/[^\s/$.?#][^\s]*$/i, { message: 'must be an http or https URL' })
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'Where it takes place in person (at most 500 characters)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @NoControlCharacters()
  venue?: string | null;

  @Field(() => Int, { nullable: true, description: 'Places for GOING answers (1–100,000); null: no limit' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  capacity?: number | null;

  @Field(() => [Int], { nullable: true, description: `Minutes before the start (default 1440 and 60; at most ${MAX_REMINDERS}, each 1–${MAX_REMINDER_MINUTES}, no repeats)` })
  @IsOptional()
  @ArrayMaxSize(MAX_REMINDERS)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(MAX_REMINDER_MINUTES, { each: true })
  reminderMinutesBefore?: number[];
}

@InputType()
export class ScheduleMeetingInput extends MeetingDetailsInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field(() => MeetingKind)
  @IsIn(Object.values(MeetingKind))
  kind!: MeetingKind;

  @Field({ description: 'At most 200 characters' })
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @Length(1, 200)
  @NoControlCharacters()
  override title!: string;

  @Field(() => GraphQLDateTime, { description: 'In the future; an ANNUAL meeting in the second week of July' })
  override startsAt!: Date;
}

@ArgsType()
export class MeetingsArgs extends PageArgs {
  @Field(() => Boolean, {
    nullable: true,
    description: 'true: those not yet over, soonest first; false: those over, latest first; omitted: all, earliest first',
  })
  upcoming?: boolean | null;
}

@InputType({ description: 'What to change; omitted fields stay as they are (null clears description, url, venue, capacity, endsAt)' })
export class UpdateMeetingInput extends MeetingDetailsInput {
  @Field(() => ID)
  @IsString()
  meetingId!: string;
}
