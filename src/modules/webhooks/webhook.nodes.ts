import { registerNode } from '../../shared/nodes';
import { Webhook } from './webhook.entity';
import { authorizeWebhook } from './webhook.policy';
import { WebhookDelivery } from './webhookDelivery.entity';

/** `node(id)` for webhooks and their deliveries: whoever may manage the webhook. */
registerNode('Webhook', async (ctx, id) => {
  const webhook = await ctx.loaders.byId(Webhook).load(id);
  if (webhook) await authorizeWebhook(ctx.actor, 'read', webhook);
  return webhook;
});

registerNode('WebhookDelivery', async (ctx, id) => {
  const delivery = await ctx.loaders.byId(WebhookDelivery).load(id);
  if (!delivery) return null;
  const webhook = await ctx.loaders.byId(Webhook).load(delivery.webhook.id);
  if (webhook) await authorizeWebhook(ctx.actor, 'read', webhook);
  return delivery;
});
