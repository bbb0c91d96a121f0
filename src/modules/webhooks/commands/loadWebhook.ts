import type { CommandScope } from '../../../context';
import { notFound } from '../../../shared/errors';
import { requireMember } from '../../../shared/policy';
import { Webhook } from '../webhook.entity';
import { authorizeWebhook } from '../webhook.policy';

/** The webhook with this database ID, if the actor may `action` it (UNAUTHENTICATED, NOT_FOUND, FORBIDDEN). */
export async function loadWebhook(scope: CommandScope, webhookId: string, action: 'update' | 'delete'): Promise<Webhook> {
  requireMember(scope.actor);
  const webhook = await scope.loaders.byId(Webhook).load(webhookId);
  if (!webhook) throw notFound('Webhook');
  await authorizeWebhook(scope.actor, action, webhook);
  return webhook;
}
