import type { Context } from '../../../context';
import { badField } from '../../../shared/errors';
import type { Webhook } from '../webhook.entity';
import type { UpdateWebhookInput } from '../webhook.inputs';
import { webhookUrlProblem } from '../webhookUrl';
import { loadWebhook } from './loadWebhook';

/**
 * Changes a webhook's URL, event types or enabled flag (whoever may manage it). Enabling clears a 410's reason;
 * deliveries already queued read the new state when they run (a disabled webhook's are skipped).
 */
export async function updateWebhook(ctx: Context, input: UpdateWebhookInput): Promise<Webhook> {
  const webhook = await loadWebhook(ctx, input.webhookId, 'update');
  let url: string | null = null;
  if (input.url != null) {
    const checked = webhookUrlProblem(input.url, ctx.services.config.webhookAllowPrivateNetworks);
    if ('problem' in checked) throw badField('url', checked.problem);
    url = checked.url;
  }
  await ctx.em.transactional(async () => {
    if (url !== null) webhook.url = url;
    if (input.events != null) webhook.events = [...new Set(input.events)];
    if (input.enabled != null) {
      webhook.enabled = input.enabled;
      if (input.enabled) webhook.disabledReason = null;
    }
  });
  return webhook;
}
