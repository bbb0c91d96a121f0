import { BACKGROUND, backgroundEm } from '../../jobs/backgroundEm';
import { claimRun, finishRun } from '../../jobs/claimRun';
import type { Services } from '../../context';
import { sendDigestBatch, type BatchResult, type DigestBatch } from './commands/sendDigestBatch';
import { DigestFrequency } from './digest.types';
import { DIGEST_PREFERENCE, digestPeriodKey } from './period';

/** Members per batch job: one set-based read and one insert each. */
export const DIGEST_BATCH_SIZE = 200;
export const DIGEST_BATCH_JOB = 'digests.batch';

export interface DigestRun {
  /** False: another instance, firing or call already ran this period; nothing was done. */
  claimed: boolean;
  periodKey: string;
  batches: DigestBatch[];
}

/**
 * Claims the period (once across instances and firings: `scheduled_run`) and splits the members with a
 * membership of that digest frequency into batches. With `enqueue`, the batch jobs are enqueued in the same
 * transaction as the claim, so a crash cannot leave a claimed period without its jobs.
 */
export async function startDigestRun(services: Services, frequency: DigestFrequency, now: Date, options: { enqueue: boolean }): Promise<DigestRun> {
  const periodKey = digestPeriodKey(frequency, now, services.config.orgTimeZone);
  return backgroundEm(services.orm).transactional(async (em) => {
    if (!(await claimRun(em, 'digest', periodKey))) return { claimed: false, periodKey, batches: [] };
    const rows = await em.execute<{ member_id: string }[]>(
      `select distinct member_id from membership where status = 'ACTIVE' and notification_preference = ? order by member_id`,
      [DIGEST_PREFERENCE[frequency]],
      'all',
      BACKGROUND,
    );
    const batches: DigestBatch[] = [];
    for (let i = 0; i < rows.length; i += DIGEST_BATCH_SIZE) {
      batches.push({ frequency, periodKey, until: now.toISOString(), memberIds: rows.slice(i, i + DIGEST_BATCH_SIZE).map((row) => row.member_id) });
    }
    if (options.enqueue) await services.jobs.sendMany(DIGEST_BATCH_JOB, batches.map((data) => ({ data })), { em });
    await finishRun(em, periodKey, { members: rows.length, batches: batches.length, enqueued: options.enqueue });
    return { claimed: true, periodKey, batches };
  });
}

export interface DigestRunResult extends BatchResult {
  claimed: boolean;
  periodKey: string;
}

/**
 * Runs a period's digest in this process, without the queue (tests, the benchmark): claims the period, then
 * works its batches `parallel` at a time. A second call for the same period does nothing.
 */
export async function runDigest(services: Services, frequency: DigestFrequency, now: Date, options: { parallel?: number } = {}): Promise<DigestRunResult> {
  const run = await startDigestRun(services, frequency, now, { enqueue: false });
  const total: DigestRunResult = { claimed: run.claimed, periodKey: run.periodKey, mailed: 0, empty: 0, skipped: 0, failed: 0, inFlight: 0 };
  let next = 0;
  const workers = Array.from({ length: Math.min(options.parallel ?? 2, run.batches.length) }, async () => {
    while (next < run.batches.length) {
      const result = await sendDigestBatch(services, run.batches[next++]!);
      total.mailed += result.mailed;
      total.empty += result.empty;
      total.skipped += result.skipped;
    }
  });
  await Promise.all(workers);
  return total;
}
