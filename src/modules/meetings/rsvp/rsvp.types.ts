import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { IsIn, IsString } from 'class-validator';
import { connectionType } from '../../../shared/pagination';
import { Member } from '../../members/member.entity';

/** The answers a member gives (WAITLISTED is what GOING becomes when the meeting is full: RsvpStatus). */
export enum RsvpAnswerStatus {
  GOING = 'GOING',
  INTERESTED = 'INTERESTED',
  NOT_GOING = 'NOT_GOING',
}
registerEnumType(RsvpAnswerStatus, { name: 'RsvpAnswerStatus', description: 'An answer to a meeting; GOING beyond its capacity is WAITLISTED' });

@InputType()
export class RsvpInput {
  @Field(() => ID)
  @IsString()
  meetingId!: string;

  @Field(() => RsvpAnswerStatus)
  @IsIn(Object.values(RsvpAnswerStatus))
  status!: RsvpAnswerStatus;
}

@ObjectType({ description: 'Someone coming to a meeting: who answered GOING, or, once attendance is recorded (HELD), who attended' })
export class MeetingAttendeeEdge {
  @Field()
  cursor!: string;

  @Field(() => Member)
  node!: Member;

  @Field({ description: 'True once attendance is recorded (the meeting is HELD): they attended. False: they answered GOING' })
  attended!: boolean;

  @Field(() => GraphQLDateTime, { description: 'When they got their place (GOING), or when their attendance was recorded' })
  since!: Date;
}

export const MeetingAttendeeConnection = connectionType('MeetingAttendee', Member, MeetingAttendeeEdge);
