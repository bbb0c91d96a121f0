import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../../shared/baseEntity';
import { Thread } from '../thread.entity';

/**
 * A poll inside a thread (at most one per thread, opened with it by startThread). It belongs to the thread only:
 * when a split or merge moves the thread, the poll goes with it. Its question, options and closing time never
 * change; votes live in PollBallot.
 */
@ObjectType({ implements: Node, description: 'A poll inside a thread; `Thread.poll` and `threadActivity` (PollVoted) show its counts' })
@Entity()
@Unique({ name: 'poll_thread_unique', properties: ['thread'] })
export class Poll extends BaseEntity {
  @ManyToOne(() => Thread, { deleteRule: 'cascade' })
  thread!: Rel<Thread>;

  @Field()
  @Property({ type: 'text' })
  question!: string;

  @Field({ description: 'True: a voter may choose several options; false: exactly one' })
  @Property({ type: 'boolean', default: false })
  multiple: boolean = false;

  @Field({ description: 'True: no path in the API shows who voted for what (only counts, and each viewer their own votes)' })
  @Property({ type: 'boolean', default: false })
  anonymous: boolean = false;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When voting ends; null: open for as long as the thread takes replies' })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  closesAt: Date | null = null;
}
