import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../shared/baseEntity';
import { Member } from '../members/member.entity';

export enum MentorshipStatus {
  PROPOSED = 'PROPOSED',
  ACTIVE = 'ACTIVE',
  DECLINED = 'DECLINED',
  COMPLETED = 'COMPLETED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(MentorshipStatus, {
  name: 'MentorshipStatus',
  description:
    'PROPOSED by the mentee, who may withdraw it (WITHDRAWN) until the mentor makes it ACTIVE or DECLINED; ' +
    'either participant makes an ACTIVE one COMPLETED',
});

/** Statuses in which a pairing is still open: the same two people may not have two of them at once. */
export const OPEN_MENTORSHIP_STATUSES = [MentorshipStatus.PROPOSED, MentorshipStatus.ACTIVE];

/** One-on-one mentoring between two members; private to the two of them. */
@ObjectType({ implements: Node, description: 'One-on-one mentoring between a mentor and a mentee; visible to the two of them only' })
@Entity()
@Index({ properties: ['mentor', 'createdAt', 'id'] })
@Index({ properties: ['mentee', 'createdAt', 'id'] })
// At most one open pairing between the same two members, whoever mentors whom (the race is settled here).
@Unique({
  name: 'mentorship_pairing_open_pair_unique',
  expression:
    'create unique index "mentorship_pairing_open_pair_unique" on "mentorship_pairing" ' +
    `(least("mentor_id", "mentee_id"), greatest("mentor_id", "mentee_id")) where "status" in ('PROPOSED', 'ACTIVE')`,
})
export class MentorshipPairing extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'goals' | 'message' | 'respondedAt' | 'completedAt';

  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  mentor!: Rel<Member>;

  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  mentee!: Rel<Member>;

  @Field(() => MentorshipStatus)
  @Enum({ items: () => MentorshipStatus, nativeEnumName: 'mentorship_status' })
  status!: MentorshipStatus;

  @Field(() => [String], { description: 'What the mentee wants to work on (normalised topics)' })
  @Property({ type: 'text[]' })
  topics!: string[];

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  goals: string | null = null;

  @Field(() => String, { nullable: true, description: 'The mentee’s note to the mentor' })
  @Property({ type: 'text', nullable: true })
  message: string | null = null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the mentor accepted or declined' })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  respondedAt: Date | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  completedAt: Date | null = null;

  isParticipant(memberId: string | undefined): boolean {
    return memberId !== undefined && (this.mentor.id === memberId || this.mentee.id === memberId);
  }
}

/** A note one participant logs on an ACTIVE pairing. */
@ObjectType({ implements: Node, description: 'A note logged by a participant of an ACTIVE mentorship' })
@Entity()
@Index({ properties: ['pairing', 'createdAt', 'id'] })
export class MentorshipCheckIn extends BaseEntity {
  [OptionalProps]?: 'createdAt';

  @ManyToOne(() => MentorshipPairing, { deleteRule: 'cascade' })
  pairing!: Rel<MentorshipPairing>;

  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  @Index()
  author!: Rel<Member>;

  @Field()
  @Property({ type: 'text' })
  note!: string;
}
