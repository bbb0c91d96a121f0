import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../../shared/baseEntity';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';

export enum SupportKind {
  MEETING_FACILITATION = 'MEETING_FACILITATION',
  PRACTICE_SESSION = 'PRACTICE_SESSION',
  IN_PERSON_MEETING = 'IN_PERSON_MEETING',
  OTHER = 'OTHER',
}
registerEnumType(SupportKind, {
  name: 'SupportKind',
  description: 'What a community asks the organisation for; IN_PERSON_MEETING expenses also need the board',
});

export enum SupportRequestStatus {
  REQUESTED = 'REQUESTED',
  AWAITING_BOARD = 'AWAITING_BOARD',
  APPROVED = 'APPROVED',
  DECLINED = 'DECLINED',
}
registerEnumType(SupportRequestStatus, {
  name: 'SupportRequestStatus',
  description:
    'REQUESTED: waiting for staff. AWAITING_BOARD: an IN_PERSON_MEETING request staff approved, waiting for the board ' +
    '(in-person expenses need its approval before any planning). APPROVED and DECLINED are final',
});

/** Money is kept in integer cents (no rounding anywhere) and shown as a decimal string with two places. */
export const formatCents = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/**
 * A community's request for more help than the standard support (facilitation, a practice session, an in-person
 * meeting…). Staff decide it; an in-person meeting staff approved then waits for the board. Each stage's decision is
 * kept in its own columns (who, when, note), so the record is its history.
 */
@ObjectType({ implements: Node, description: "A community's request for support beyond the standard support" })
@Entity()
@Index({ name: 'support_request_community_index', properties: ['community', 'createdAt', 'id'] })
export class SupportRequest extends BaseEntity {
  @ManyToOne(() => Community, { deleteRule: 'cascade' })
  community!: Rel<Community>;

  /** Null: the member is gone. */
  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  requestedBy: Rel<Member> | null = null;

  @Field(() => SupportKind)
  @Enum({ items: () => SupportKind, nativeEnumName: 'support_kind' })
  kind!: SupportKind;

  @Field()
  @Property({ type: 'text' })
  details!: string;

  @Field(() => Int, { description: 'The estimated cost in cents (estimatedCost × 100)' })
  @Property({ type: 'integer' })
  estimatedCostCents!: number;

  @Field(() => SupportRequestStatus)
  @Enum({ items: () => SupportRequestStatus, nativeEnumName: 'support_request_status', default: SupportRequestStatus.REQUESTED })
  status: SupportRequestStatus = SupportRequestStatus.REQUESTED;

  @Field(() => String, { nullable: true, description: "Staff's note with their decision (required when they declined)" })
  @Property({ type: 'text', nullable: true })
  staffNote: string | null = null;

  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  staffDecidedBy: Rel<Member> | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  staffDecidedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: "The board's note with its decision (required when it declined)" })
  @Property({ type: 'text', nullable: true })
  boardNote: string | null = null;

  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  boardDecidedBy: Rel<Member> | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  boardDecidedAt: Date | null = null;

  @Field({ description: 'The estimated cost as a decimal string with two places, e.g. "1250.00" (the organisation\'s currency)' })
  get estimatedCost(): string {
    return formatCents(this.estimatedCostCents);
  }

  @Field({ description: 'Whether the board must approve it after staff (IN_PERSON_MEETING)' })
  get needsBoardApproval(): boolean {
    return this.kind === SupportKind.IN_PERSON_MEETING;
  }

  get decided(): boolean {
    return this.status === SupportRequestStatus.APPROVED || this.status === SupportRequestStatus.DECLINED;
  }
}
