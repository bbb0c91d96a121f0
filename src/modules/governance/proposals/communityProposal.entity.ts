import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../../shared/baseEntity';
import { Member } from '../../members/member.entity';
import { Community, CommunityVisibility } from '../../communities/community.entity';

export enum ProposalStatus {
  SUBMITTED = 'SUBMITTED',
  UNDER_REVIEW = 'UNDER_REVIEW',
  APPROVED = 'APPROVED',
  DECLINED = 'DECLINED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(ProposalStatus, {
  name: 'ProposalStatus',
  description:
    'SUBMITTED: received, editable by the proposer. UNDER_REVIEW: the first board meeting after receipt has started ' +
    '(no longer editable). APPROVED (the community exists), DECLINED, WITHDRAWN (by the proposer): final.',
});

export enum ProposalDecision {
  APPROVE = 'APPROVE',
  DECLINE = 'DECLINE',
}
registerEnumType(ProposalDecision, { name: 'ProposalDecision' });

/**
 * A member's proposal for a new community, decided by the board or staff. Readable by its proposer, the board and
 * staff only (proposal.policy.ts), on every path. `recordedStatus` is what commands and the timeline job wrote; the
 * API's `status` is derived from it and the board meetings at read time (proposalTimeline.ts), so it is exact
 * whenever the job last ran.
 */
@ObjectType({ implements: Node, description: 'A proposal for a new community: for its proposer, the board and staff only' })
@Entity()
@Index({ name: 'community_proposal_order_index', properties: ['createdAt', 'id'] })
@Index({ name: 'community_proposal_proposer_index', properties: ['proposer', 'createdAt', 'id'] })
export class CommunityProposal extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'recordedStatus' | 'receivedAt' | 'topics' | 'additionalStandards' | 'visibility';

  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  proposer!: Rel<Member>;

  @Enum({ items: () => ProposalStatus, fieldName: 'status', default: ProposalStatus.SUBMITTED })
  recordedStatus: ProposalStatus = ProposalStatus.SUBMITTED;

  @Field(() => GraphQLDateTime, { description: 'When the organisation received it (its review follows the next board meetings)' })
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  receivedAt: Date = new Date();

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field({ description: "The proposed community's slug (checked again when it is approved)" })
  @Property({ type: 'text' })
  slug!: string;

  @Field()
  @Property({ type: 'text' })
  description!: string;

  @Field(() => [String])
  @Property({ type: 'text[]', default: [] })
  topics: string[] = [];

  @Field({ description: 'Why the community is needed' })
  @Property({ type: 'text' })
  statementOfNeed!: string;

  @Field()
  @Property({ type: 'text' })
  plannedActivities!: string;

  @Field()
  @Property({ type: 'text' })
  intendedImpact!: string;

  @Field({ description: 'How the annual review will decide whether it continues' })
  @Property({ type: 'text' })
  continuationCriteria!: string;

  @Field(() => String, { nullable: true, description: 'Support asked for beyond the standard support' })
  @Property({ type: 'text', nullable: true })
  resourcesRequested: string | null = null;

  @Field(() => [String], { description: "Standards the community would add to the organisation's code of conduct" })
  @Property({ type: 'text[]', default: [] })
  additionalStandards: string[] = [];

  @Field(() => String, { nullable: true, description: 'Why the additional standards (required when there are any)' })
  @Property({ type: 'text', nullable: true })
  standardsRationale: string | null = null;

  @Field(() => CommunityVisibility)
  @Enum({ items: () => CommunityVisibility, nativeEnumName: 'community_visibility', default: CommunityVisibility.OPEN })
  visibility: CommunityVisibility = CommunityVisibility.OPEN;

  @Field(() => String, { nullable: true, description: 'Why joining needs approval (required when RESTRICTED)' })
  @Property({ type: 'text', nullable: true })
  membershipRationale: string | null = null;

  @Field(() => ProposalDecision, { nullable: true })
  @Enum({ items: () => ProposalDecision, nullable: true })
  decision: ProposalDecision | null = null;

  @Field(() => String, { nullable: true, description: "The board's note on its decision (always given when declined)" })
  @Property({ type: 'text', nullable: true })
  decisionNote: string | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  decidedAt: Date | null = null;

  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  decidedBy: Rel<Member> | null = null;

  /** The community created when it was approved. */
  @ManyToOne(() => Community, { nullable: true, deleteRule: 'set null' })
  community: Rel<Community> | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  withdrawnAt: Date | null = null;

  /** When the timeline job recorded the start of its review (ProposalReviewStarted). */
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  reviewStartedAt: Date | null = null;

  /** When the timeline job recorded that it was overdue (ProposalOverdue, once). */
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  overdueNotifiedAt: Date | null = null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the proposer last edited it' })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  updatedAt: Date | null = null;
}
