import type { Services } from '../../../context';
import type { JobDefinition, Schedule } from '../../../jobs/queue';
import { backgroundEm } from '../../../jobs/backgroundEm';
import type { ModuleBackground } from '../../background';
import { lapseEndedTerms } from './jobs/lapseEndedTerms';
import { warnEndingTerms } from './jobs/warnEndingTerms';
import { logger } from '../../../logging/logger';

export const ROLE_TERMS_JOB = 'roles.terms';

/**
 * One pass over role terms at `now`: warnings first (ROLE_TERM_WARNING_DAYS ahead), then lapses. Idempotent and
 * safe on two instances at once (see warnEndingTerms and lapseTerm); tests call it directly with a chosen `now`.
 */
export async function runRoleTerms(services: Pick<Services, 'orm' | 'config'>, now = new Date()): Promise<{ warned: number; lapsed: number }> {
  const warned = await warnEndingTerms(backgroundEm(services.orm), now, services.config.roleTermWarningDays);
  const lapsed = await lapseEndedTerms(() => backgroundEm(services.orm), now);
  return { warned, lapsed };
}

/** ROLE_TERMS_CRON (default every 5 minutes, in ORG_TIME_ZONE) fires `roles.terms`. */
export const roleTermsBackground: ModuleBackground = {
  jobs(services): JobDefinition<never>[] {
    const job: JobDefinition<object> = {
      name: ROLE_TERMS_JOB,
      handle: async () => {
        const { warned, lapsed } = await runRoleTerms(services);
        if (warned || lapsed) logger.info(`[roles] ${warned} term warnings, ${lapsed} lapsed roles`);
      },
      queue: { retryLimit: 3, retryDelay: 30, retryBackoff: true },
      concurrency: 1,
    };
    return [job as JobDefinition<never>];
  },
  schedules(services): Schedule[] {
    return [{ name: ROLE_TERMS_JOB, cron: services.config.roleTermsCron, tz: services.config.orgTimeZone }];
  },
};
