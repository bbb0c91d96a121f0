import { ArrayMaxSize, IsString } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

export const MAX_ATTENDEES = 10_000;

@InputType()
export class RecordAttendanceInput {
  @Field(() => ID)
  @IsString()
  meetingId!: string;

  @Field(() => [ID], { description: `Everyone who attended (Member IDs, ACTIVE members of the community; at most ${MAX_ATTENDEES}): replaces what was recorded` })
  @ArrayMaxSize(MAX_ATTENDEES)
  @IsString({ each: true })
  memberIds!: string[];
}
