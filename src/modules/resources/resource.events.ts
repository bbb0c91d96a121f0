import { registerEventKinds } from '../../events/registry';
import { communityTopic } from '../../realtime/events';

type ResourceRef = { communityId: string; resourceId: string };

declare module '../../events/registry' {
  interface DomainEvents {
    ResourceShared: ResourceRef;
    ResourceEndorsed: ResourceRef & { endorsed: boolean };
    ResourceRemoved: ResourceRef;
  }
}

registerEventKinds({
  ResourceShared: { topics: (event) => [communityTopic(event.communityId)], webhook: 'RESOURCE_SHARED' },
  ResourceEndorsed: {},
  ResourceRemoved: {},
});
