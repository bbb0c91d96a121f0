import { allow, authorize, requireMember, type Actor } from '../../shared/policy';
import { hasRole } from '../communities/community.policy';
import { hasOrgAbility } from '../members/organisation.policy';
import type { Community } from '../communities/community.entity';
import { CommunityRole } from '../communities/membership.entity';
import { Webhook } from './webhook.entity';

/**
 * Staff (`manageAllWebhooks`) manage every webhook, including those for all communities; a community's LEADs
 * (ACTIVE) manage that community's. The same rule reads, creates, changes and deletes, and every delivery re-checks it for the webhook's
 * owner, so a lead who steps down stops receiving.
 */
allow(Webhook, ['read', 'create', 'update', 'delete'], async (actor, webhook) => {
  if (hasOrgAbility(actor.member, 'manageAllWebhooks')) return true;
  if (!webhook.community) return false;
  return hasRole(actor, await actor.community(webhook.community.id), CommunityRole.LEAD);
});

export const WEBHOOK_REFUSAL = "Only staff and the community's leads manage its webhooks";
export const ALL_COMMUNITIES_REFUSAL = 'Only staff manage webhooks for every community';

/** A webhook not yet made, for asking whether the actor may make (or list) webhooks of `community`. */
export function prospectiveWebhook(community: Community | null): Webhook {
  const webhook = new Webhook();
  webhook.community = community;
  return webhook;
}

/** Signed in first (UNAUTHENTICATED), then the rule (FORBIDDEN), for every entry point. */
export async function authorizeWebhook(actor: Actor, action: 'read' | 'create' | 'update' | 'delete', webhook: Webhook): Promise<void> {
  requireMember(actor);
  await authorize(actor, action, webhook, webhook.community ? WEBHOOK_REFUSAL : ALL_COMMUNITIES_REFUSAL);
}
