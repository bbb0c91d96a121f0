import { ArrayMaxSize, IsString, Length, Matches } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { NoControlCharacters } from '../../../shared/validation';

export const MAX_SUMMARY_RESOURCES = 20;

@InputType()
export class PostMeetingSummaryInput {
  @Field(() => ID)
  @IsString()
  meetingId!: string;

  @Field({ description: 'What was discussed and decided (1–10,000 characters; line breaks kept)' })
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @Length(1, 10_000)
  @NoControlCharacters()
  summary!: string;

  @Field(() => [ID], { defaultValue: [], description: `Resources shared at the meeting: resources of its community (at most ${MAX_SUMMARY_RESOURCES})` })
  @ArrayMaxSize(MAX_SUMMARY_RESOURCES)
  @IsString({ each: true })
  resourceIds!: string[];
}
