import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../shared/baseEntity';
import { Member } from '../members/member.entity';
import { Community } from './community.entity';

export enum MembershipStatus {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  LEFT = 'LEFT',
  DECLINED = 'DECLINED',
}
registerEnumType(MembershipStatus, {
  name: 'MembershipStatus',
  description: 'PENDING until approved (RESTRICTED communities); DECLINED when a lead or staff turned the request down',
});

export enum NotificationPreference {
  REALTIME = 'REALTIME',
  DAILY_DIGEST = 'DAILY_DIGEST',
  WEEKLY_DIGEST = 'WEEKLY_DIGEST',
  NONE = 'NONE',
}
registerEnumType(NotificationPreference, {
  name: 'NotificationPreference',
  description: 'How a member hears about activity in a community',
});

export enum CommunityRole {
  DISCUSSION_MONITOR = 'DISCUSSION_MONITOR',
  MEETING_COORDINATOR = 'MEETING_COORDINATOR',
  EVENT_COORDINATOR = 'EVENT_COORDINATOR',
  LEAD = 'LEAD',
}
registerEnumType(CommunityRole, { name: 'CommunityRole', description: 'Volunteer roles a community assigns itself' });

@ObjectType({ implements: Node, description: "A member's place in one community" })
@Entity()
@Unique({ properties: ['member', 'community'] })
@Index({ properties: ['community', 'status', 'joinedAt'] })
export class Membership extends BaseEntity {
  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  @Index()
  member!: Rel<Member>;

  @ManyToOne(() => Community, { deleteRule: 'cascade' })
  community!: Rel<Community>;

  @Field(() => MembershipStatus)
  @Enum({ items: () => MembershipStatus, nativeEnumName: 'membership_status' })
  status!: MembershipStatus;

  @Field(() => [CommunityRole])
  @Enum({ items: () => CommunityRole, array: true, default: [] })
  roles: CommunityRole[] = [];

  @Field(() => NotificationPreference)
  @Enum({ items: () => NotificationPreference, nativeEnumName: 'notification_preference' })
  notificationPreference: NotificationPreference = NotificationPreference.REALTIME;

  /** When the membership last became ACTIVE; null while pending or after leaving. */
  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  joinedAt: Date | null = null;

  @Property({ type: 'timestamptz', length: 3, nullable: true })
  approvedAt: Date | null = null;

  /** The community's standards version (CommunityStandards.version) the member accepted; see governance/standards. */
  @Field(() => String, { nullable: true, description: "The version of the community's standards the member accepted (on joining, on approval, or with acceptCommunityStandards)" })
  @Property({ type: 'text', nullable: true })
  acceptedStandardsVersion: string | null = null;

  @Property({ type: 'timestamptz', length: 3, onUpdate: () => new Date(), nullable: true })
  updatedAt: Date | null = null;

  get isActive(): boolean {
    return this.status === MembershipStatus.ACTIVE;
  }

  hasRole(role: CommunityRole): boolean {
    return this.isActive && this.roles.includes(role);
  }
}
