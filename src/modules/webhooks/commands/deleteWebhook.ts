import type { CommandScope } from '../../../context';
import { recordEvent } from '../../../events/record';
import { requireMember } from '../../../shared/policy';
import type { Webhook } from '../webhook.entity';
import { loadWebhook } from './loadWebhook';

export interface DeleteWebhookProps {
  webhookId: string;
}

/** Deletes a webhook and its delivery history (whoever may manage it); queued deliveries find nothing and stop. */
export async function deleteWebhook(scope: CommandScope, props: DeleteWebhookProps): Promise<Webhook> {
  const member = requireMember(scope.actor);
  const webhook = await loadWebhook(scope, props.webhookId, 'delete');
  const event = { type: 'WebhookDeleted' as const, communityId: webhook.community?.id ?? null, webhookId: webhook.id };
  await scope.em.transactional(async (em) => {
    em.remove(webhook);
    await recordEvent(em, member.id, event);
  });
  return webhook;
}
