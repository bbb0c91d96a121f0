import type { CommandScope } from '../../../context';
import { recordEvent } from '../../../events/record';
import { badField } from '../../../shared/errors';
import { requireMember } from '../../../shared/policy';
import type { Webhook, WebhookEventType } from '../webhook.entity';
import { webhookUrlProblem } from '../webhookUrl';
import { loadWebhook } from './loadWebhook';

/** Fields left out (null or undefined) stay as they are. */
export interface UpdateWebhookProps {
  webhookId: string;
  url?: string | null;
  events?: WebhookEventType[] | null;
  enabled?: boolean | null;
}

/**
 * Changes a webhook's URL, event types or enabled flag (whoever may manage it). Enabling clears a 410's reason;
 * deliveries already queued read the new state when they run (a disabled webhook's are skipped).
 */
export async function updateWebhook(scope: CommandScope, props: UpdateWebhookProps): Promise<Webhook> {
  const member = requireMember(scope.actor);
  const webhook = await loadWebhook(scope, props.webhookId, 'update');
  let url: string | null = null;
  if (props.url != null) {
    const checked = webhookUrlProblem(props.url, scope.services.config.webhookAllowPrivateNetworks);
    if ('problem' in checked) throw badField('url', checked.problem);
    url = checked.url;
  }
  await scope.em.transactional(async (em) => {
    const changed: string[] = [];
    if (url !== null) {
      webhook.url = url;
      changed.push('url');
    }
    if (props.events != null) {
      webhook.events = [...new Set(props.events)];
      changed.push('events');
    }
    if (props.enabled != null) {
      webhook.enabled = props.enabled;
      if (props.enabled) webhook.disabledReason = null;
      changed.push('enabled');
    }
    await recordEvent(em, member.id, {
      type: 'WebhookUpdated',
      communityId: webhook.community?.id ?? null,
      webhookId: webhook.id,
      changed,
      events: webhook.events,
      enabled: webhook.enabled,
    });
  });
  return webhook;
}
