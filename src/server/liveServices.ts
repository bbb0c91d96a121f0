import type { Config } from '../config';
import { InProcessEventBus, type EventBus } from '../shared/events';
import { InProcessPresence, type PresenceStore } from '../shared/presence';

export interface LiveServices {
  events: EventBus;
  presence: PresenceStore;
  close(): Promise<void>;
}

/** Live events and presence: in-process by default; shared through Redis when REDIS_URL is set. */
export async function createLiveServices(_config: Config): Promise<LiveServices> {
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
