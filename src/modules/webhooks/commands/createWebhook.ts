import type { CommandScope } from '../../../context';
import { recordEvent } from '../../../events/record';
import { badField } from '../../../shared/errors';
import { requireMember } from '../../../shared/policy';
import type { WebhookEventType } from '../webhook.entity';
import { authorizeWebhook, prospectiveWebhook } from '../webhook.policy';
import type { CreatedWebhook } from '../webhook.types';
import { webhookUrlProblem } from '../webhookUrl';
import { encryptWebhookSecret, newWebhookSecret } from '../webhookSecret';

export interface CreateWebhookProps {
  /** Null: every community's events (staff only). */
  communityId: string | null;
  url: string;
  events: WebhookEventType[];
}

/**
 * Staff add webhooks for one community or all of them; a community's LEAD for that community. The secret is made
 * here, returned once and kept encrypted; the creator becomes the owner whose rights every delivery reads through.
 */
export async function createWebhook(scope: CommandScope, props: CreateWebhookProps): Promise<CreatedWebhook> {
  const owner = requireMember(scope.actor);
  const community = props.communityId ? await scope.actor.community(props.communityId) : null;
  const webhook = prospectiveWebhook(community);
  await authorizeWebhook(scope.actor, 'create', webhook);
  const checked = webhookUrlProblem(props.url, scope.services.config.webhookAllowPrivateNetworks);
  if ('problem' in checked) throw badField('url', checked.problem);
  const secret = newWebhookSecret();
  webhook.owner = owner;
  webhook.url = checked.url;
  webhook.events = [...new Set(props.events)];
  webhook.secretCiphertext = encryptWebhookSecret(secret, scope.services.config.jwtSecret);
  await scope.em.transactional(async (em) => {
    em.persist(webhook);
    await recordEvent(em, owner.id, { type: 'WebhookCreated', communityId: community?.id ?? null, webhookId: webhook.id, events: webhook.events });
  });
  return { webhook, secret };
}
