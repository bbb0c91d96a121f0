import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../../shared/baseEntity';
import { TimePoll } from './timePoll.entity';

/** One time a poll offers: a start and a length. No two options of a poll are the same (a unique key). */
@ObjectType({ implements: Node, description: 'One time a time poll offers, with its answer counts' })
@Entity()
@Index({ name: 'time_poll_option_poll_index', properties: ['poll', 'startsAt', 'position'] })
@Unique({ name: 'time_poll_option_unique', properties: ['poll', 'startsAt', 'durationMinutes'] })
export class TimePollOption extends BaseEntity {
  @ManyToOne(() => TimePoll, { deleteRule: 'cascade' })
  poll!: Rel<TimePoll>;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'timestamptz', length: 3 })
  startsAt!: Date;

  @Field(() => Int, { description: 'How long the meeting would last (15–1440 minutes)' })
  @Property({ type: 'integer' })
  durationMinutes!: number;

  /** Its place in the creator's list: the last tie-break among options starting at the same instant. */
  @Property({ type: 'integer' })
  position!: number;

  @Field(() => GraphQLDateTime)
  get endsAt(): Date {
    return new Date(this.startsAt.getTime() + this.durationMinutes * 60_000);
  }
}
