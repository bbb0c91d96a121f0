import { Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { BaseEntity, Node } from '../../../shared/baseEntity';
import { toGlobalId } from '../../../shared/ids';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';

/**
 * One governance action (a proposal decided, a standard added, a community merged…): who, what, when, and the
 * before/after where it matters. Written by `recordAudit` in the action's own transaction; never updated.
 */
@ObjectType({ implements: Node, description: 'One governance action, for staff and board' })
@Entity()
@Index({ name: 'audit_entry_order_index', properties: ['createdAt', 'id'] })
@Index({ name: 'audit_entry_community_index', properties: ['community', 'createdAt', 'id'] })
export class AuditEntry extends BaseEntity {
  /** Null: the system (a scheduled job). */
  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  actor: Rel<Member> | null = null;

  @Field({ description: 'What was done, e.g. `proposal.decided`, `community.merged`' })
  @Property({ type: 'text' })
  action!: string;

  /** The node type and database ID of what it was done to. */
  @Property({ type: 'text' })
  subjectType!: string;

  @Property({ type: 'uuid' })
  subjectId!: string;

  /** The community concerned, when there is one (kept when the community is retired or merged). */
  @ManyToOne(() => Community, { nullable: true, deleteRule: 'set null' })
  community: Rel<Community> | null = null;

  @Field(() => GraphQLJSONObject, { description: 'What changed: `before`/`after` values, notes, counts, IDs (global)' })
  @Property({ type: 'jsonb', default: '{}' })
  details: Record<string, unknown> = {};

  @Field(() => GraphQLDateTime, { description: 'When it was done' })
  get at(): Date {
    return this.createdAt;
  }

  @Field(() => ID, { description: "The global ID of what it was done to (readable through node(id) per that object's rules)" })
  get subjectNodeId(): string {
    return toGlobalId(this.subjectType, this.subjectId);
  }
}
