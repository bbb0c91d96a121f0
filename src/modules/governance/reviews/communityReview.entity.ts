import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../../shared/baseEntity';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';
import type { CommunityHealth } from '../health/communityHealth.types';

export enum ReviewStatus {
  OPEN = 'OPEN',
  DECIDED = 'DECIDED',
}
registerEnumType(ReviewStatus, { name: 'CommunityReviewStatus', description: 'OPEN from its start until staff record a decision' });

export enum ReviewDecision {
  CONTINUE = 'CONTINUE',
  CHANGE_FOCUS = 'CHANGE_FOCUS',
  SPLIT = 'SPLIT',
  MERGE = 'MERGE',
  RETIRE = 'RETIRE',
}
registerEnumType(ReviewDecision, {
  name: 'CommunityReviewDecision',
  description: 'What the annual review decided; the follow-up (changeCommunityFocus, splitCommunity, …) is a separate staff action',
});

/** What a review froze when it started: the year's health and the criteria it is judged against. */
export interface ReviewSnapshot {
  health: CommunityHealth;
  continuationCriteria: string | null;
  periodStart: string;
  periodEnd: string;
  takenAt: string;
}

/** A community's annual review: one per community and year (the unique key makes a second start a CONFLICT). */
@ObjectType({ implements: Node, description: "A community's annual review: a frozen health snapshot and staff's decision" })
@Entity()
@Unique({ name: 'community_review_community_year_unique', properties: ['community', 'year'] })
export class CommunityReview extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'status' | 'startedAt';

  @ManyToOne(() => Community, { deleteRule: 'cascade' })
  community!: Rel<Community>;

  @Field(() => Int, { description: 'The calendar year reviewed (in the organisation time zone)' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => ReviewStatus)
  @Enum({ items: () => ReviewStatus, nativeEnumName: 'community_review_status', default: ReviewStatus.OPEN })
  status: ReviewStatus = ReviewStatus.OPEN;

  /** Written once by startCommunityReview, never updated: later activity does not change what was reviewed. */
  @Property({ type: 'jsonb' })
  snapshot!: ReviewSnapshot;

  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  startedBy: Rel<Member> | null = null;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  startedAt: Date = new Date();

  @Field(() => ReviewDecision, { nullable: true })
  @Enum({ items: () => ReviewDecision, nativeEnumName: 'community_review_decision', nullable: true })
  decision: ReviewDecision | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  decisionNote: string | null = null;

  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  decidedBy: Rel<Member> | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  decidedAt: Date | null = null;
}
