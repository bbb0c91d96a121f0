import type { Context } from '../../../context';
import type { Webhook } from '../webhook.entity';
import { loadWebhook } from './loadWebhook';

/** Deletes a webhook and its delivery history (whoever may manage it); queued deliveries find nothing and stop. */
export async function deleteWebhook(ctx: Context, webhookId: string): Promise<Webhook> {
  const webhook = await loadWebhook(ctx, webhookId, 'delete');
  await ctx.em.transactional(async (em) => {
    em.remove(webhook);
  });
  return webhook;
}
