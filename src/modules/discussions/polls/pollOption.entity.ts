import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity, Node } from '../../../shared/baseEntity';
import { Poll } from './poll.entity';

/** One answer of a poll, in the order it was given; the (poll, position) key is also the options loader's index. */
@ObjectType({ implements: Node, description: 'One option of a poll; `votes` counts the voters who chose it' })
@Entity()
@Unique({ name: 'poll_option_poll_position_unique', properties: ['poll', 'position'] })
export class PollOption extends BaseEntity {
  @ManyToOne(() => Poll, { deleteRule: 'cascade' })
  poll!: Rel<Poll>;

  @Property({ type: 'smallint' })
  position!: number;

  @Field()
  @Property({ type: 'text' })
  text!: string;
}
