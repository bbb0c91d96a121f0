import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from '../../shared/baseEntity';

export enum CommunityVisibility {
  OPEN = 'OPEN',
  RESTRICTED = 'RESTRICTED',
}
registerEnumType(CommunityVisibility, {
  name: 'CommunityVisibility',
  description: 'OPEN: anyone may read and any member may join. RESTRICTED: joining needs approval and content is for members only.',
});

export enum CommunityStatus {
  ACTIVE = 'ACTIVE',
  RETIRED = 'RETIRED',
}
registerEnumType(CommunityStatus, { name: 'CommunityStatus' });

@ObjectType({ implements: Node, description: 'A community of practice: a topic group with members, discussion and resources' })
@Entity()
export class Community extends BaseEntity {
  @Field()
  @Property({ type: 'text' })
  @Unique()
  slug!: string;

  @Field()
  @Property({ type: 'text' })
  @Index()
  name!: string;

  @Field()
  @Property({ type: 'text' })
  description!: string;

  @Field(() => [String])
  @Property({ type: 'text[]', default: [] })
  @Index({ type: 'gin' })
  topics: string[] = [];

  @Field(() => CommunityVisibility)
  @Enum({ items: () => CommunityVisibility, nativeEnumName: 'community_visibility', default: CommunityVisibility.OPEN })
  visibility: CommunityVisibility = CommunityVisibility.OPEN;

  /** Why membership is restricted; required when RESTRICTED. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  membershipRationale: string | null = null;

  @Field(() => CommunityStatus)
  @Enum({ items: () => CommunityStatus, nativeEnumName: 'community_status', default: CommunityStatus.ACTIVE })
  status: CommunityStatus = CommunityStatus.ACTIVE;

  // The standard support (see foundCommunity): listed on the public site, a mailing list, hosted meetings and
  // announcements allowed. Exposed as `Community.support` by the governance module.
  @Property({ type: 'boolean', default: true })
  listed: boolean = true;

  @Property({ type: 'text', nullable: true })
  mailingListAddress: string | null = null;

  @Property({ type: 'boolean', default: true })
  hostedMeetings: boolean = true;

  @Property({ type: 'boolean', default: true })
  announcements: boolean = true;

  /** Roles the community wants filled (CommunityRole values; see setOpenRoles). Text, not the enum, to keep this file free of membership's. */
  @Property({ type: 'text[]', default: [] })
  openRoles: string[] = [];

  /** How the annual review decides whether it continues (from its proposal); null for communities founded directly. */
  @Field(() => String, { nullable: true, description: 'The criteria the annual review uses to decide whether it continues' })
  @Property({ type: 'text', nullable: true })
  continuationCriteria: string | null = null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was retired (on its own, split or merged)' })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  retiredAt: Date | null = null;

  /** The community this one was merged into (it is then RETIRED). */
  @ManyToOne(() => Community, { nullable: true, deleteRule: 'set null' })
  mergedInto: Rel<Community> | null = null;

  /** The community this one was split from (that one is RETIRED, its `successors` are the parts). */
  @ManyToOne(() => Community, { nullable: true, deleteRule: 'set null' })
  @Index()
  splitFrom: Rel<Community> | null = null;

  get isRestricted(): boolean {
    return this.visibility === CommunityVisibility.RESTRICTED;
  }
}
