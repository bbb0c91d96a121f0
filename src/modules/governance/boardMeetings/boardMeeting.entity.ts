import { Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../../shared/baseEntity';
import { Member } from '../../members/member.entity';

/**
 * A meeting of the board. Proposals are reviewed at them: a proposal is UNDER_REVIEW from the start of the first one
 * after its receipt, and due for a decision by the start of the second (see proposalTimeline.ts).
 */
@ObjectType({ implements: Node, description: 'A board meeting: proposals received before it are reviewed from its start' })
@Entity()
@Index({ name: 'board_meeting_starts_at_index', properties: ['startsAt', 'id'] })
export class BoardMeeting extends BaseEntity {
  [OptionalProps]?: 'createdAt';

  @Field(() => GraphQLDateTime)
  @Property({ type: 'timestamptz', length: 3 })
  startsAt!: Date;

  /** Null once that member is gone. */
  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  scheduledBy: Rel<Member> | null = null;
}
