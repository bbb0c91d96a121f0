import type { Context } from '../../../context';
import { notFound } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { requireMember } from '../../../shared/policy';
import { Webhook } from '../webhook.entity';
import { authorizeWebhook } from '../webhook.policy';

/** The webhook an ID argument names, if the actor may `action` it (UNAUTHENTICATED, NOT_FOUND, FORBIDDEN). */
export async function loadWebhook(ctx: Context, globalId: string, action: 'update' | 'delete'): Promise<Webhook> {
  requireMember(ctx.actor);
  const webhookId = parseId(globalId, 'Webhook', 'webhookId');
  const webhook = await ctx.loaders.byId(Webhook).load(webhookId);
  if (!webhook) throw notFound('Webhook');
  await authorizeWebhook(ctx.actor, action, webhook);
  return webhook;
}
