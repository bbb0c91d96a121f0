import type { Services } from '../../../context';
import { BACKGROUND, backgroundEm } from '../../../jobs/backgroundEm';
import type { JobDefinition } from '../../../jobs/queue';
import { ensureAnnualMeetings } from './annualMeetings';
import { logger } from '../../../logging/logger';

export const ANNUAL_MEETINGS_JOB = 'meetings.annual';

/** One pass of the annual rule over every ACTIVE community at `now` (the job, the start-up run and tests). */
export async function runAnnualMeetings(services: Pick<Services, 'orm' | 'config'>, now = new Date()): Promise<number> {
  const em = backgroundEm(services.orm);
  const created = await em.transactional((tem) => ensureAnnualMeetings(tem, { orgTimeZone: services.config.orgTimeZone, now, background: true }), {
    loggerContext: BACKGROUND,
  });
  return created.length;
}

/** `meetings.annual`, fired by ANNUAL_MEETINGS_CRON: creates whatever annual meetings are missing (idempotent). */
export function annualMeetingsJob(services: Services): JobDefinition<object> {
  return {
    name: ANNUAL_MEETINGS_JOB,
    queue: { retryLimit: 3, retryDelay: 60, retryBackoff: true },
    concurrency: 1,
    async handle() {
      const created = await runAnnualMeetings(services);
      if (created) logger.info(`[meetings] ${created} annual meetings created`);
    },
  };
}
