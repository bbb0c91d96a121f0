import { Field, ObjectType } from 'type-graphql';
import { connectionType } from '../../shared/pagination';
import { Webhook } from './webhook.entity';
import { WebhookDelivery } from './webhookDelivery.entity';

@ObjectType({ description: 'A new webhook and its signing secret, which is shown only this once' })
export class CreatedWebhook {
  @Field(() => Webhook)
  webhook!: Webhook;

  @Field({ description: '`whsec_` + base64: verify deliveries with it (Standard Webhooks)' })
  secret!: string;
}

export const WebhookConnection = connectionType('Webhook', Webhook);
export const WebhookDeliveryConnection = connectionType('WebhookDelivery', WebhookDelivery);
