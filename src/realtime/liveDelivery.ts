import type { EventConsumer } from '../events/dispatcher';
import type { ModuleBackground } from '../modules/background';

/**
 * Live delivery as a consumer of the log: each committed live event goes onto the transport (in-process or Redis),
 * where every instance's topic feeds pick it up. Published from inside the dispatch transaction, just before it
 * marks the batch dispatched: a crash in between publishes it again, and the feeds drop what they already handed
 * out (by stream position).
 */
export const liveDelivery: ModuleBackground = {
  consumers(services): EventConsumer[] {
    return [
      {
        name: 'live',
        async consume(_em, events) {
          for (const stored of events) if (stored.live) services.transport.publish(stored.live);
        },
      },
    ];
  },
};
