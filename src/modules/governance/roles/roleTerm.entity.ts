import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../../shared/baseEntity';
import { Member } from '../../members/member.entity';
import { CommunityRole, Membership } from '../../communities/membership.entity';

export enum RoleTermEndReason {
  /** A LEAD or staff revoked the role. */
  REVOKED = 'REVOKED',
  /** Handed over to another member (see handedOverTo and handoverNote). */
  HANDED_OVER = 'HANDED_OVER',
  /** Its termEndsAt passed and the role lapsed. */
  TERM_ENDED = 'TERM_ENDED',
  /** The holder left the community. */
  LEFT_COMMUNITY = 'LEFT_COMMUNITY',
  /** Its membership was merged into another that held the same role (see moveRoleTerms). */
  MERGED = 'MERGED',
}
registerEnumType(RoleTermEndReason, { name: 'RoleTermEndReason', description: 'Why a role term ended' });

/**
 * One stretch of a member holding a volunteer role: granted (or handed over) at `startedAt`, optionally until
 * `termEndsAt`, ended at `endedAt` for `endReason`. `Membership.roles` stays the source of truth for rights; terms
 * are the history and the schedule (warnings, lapses). At most one open term per membership and role.
 */
@ObjectType({ implements: Node, description: 'A member holding a volunteer role for a while: the role’s history and term' })
@Entity()
@Index({ name: 'role_term_membership_index', properties: ['membership', 'startedAt', 'id'] })
@Index({ name: 'role_term_open_unique', expression: 'create unique index "role_term_open_unique" on "role_term" ("membership_id", "role") where "ended_at" is null' })
@Index({ name: 'role_term_ends_index', expression: 'create index "role_term_ends_index" on "role_term" ("term_ends_at") where "ended_at" is null and "term_ends_at" is not null' })
export class RoleTerm extends BaseEntity {
  @ManyToOne(() => Membership, { deleteRule: 'cascade' })
  membership!: Rel<Membership>;

  @Field(() => CommunityRole)
  @Enum({ items: () => CommunityRole })
  role!: CommunityRole;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'timestamptz', length: 3 })
  startedAt: Date = new Date();

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the role lapses unless renewed; null: until revoked or handed over' })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  termEndsAt: Date | null = null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Null while the term is open' })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  endedAt: Date | null = null;

  @Field(() => RoleTermEndReason, { nullable: true })
  @Enum({ items: () => RoleTermEndReason, nullable: true })
  endReason: RoleTermEndReason | null = null;

  @Field(() => String, { nullable: true, description: 'What the holder passed on to their successor' })
  @Property({ type: 'text', nullable: true })
  handoverNote: string | null = null;

  /** The recipient's membership when the term ended by a handover. */
  @ManyToOne(() => Membership, { nullable: true, deleteRule: 'set null' })
  handedOverTo: Rel<Membership> | null = null;

  /** Who granted it (or handed it over); null: the system, the demo data or a member since deleted. */
  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  grantedBy: Rel<Member> | null = null;

  /** When the ROLE_TERM_ENDING warning was recorded; reset when the term's end changes. */
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  endingNotifiedAt: Date | null = null;
}
