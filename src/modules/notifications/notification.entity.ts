import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../shared/baseEntity';
import { Member } from '../members/member.entity';
import { Community } from '../communities/community.entity';

/** Every kind the contract names; the ones no module produces yet (meetings, governance, rituals) are reserved. */
export enum NotificationKind {
  REPLY_TO_THREAD = 'REPLY_TO_THREAD',
  REPLY_TO_POST = 'REPLY_TO_POST',
  ANSWER_ACCEPTED = 'ANSWER_ACCEPTED',
  NEW_THREAD = 'NEW_THREAD',
  ANNOUNCEMENT = 'ANNOUNCEMENT',
  MEMBERSHIP_REQUESTED = 'MEMBERSHIP_REQUESTED',
  MEMBERSHIP_APPROVED = 'MEMBERSHIP_APPROVED',
  ROLE_GRANTED = 'ROLE_GRANTED',
  ROLE_TERM_ENDING = 'ROLE_TERM_ENDING',
  ROLE_VACANT = 'ROLE_VACANT',
  MENTORSHIP_REQUESTED = 'MENTORSHIP_REQUESTED',
  MENTORSHIP_ANSWERED = 'MENTORSHIP_ANSWERED',
  MENTORSHIP_CHECK_IN = 'MENTORSHIP_CHECK_IN',
  MEETING_SCHEDULED = 'MEETING_SCHEDULED',
  MEETING_REMINDER = 'MEETING_REMINDER',
  /** A meeting the recipient answered moved (its time or place changed). */
  MEETING_UPDATED = 'MEETING_UPDATED',
  /** A meeting the recipient answered was cancelled. */
  MEETING_CANCELLED = 'MEETING_CANCELLED',
  MEETING_SUMMARY = 'MEETING_SUMMARY',
  WAITLIST_PROMOTED = 'WAITLIST_PROMOTED',
  PROPOSAL_SUBMITTED = 'PROPOSAL_SUBMITTED',
  PROPOSAL_DECIDED = 'PROPOSAL_DECIDED',
  PROPOSAL_OVERDUE = 'PROPOSAL_OVERDUE',
  SURVEY_OPENED = 'SURVEY_OPENED',
  RITUAL_PROMPT = 'RITUAL_PROMPT',
  TIME_POLL_OPENED = 'TIME_POLL_OPENED',
}
registerEnumType(NotificationKind, { name: 'NotificationKind', description: 'What a notification is about' });

/**
 * Community mail: sent to members whose membership preference is REALTIME (digest members get these in their digest,
 * NONE members nothing). Every other kind is a direct notification, emailed per the member's `emailNotifications`.
 */
export const COMMUNITY_KINDS: ReadonlySet<NotificationKind> = new Set([
  NotificationKind.NEW_THREAD,
  NotificationKind.ANNOUNCEMENT,
  NotificationKind.MEETING_SCHEDULED,
  NotificationKind.SURVEY_OPENED,
  NotificationKind.TIME_POLL_OPENED,
]);

/** The node types whose reading is reading a community's content (RESTRICTED: its ACTIVE members and staff). */
export const CONTENT_SUBJECTS = ['Thread', 'Post', 'Survey', 'TimePoll', 'Meeting'] as const;

@ObjectType({ implements: Node, description: "An entry in a member's inbox" })
@Entity()
// The inbox, newest first (keyset pagination), and the unread count.
@Index({ name: 'notification_inbox_index', properties: ['recipient', 'createdAt', 'id'] })
@Index({ name: 'notification_unread_index', properties: ['recipient', 'createdAt'], where: 'read_at is null' })
// A re-dispatched event, or a fan-out job run twice, creates nothing twice.
@Unique({ name: 'notification_event_recipient_kind_unique', properties: ['eventId', 'recipient', 'kind'] })
export class Notification extends BaseEntity {
  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  recipient!: Rel<Member>;

  @Field(() => NotificationKind)
  @Enum({ items: () => NotificationKind, nativeEnumName: 'notification_kind' })
  kind!: NotificationKind;

  /** The domain event it came from (null for notifications a schedule makes, which key themselves otherwise). */
  @Property({ type: 'bigint', nullable: true })
  eventId: string | null = null;

  /** Who caused it; null for the system. */
  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  @Index()
  actor: Rel<Member> | null = null;

  @ManyToOne(() => Community, { nullable: true, deleteRule: 'cascade' })
  @Index()
  community: Rel<Community> | null = null;

  /** What it is about, as a node: its type (`Post`, `Thread`, `Membership`, `MentorshipPairing`…) and id. */
  @Property({ type: 'text', nullable: true })
  subjectType: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  subjectId: string | null = null;

  /** Written when it is made ("Ann replied to your thread “Reading lists”"), in plain text. */
  @Field()
  @Property({ type: 'text' })
  title!: string;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  readAt: Date | null = null;

  /** When its email went out (at most one per notification). */
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  emailedAt: Date | null = null;
}
