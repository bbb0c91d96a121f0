import type { Config } from '../config';
import { InProcessEventBus, type EventBus } from '../shared/events';
import { InProcessPresence, type PresenceStore } from '../shared/presence';
import { RedisEventBus } from '../shared/redis/eventBus';
import { RedisLink } from '../shared/redis/link';
import { RedisPresence } from '../shared/redis/presence';

export interface LiveServices {
  events: EventBus;
  presence: PresenceStore;
  close(): Promise<void>;
}

/** Live events and presence: in-process by default; shared through Redis when REDIS_URL is set. */
export async function createLiveServices(config: Config): Promise<LiveServices> {
  if (config.redisUrl) {
    // Connects in the background: the API starts (and keeps serving HTTP) while Redis is unreachable.
    const link = new RedisLink(config.redisUrl, { prefix: config.redisPrefix });
    const events = new RedisEventBus(link);
    const presence = new RedisPresence(link);
    return {
      events,
      presence,
      async close() {
        await presence.close();
        await link.close();
      },
    };
  }
  const events = new InProcessEventBus();
  const presence = new InProcessPresence();
  return {
    events,
    presence,
    async close() {
      await presence.close();
    },
  };
}
