import type { Config } from '../config';
import { InProcessEventBus, type EventBus } from './events';
import { InProcessPresence, type PresenceStore } from './presence';
import { RedisEventBus } from './redis/eventBus';
import { RedisLink } from './redis/link';
import { RedisPresence } from './redis/presence';

export interface LiveServices {
  events: EventBus;
  presence: PresenceStore;
  /** The Redis link when REDIS_URL is set (rate limits share its command connection). */
  redis: RedisLink | null;
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
      redis: link,
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
    redis: null,
    async close() {
      await presence.close();
    },
  };
}
