import { Field, Float, Int, ObjectType } from 'type-graphql';

/** A community's activity over a period, all counts computed in SQL (see healthQuery.ts). */
@ObjectType({ description: "A community's activity over a period (aggregate counts only)" })
export class CommunityHealth {
  @Field(() => Int, { description: 'How many days the figures cover' })
  periodDays!: number;

  @Field(() => Int, {
    description: 'Distinct ACTIVE members who, in the period, started a thread, replied, reacted, shared or endorsed a resource',
  })
  activeMembers!: number;

  @Field(() => Int, { description: 'ACTIVE members who had joined by the end of the period' })
  memberCount!: number;

  @Field(() => Int)
  threadsStarted!: number;

  @Field(() => Int, { description: 'Replies (not deleted) posted in the period' })
  replies!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      "Median minutes from a thread's creation to its first reply by someone else, over threads started in the period; null when none was answered",
  })
  medianFirstReplyMinutes!: number | null;

  @Field(() => Int, { description: 'QUESTION threads started in the period' })
  questionsAsked!: number;

  @Field(() => Int, { description: 'QUESTION threads started in the period with no accepted answer and no reply' })
  unansweredQuestions!: number;

  @Field(() => Int, { description: 'Resources shared in the period (not removed)' })
  resourcesShared!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Meetings that started in the period and were held (their attendance recorded: status HELD)',
  })
  meetingsHeld!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Average attendees per meeting held in the period (recorded attendance, one decimal); null when none was held',
  })
  meetingAttendance!: number | null;

  @Field(() => Int, { description: 'Distinct community roles held by ACTIVE members' })
  rolesFilled!: number;

  @Field(() => Int, { description: 'Roles the community has asked to fill' })
  openRoles!: number;
}
