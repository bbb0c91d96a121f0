import DataLoader from 'dataloader';
import type { LoaderRegistry } from '../../../shared/loaders';
import type { CommunityHealth } from './communityHealth.types';
import { communityHealth, lastDays } from './healthQuery';

/**
 * `Community.health(days)` for every community of a request: keys `communityId:days`, one statement per distinct
 * `days` in the batch (all communities of a list share one), all ending at the same instant.
 */
export function healthLoader(registry: LoaderRegistry) {
  return registry.get<CommunityHealth | null>('communityHealth', () =>
    new DataLoader<string, CommunityHealth | null>(async (keys) => {
      const now = new Date();
      const idsByDays = new Map<number, string[]>();
      for (const key of keys) {
        const [id, days] = key.split(':') as [string, string];
        idsByDays.set(Number(days), [...(idsByDays.get(Number(days)) ?? []), id]);
      }
      const results = new Map<string, CommunityHealth>();
      for (const [days, ids] of idsByDays) {
        for (const [id, health] of await communityHealth(registry.em, ids, lastDays(days, now))) results.set(`${id}:${days}`, health);
      }
      return keys.map((key) => results.get(key) ?? null);
    }),
  );
}
