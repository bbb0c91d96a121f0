import type { Context } from '../../../context';
import { badField } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { requireMember } from '../../../shared/policy';
import type { CreateWebhookInput } from '../webhook.inputs';
import { authorizeWebhook, prospectiveWebhook } from '../webhook.policy';
import type { CreatedWebhook } from '../webhook.types';
import { webhookUrlProblem } from '../webhookUrl';
import { encryptWebhookSecret, newWebhookSecret } from '../webhookSecret';

/**
 * Staff add webhooks for one community or all of them; a community's LEAD for that community. The secret is made
 * here, returned once and kept encrypted; the creator becomes the owner whose rights every delivery reads through.
 */
export async function createWebhook(ctx: Context, input: CreateWebhookInput): Promise<CreatedWebhook> {
  const owner = requireMember(ctx.actor);
  const communityId = input.communityId ? parseId(input.communityId, 'Community', 'communityId') : null;
  const community = communityId ? await ctx.actor.community(communityId) : null;
  const webhook = prospectiveWebhook(community);
  await authorizeWebhook(ctx.actor, 'create', webhook);
  const checked = webhookUrlProblem(input.url, ctx.services.config.webhookAllowPrivateNetworks);
  if ('problem' in checked) throw badField('url', checked.problem);
  const secret = newWebhookSecret();
  webhook.owner = owner;
  webhook.url = checked.url;
  webhook.events = [...new Set(input.events)];
  webhook.secretCiphertext = encryptWebhookSecret(secret, ctx.services.config.jwtSecret);
  await ctx.em.transactional(async (em) => {
    em.persist(webhook);
  });
  return { webhook, secret };
}
