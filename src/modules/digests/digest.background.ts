import type { JobDefinition, Schedule } from '../../jobs/queue';
import type { ModuleBackground } from '../background';
import { sendDigestBatch, type DigestBatch } from './commands/sendDigestBatch';
import { DigestFrequency } from './digest.types';
import { DIGEST_BATCH_JOB, startDigestRun } from './runDigest';
import { logger } from '../../logging/logger';

const SCHEDULED_JOB: Record<DigestFrequency, string> = {
  [DigestFrequency.DAILY]: 'digests.daily',
  [DigestFrequency.WEEKLY]: 'digests.weekly',
};

/**
 * DIGEST_DAILY_CRON / DIGEST_WEEKLY_CRON (in ORG_TIME_ZONE) fire `digests.daily` / `digests.weekly`, which claim
 * the period and enqueue one `digests.batch` job per 200 members. A batch whose SMTP server fails is retried
 * with backoff (from 5 s, at most 10 min apart) and only re-sends what was not sent; if it gives up, nothing is
 * lost: the member's next digest starts where their last recorded one ended.
 */
export const digestBackground: ModuleBackground = {
  jobs(services): JobDefinition<never>[] {
    const start = (frequency: DigestFrequency): JobDefinition<object> => ({
      name: SCHEDULED_JOB[frequency],
      handle: async () => {
        const run = await startDigestRun(services, frequency, new Date(), { enqueue: true });
        if (run.claimed) logger.info(`[digests] ${run.periodKey}: ${run.batches.length} batches enqueued`);
      },
      queue: { retryLimit: 3, retryDelay: 30, retryBackoff: true },
      concurrency: 1,
    });
    const batch: JobDefinition<DigestBatch> = {
      name: DIGEST_BATCH_JOB,
      handle: async (data) => {
        await sendDigestBatch(services, data);
      },
      queue: { retryLimit: 12, retryDelay: 5, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 600 },
      concurrency: 4,
    };
    return [start(DigestFrequency.DAILY), start(DigestFrequency.WEEKLY), batch] as JobDefinition<never>[];
  },
  schedules(services): Schedule[] {
    const { digestDailyCron, digestWeeklyCron, orgTimeZone } = services.config;
    return [
      { name: SCHEDULED_JOB[DigestFrequency.DAILY], cron: digestDailyCron, tz: orgTimeZone },
      { name: SCHEDULED_JOB[DigestFrequency.WEEKLY], cron: digestWeeklyCron, tz: orgTimeZone },
    ];
  },
};
