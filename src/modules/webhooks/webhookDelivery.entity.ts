import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../shared/baseEntity';
import { Webhook, WebhookDeliveryStatus, WebhookEventType } from './webhook.entity';

/** One event on its way to one webhook: made once per (webhook, event), then updated by each attempt. */
@ObjectType({ implements: Node, description: 'One event sent (or being sent) to one webhook' })
@Entity()
@Unique({ properties: ['webhook', 'eventId'] })
@Index({ properties: ['webhook', 'createdAt', 'id'] })
export class WebhookDelivery extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'attempts' | 'status' | 'responseStatus' | 'nextAttemptAt' | 'lastAttemptAt' | 'error';

  @ManyToOne(() => Webhook, { deleteRule: 'cascade' })
  webhook!: Rel<Webhook>;

  /** The domain event (outbox row) delivered. */
  @Field(() => ID)
  @Property({ type: 'bigint' })
  eventId!: string;

  @Field(() => WebhookEventType)
  @Enum({ items: () => WebhookEventType })
  eventType!: WebhookEventType;

  @Field(() => Int, { description: 'HTTP attempts made so far' })
  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Field(() => WebhookDeliveryStatus)
  @Enum({ items: () => WebhookDeliveryStatus, default: WebhookDeliveryStatus.PENDING })
  status: WebhookDeliveryStatus = WebhookDeliveryStatus.PENDING;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status on the last attempt (null: no answer)" })
  @Property({ type: 'integer', nullable: true })
  responseStatus: number | null = null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it is tried next (PENDING only)' })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  nextAttemptAt: Date | null = null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  lastAttemptAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed or the delivery was skipped' })
  @Property({ type: 'text', nullable: true })
  error: string | null = null;
}
