import { registerEventKinds } from '../../../events/registry';
import { communityTopic } from '../../../realtime/events';
import { Community } from '../../communities/community.entity';
import { registerWebhookDescriber } from '../../webhooks/delivery/payload';

/** How a community's life changed, as subscribers of `communityActivity` hear it (CommunityLifecycleChanged.change). */
export type LifecycleChange = 'FOCUS_CHANGED' | 'SPLIT' | 'MERGED' | 'RETIRED';

declare module '../../../events/registry' {
  interface DomainEvents {
    /** Staff changed its name, description or topics (an annual review's CHANGE_FOCUS). */
    CommunityFocusChanged: { communityId: string; change: 'FOCUS_CHANGED'; successorIds: string[] };
    /**
     * It became RETIRED: on its own (RETIRED), split into parts (SPLIT, successors the parts) or merged (MERGED,
     * successors the merged community). One event per retired community, on its own topic.
     */
    CommunityRetired: { communityId: string; change: 'RETIRED' | 'SPLIT' | 'MERGED'; reason: string; successorIds: string[] };
  }
}

registerEventKinds({
  CommunityFocusChanged: { topics: (event) => [communityTopic(event.communityId)] },
  CommunityRetired: { topics: (event) => [communityTopic(event.communityId)], webhook: 'COMMUNITY_RETIRED' },
});

/**
 * COMMUNITY_RETIRED: why, and where its content went. The community itself is described (and its readability
 * checked) by prepareDelivery; its successors' names are public like every community's.
 */
registerWebhookDescriber('CommunityRetired', async (ctx, payload) => {
  const successorIds = (payload.successorIds as string[] | undefined) ?? [];
  const change = payload.change as string;
  const successors = (await ctx.loaders.byId(Community).loadMany(successorIds))
    .filter((c): c is Community => c instanceof Community)
    .map((c) => ({ id: c.nodeId, slug: c.slug, name: c.name, visibility: c.visibility }));
  return {
    change,
    reason: payload.reason,
    successors,
    mergedInto: change === 'MERGED' ? (successors[0] ?? null) : null,
  };
});
