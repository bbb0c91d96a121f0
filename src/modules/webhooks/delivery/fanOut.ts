import { BACKGROUND, backgroundEm } from '../../../jobs/backgroundEm';
import type { JobDefinition } from '../../../jobs/queue';
import type { Services } from '../../../context';
import { eventKind } from '../../../events/registry';
import { DELIVER_JOB, type DeliverJob } from './deliver';

export const FAN_OUT_JOB = 'webhooks.fan-out';
export interface FanOutJob {
  eventId: string;
}

/**
 * One event to every enabled webhook that wants its type and covers its community (or all communities), made
 * after the event happened: one delivery row per (webhook, event) and a delivery job for each, in one transaction.
 * The unique (webhook, event) key makes a second run (a retried job, a re-dispatched event) add nothing.
 */
export function fanOutJob(services: Services): JobDefinition<FanOutJob> {
  return {
    name: FAN_OUT_JOB,
    queue: { retryLimit: 5, retryDelay: 5, retryBackoff: true },
    async handle({ eventId }) {
      const em = backgroundEm(services.orm);
      const [event] = await em.execute<{ type: string }[]>('select type from domain_event where id = ?', [eventId], 'all', BACKGROUND);
      const type = event && eventKind(event.type)?.webhook;
      if (!type) return;
      await em.transactional(async (tem) => {
        const created = await tem.execute<{ id: string }[]>(
          'insert into webhook_delivery (id, webhook_id, event_id, event_type) ' +
            'select gen_random_uuid(), w.id, d.id, ? from domain_event d join webhook w ' +
            'on w.enabled and ? = any(w.events) and (w.community_id is null or w.community_id = d.community_id) and w.created_at <= d.created_at ' +
            'where d.id = ? on conflict (webhook_id, event_id) do nothing returning id',
          [type, type, eventId],
          'all',
          BACKGROUND,
        );
        await services.jobs.sendMany(
          DELIVER_JOB,
          created.map((row): { data: DeliverJob } => ({ data: { deliveryId: row.id, attempt: 0 } })),
          { em: tem },
        );
      }, { loggerContext: BACKGROUND });
    },
  };
}
