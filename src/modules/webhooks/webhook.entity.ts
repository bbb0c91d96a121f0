import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from '../../shared/baseEntity';
import { Member } from '../members/member.entity';
import { Community } from '../communities/community.entity';

/** The contract's webhook event types; each module names its own in its event kinds (`EventKind.webhook`). */
export enum WebhookEventType {
  THREAD_STARTED = 'THREAD_STARTED',
  POST_ADDED = 'POST_ADDED',
  POST_EDITED = 'POST_EDITED',
  POST_DELETED = 'POST_DELETED',
  MEMBER_JOINED = 'MEMBER_JOINED',
  MEMBER_LEFT = 'MEMBER_LEFT',
  RESOURCE_SHARED = 'RESOURCE_SHARED',
  MEETING_SCHEDULED = 'MEETING_SCHEDULED',
  MEETING_UPDATED = 'MEETING_UPDATED',
  PROPOSAL_SUBMITTED = 'PROPOSAL_SUBMITTED',
  PROPOSAL_DECIDED = 'PROPOSAL_DECIDED',
  COMMUNITY_CREATED = 'COMMUNITY_CREATED',
  COMMUNITY_RETIRED = 'COMMUNITY_RETIRED',
}
registerEnumType(WebhookEventType, { name: 'WebhookEventType', description: 'What a webhook is told about (the `type` of each delivery)' });

/**
 * An outgoing webhook: events of one community (or, made by staff, of every community) POSTed to a URL, signed with
 * its secret (Standard Webhooks). Deliveries read the current state through the rights of `owner`, who made it.
 */
@ObjectType({ implements: Node, description: 'Events of one community (or all, for staff) delivered to a URL' })
@Entity()
export class Webhook extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'enabled' | 'disabledReason' | 'updatedAt';

  /** Null: every community (staff only). */
  @ManyToOne(() => Community, { nullable: true, deleteRule: 'cascade' })
  @Index()
  community: Rel<Community> | null = null;

  /** Whose rights each delivery reads through; null once that member is gone (deliveries are then skipped). */
  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  @Index()
  owner: Rel<Member> | null = null;

  @Field()
  @Property({ type: 'text' })
  url!: string;

  @Field(() => [WebhookEventType])
  @Enum({ items: () => WebhookEventType, array: true })
  events!: WebhookEventType[];

  @Field({ description: 'False after updateWebhook(enabled: false) or when the receiver answered 410 Gone' })
  @Property({ type: 'boolean', default: true })
  enabled: boolean = true;

  @Field(() => String, { nullable: true, description: 'Why the webhook was disabled by the system (410 Gone), if it was' })
  @Property({ type: 'text', nullable: true })
  disabledReason: string | null = null;

  /** The signing secret, encrypted (see webhookSecret.ts); shown once by createWebhook. */
  @Property({ type: 'text', hidden: true })
  secretCiphertext!: string;

  @Property({ type: 'timestamptz', length: 3, nullable: true, onUpdate: () => new Date() })
  updatedAt: Date | null = null;
}

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  SKIPPED = 'SKIPPED',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description:
    'PENDING: not yet delivered (nextAttemptAt says when it is tried again). SUCCEEDED: the receiver answered 2xx. ' +
    'FAILED: every attempt failed, the receiver answered 410 Gone, or the address was refused. SKIPPED: not sent, ' +
    "because the webhook was disabled or its owner may no longer read the event's community",
});
