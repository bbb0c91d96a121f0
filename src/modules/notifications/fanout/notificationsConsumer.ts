import type { EventConsumer } from '../../../events/dispatcher';
import type { Services } from '../../../context';
import { notifies } from './audiences';
import { FANOUT_JOB } from './fanoutJob';

/**
 * The notifications consumer of the log: one fan-out job per event that notifies someone, enqueued in the dispatch
 * transaction (nothing slow here: the command that caused the event is long committed, and the fan-out, however
 * large, runs in the job).
 */
export function notificationsConsumer(services: Services): EventConsumer {
  return {
    name: 'notifications',
    async consume(em, events) {
      const jobs = events.filter((stored) => notifies(stored.type)).map((stored) => ({ data: { eventId: stored.id } }));
      await services.jobs.sendMany(FANOUT_JOB, jobs, { em });
    },
  };
}
