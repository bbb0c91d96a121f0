import { Check, Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../shared/baseEntity';
import { Member } from '../members/member.entity';

export enum MentoringGroupStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
registerEnumType(MentoringGroupStatus, {
  name: 'MentoringGroupStatus',
  description: 'OPEN groups take new members; CLOSED ones (closed by their mentor or staff) keep their members but take no more',
});

/** Group mentoring: one mentor, one topic, up to `capacity` members who join and leave. */
@ObjectType({ implements: Node, description: 'Group mentoring: a mentor, a topic and up to `capacity` members' })
@Entity()
@Index({ properties: ['topic', 'createdAt', 'id'] })
@Index({ properties: ['createdAt', 'id'] })
@Check({ name: 'mentoring_group_counts_check', expression: 'member_count >= 0 and member_count <= capacity' })
export class MentoringGroup extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'memberCount' | 'description' | 'status' | 'closedAt';

  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  @Index()
  mentor!: Rel<Member>;

  @Field({ description: 'Normalised like profile topics' })
  @Property({ type: 'text' })
  topic!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Field(() => Int)
  @Property({ type: 'integer' })
  capacity!: number;

  /** Kept by join and leave under a lock on this row; the check constraint backs the capacity rule. */
  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  memberCount: number = 0;

  @Field(() => MentoringGroupStatus)
  @Enum({ items: () => MentoringGroupStatus, nativeEnumName: 'mentoring_group_status', default: MentoringGroupStatus.OPEN })
  status: MentoringGroupStatus = MentoringGroupStatus.OPEN;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  closedAt: Date | null = null;
}

/** A member's place in a mentoring group (leaving deletes it). */
@Entity()
@Unique({ properties: ['group', 'member'] })
@Index({ properties: ['group', 'createdAt', 'id'] })
export class MentoringGroupMember extends BaseEntity {
  [OptionalProps]?: 'createdAt';

  @ManyToOne(() => MentoringGroup, { deleteRule: 'cascade' })
  group!: Rel<MentoringGroup>;

  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  @Index()
  member!: Rel<Member>;
}
