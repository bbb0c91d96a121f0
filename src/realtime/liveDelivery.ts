import type { EventConsumer } from '../events/dispatcher';
import { memberTopicsOf } from '../events/registry';
import type { LiveEvent } from './events';
import type { ModuleBackground } from '../modules/background';

/**
 * Live delivery as a consumer of the log: each committed live event goes onto the transport (in-process or Redis),
 * where every instance's topic feeds pick it up. Published from inside the dispatch transaction, just before it
 * marks the batch dispatched: a crash in between publishes it again, and the feeds drop what they already handed
 * out (by stream position). Events pushed to members (`memberTopics`, e.g. NotificationAdded) have no stream
 * position: they go out with the outbox id as cursor, and a re-published one is simply pushed again (the subscriber
 * re-reads the notification, which is idempotent for the client: same id).
 */
export const liveDelivery: ModuleBackground = {
  consumers(services): EventConsumer[] {
    return [
      {
        name: 'live',
        async consume(_em, events) {
          for (const stored of events) {
            if (stored.live) services.transport.publish(stored.live);
            else if (memberTopicsOf(stored.event).length) {
              services.transport.publish({ ...(stored.event as LiveEvent), cursor: stored.id, at: stored.createdAt.toISOString() });
            }
          }
        },
      },
    ];
  },
};
