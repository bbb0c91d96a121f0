import type { EventConsumer } from '../../events/dispatcher';
import { eventKind } from '../../events/registry';
import { BACKGROUND } from '../../jobs/backgroundEm';
import type { ModuleBackground } from '../background';
import { deliverJob } from './delivery/deliver';
import { FAN_OUT_JOB, fanOutJob, type FanOutJob } from './delivery/fanOut';

/**
 * Webhooks as a consumer of the event log: each committed event of a kind with a webhook type gets a fan-out job,
 * queued in the dispatch transaction (so it exists exactly when the event is marked dispatched). Nothing is queued
 * while no enabled webhook wants any of the batch's types, so a deployment without webhooks pays one query a batch.
 */
export const webhookDelivery: ModuleBackground = {
  jobs: (services) => [fanOutJob(services), deliverJob(services)],
  consumers(services): EventConsumer[] {
    return [
      {
        name: 'webhooks',
        async consume(em, events) {
          const wanted = events.filter((stored) => eventKind(stored.type)?.webhook);
          if (!wanted.length) return;
          const types = [...new Set(wanted.map((stored) => eventKind(stored.type)!.webhook!))];
          const [row] = await em.execute<{ wanted: boolean }[]>(
            'select exists (select 1 from webhook where enabled and events && array[?]::text[]) as wanted',
            [types],
            'all',
            BACKGROUND,
          );
          if (!row?.wanted) return;
          await services.jobs.sendMany(FAN_OUT_JOB, wanted.map((stored): { data: FanOutJob } => ({ data: { eventId: stored.id } })), { em });
        },
      },
    ];
  },
};
