import { Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../../shared/baseEntity';
import { isOpenAt, type Closable } from '../../../shared/closing';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';
import { Meeting } from '../meeting/meeting.entity';
import { TimePollOption } from './timePollOption.entity';

export enum TimePollStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
registerEnumType(TimePollStatus, {
  name: 'TimePollStatus',
  description: 'OPEN: taking answers. CLOSED: closesAt has passed or closeTimePoll closed it; answers are refused (CONFLICT)',
});

/**
 * "When shall we meet?": a community organiser offers 2–20 times, members answer YES, IF_NEEDED or NO to each, and
 * closing the poll records the chosen time (and can schedule the meeting). Times are instants (UTC); `timeZone` is the
 * zone the poll is organised in, how its options are shown where no reader's own zone is known.
 */
@ObjectType({ implements: Node, description: 'A time poll of a community: which of a few times suits its members' })
@Entity()
@Index({ name: 'time_poll_community_index', properties: ['community', 'createdAt', 'id'] })
export class TimePoll extends BaseEntity {
  @ManyToOne(() => Community, { deleteRule: 'cascade' })
  community!: Rel<Community>;

  /** Null: the member is gone. */
  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  createdBy: Rel<Member> | null = null;

  @Field()
  @Property({ type: 'text' })
  title!: string;

  @Field({ description: "The IANA time zone it is organised in (default: its creator's, else the organisation's); the API's times are UTC" })
  @Property({ type: 'text' })
  timeZone!: string;

  @Field(() => GraphQLDateTime, { description: 'Answers are taken until this instant (exclusive)' })
  @Property({ type: 'timestamptz', length: 3 })
  closesAt!: Date;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When closeTimePoll closed it (null: not yet, even once closesAt has passed)' })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  closedAt: Date | null = null;

  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  closedBy: Rel<Member> | null = null;

  /** The option closeTimePoll chose (given, or the best one). */
  @ManyToOne(() => TimePollOption, { nullable: true, deleteRule: 'set null' })
  chosenOption: Rel<TimePollOption> | null = null;

  /** The meeting closing it scheduled (`schedule: true`). */
  @ManyToOne(() => Meeting, { nullable: true, deleteRule: 'set null' })
  meeting: Rel<Meeting> | null = null;

  /** Closed by closeTimePoll, or closing by itself at closesAt (src/shared/closing.ts decides). */
  get closing(): Closable {
    return { closed: this.closedAt !== null, closesAt: this.closesAt };
  }

  /** Whether it still takes answers at `now`: not closed by closeTimePoll and closesAt not reached. */
  isOpenAt(now: Date): boolean {
    return isOpenAt(this.closing, now);
  }

  @Field(() => TimePollStatus)
  get status(): TimePollStatus {
    return this.isOpenAt(new Date()) ? TimePollStatus.OPEN : TimePollStatus.CLOSED;
  }
}
