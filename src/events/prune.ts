import type { Em } from '../db/orm';
import { BACKGROUND, backgroundEm } from '../jobs/backgroundEm';
import { claimRun } from '../jobs/claimRun';
import type { ModuleBackground } from '../modules/background';
import { REPLAY_WINDOW_MS } from '../realtime/streams';

/** Dispatched domain events are kept this long (webhook deliveries and digests refer to them), then pruned. */
export const DOMAIN_EVENT_RETENTION_DAYS = 30;

/** Deletes live events past twice the replay window and dispatched domain events past their retention. */
export async function pruneEventLogs(em: Em, now = new Date()): Promise<{ live: number; domain: number }> {
  const live = await em.execute<{ id: string }[]>('delete from live_event where created_at < ? and not exists (select 1 from domain_event d where d.live_event_id = live_event.id and d.dispatched_at is null) returning id', [
    new Date(now.getTime() - 2 * REPLAY_WINDOW_MS).toISOString(),
  ], 'all', BACKGROUND);
  const domain = await em.execute<{ id: string }[]>('delete from domain_event where dispatched_at is not null and dispatched_at < ? returning id', [
    new Date(now.getTime() - DOMAIN_EVENT_RETENTION_DAYS * 86_400_000).toISOString(),
  ], 'all', BACKGROUND);
  return { live: live.length, domain: domain.length };
}

/** Every 15 minutes, once across instances (the run's key names its quarter hour). */
export const eventLogMaintenance: ModuleBackground = {
  jobs: (services) => [
    {
      name: 'events.prune',
      concurrency: 1,
      async handle() {
        const em = backgroundEm(services.orm);
        const quarter = new Date(Math.floor(Date.now() / 900_000) * 900_000).toISOString();
        if (!(await claimRun(em, 'events.prune', `events.prune:${quarter}`))) return;
        await pruneEventLogs(em);
      },
    },
  ],
  schedules: (services) => [{ name: 'events.prune', cron: '*/15 * * * *', tz: services.config.orgTimeZone }],
};
