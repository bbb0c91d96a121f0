import type { JobDefinition, Schedule } from '../../../jobs/queue';
import type { ModuleBackground } from '../../background';
import { POST_RITUALS_JOB, postDueRituals } from './jobs/postDueRituals';
// Who hears of an occurrence: declared with the module's background work.
import './ritual.audiences';
import { logger } from '../../../logging/logger';

/**
 * RITUALS_CRON (default every minute, in ORG_TIME_ZONE) runs `rituals.post`, which posts the occurrences that came
 * due (see postDueRituals); it is safe to run twice at once or on two instances. An occurrence is posted within a
 * minute of its time.
 */
export const ritualsBackground: ModuleBackground = {
  jobs(services): JobDefinition<never>[] {
    const post: JobDefinition<object> = {
      name: POST_RITUALS_JOB,
      handle: async () => {
        const run = await postDueRituals(services);
        if (run.posted || run.skipped || run.failed) logger.info(`[rituals] ${run.posted} posted, ${run.skipped} without a host, ${run.failed} failed`);
      },
      queue: { retryLimit: 2, retryDelay: 10, expireInSeconds: 300 },
      concurrency: 1,
    };
    return [post] as JobDefinition<never>[];
  },
  schedules(services): Schedule[] {
    return [{ name: POST_RITUALS_JOB, cron: services.config.ritualsCron, tz: services.config.orgTimeZone }];
  },
};
