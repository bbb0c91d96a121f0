import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { ArrayType, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../../shared/baseEntity';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';
import { Thread } from '../../discussions/thread.entity';

export enum MeetingKind {
  ANNUAL = 'ANNUAL',
  MEETUP = 'MEETUP',
  AMA = 'AMA',
  BOOK_CLUB = 'BOOK_CLUB',
  GUEST_SPEAKER = 'GUEST_SPEAKER',
  WORKING_SESSION = 'WORKING_SESSION',
  OTHER = 'OTHER',
}
registerEnumType(MeetingKind, {
  name: 'MeetingKind',
  description: 'ANNUAL: the yearly meeting every ACTIVE community holds in the second week of July (one per year, created by the API)',
});

export enum MeetingStatus {
  TENTATIVE = 'TENTATIVE',
  SCHEDULED = 'SCHEDULED',
  CANCELLED = 'CANCELLED',
  HELD = 'HELD',
}
registerEnumType(MeetingStatus, {
  name: 'MeetingStatus',
  description: 'TENTATIVE: date and time to be set (the annual meeting before staff set it). HELD: attendance was recorded',
});

/** Reminders go out this many minutes before a meeting unless its scheduler chose others (the contract's default). */
export const DEFAULT_REMINDER_MINUTES = [1440, 60];

/**
 * A meeting of one community: a meetup, book club, guest speaker… or its ANNUAL meeting. Times are instants (UTC);
 * `timeZone` is the zone the meeting is organised in (how its time is shown and put in calendars). `sortAt` is
 * `startsAt`, or for a TENTATIVE annual meeting the start of its July week, so lists have one total order.
 */
@ObjectType({ implements: Node, description: 'A meeting of a community (virtual room or venue), with answers and reminders' })
@Entity()
@Index({ name: 'meeting_community_sort_index', properties: ['community', 'sortAt', 'id'] })
@Unique({ name: 'meeting_annual_unique', properties: ['community', 'annualYear'] })
export class Meeting extends BaseEntity {
  @ManyToOne(() => Community, { deleteRule: 'cascade' })
  community!: Rel<Community>;

  /** Null: the API created it (the annual meeting), or the member is gone. */
  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  createdBy: Rel<Member> | null = null;

  @Field(() => MeetingKind)
  @Enum({ items: () => MeetingKind, nativeEnumName: 'meeting_kind' })
  kind!: MeetingKind;

  @Field(() => MeetingStatus)
  @Enum({ items: () => MeetingStatus, nativeEnumName: 'meeting_status', default: MeetingStatus.SCHEDULED })
  status: MeetingStatus = MeetingStatus.SCHEDULED;

  @Field()
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Null only while a TENTATIVE annual meeting waits for its time' })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  startsAt: Date | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  endsAt: Date | null = null;

  @Property({ type: 'timestamptz', length: 3 })
  sortAt!: Date;

  @Field({ description: 'The IANA time zone the meeting is organised in (times themselves are UTC)' })
  @Property({ type: 'text' })
  timeZone!: string;

  @Field(() => String, { nullable: true, description: 'The virtual room (http or https)' })
  @Property({ type: 'text', nullable: true })
  url: string | null = null;

  @Field(() => String, { nullable: true, description: 'Where it takes place in person' })
  @Property({ type: 'text', nullable: true })
  venue: string | null = null;

  @Field(() => Int, { nullable: true, description: 'Places for GOING answers; beyond it answers are WAITLISTED. Null: no limit' })
  @Property({ type: 'integer', nullable: true })
  capacity: number | null = null;

  @Field(() => [Int], { description: 'Reminders go to GOING and INTERESTED members this many minutes before it starts' })
  @Property({ type: new ArrayType((minutes) => Number(minutes)), columnType: 'int[]' })
  reminderMinutesBefore: number[] = [...DEFAULT_REMINDER_MINUTES];

  /** The year of an ANNUAL meeting (one per community and year, enforced by a unique key); null for other kinds. */
  @Property({ type: 'integer', nullable: true })
  annualYear: number | null = null;

  /** iCalendar SEQUENCE: bumped whenever the time, place or status changes, so calendars replace their copy. */
  @Property({ type: 'integer', default: 0 })
  sequence: number = 0;

  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  updatedAt: Date = new Date();

  @Field(() => String, { nullable: true, description: 'The summary posted after the meeting (postMeetingSummary)' })
  @Property({ type: 'text', nullable: true })
  summary: string | null = null;

  @Property({ type: 'timestamptz', length: 3, nullable: true })
  cancelledAt: Date | null = null;

  /** The ANNOUNCEMENT thread postMeetingSummary posted in the community (null until then, or once it is gone). */
  @ManyToOne(() => Thread, { nullable: true, deleteRule: 'set null' })
  @Index({ name: 'meeting_summary_thread_index' })
  summaryThread: Rel<Thread> | null = null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When postMeetingSummary posted its summary (null until then)' })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  summaryPostedAt: Date | null = null;

  get isAnnual(): boolean {
    return this.kind === MeetingKind.ANNUAL;
  }
}
