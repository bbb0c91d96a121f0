import type { Em } from '../../../db/orm';
import { BACKGROUND, backgroundEm } from '../../../jobs/backgroundEm';
import type { Services } from '../../../context';
import { DigestFrequency } from '../digest.types';
import { loadDigests, type MemberDigest } from '../queries/digestContent';
import { renderDigest } from '../renderDigest';

export interface DigestBatch {
  frequency: DigestFrequency;
  /** `digest:DAILY:<period start in the organisation's zone>` */
  periodKey: string;
  /** The run's moment (ISO): items up to it are covered; the next digest starts here. */
  until: string;
  memberIds: string[];
}

export interface BatchResult {
  mailed: number;
  empty: number;
  /** Members whose digest for this period was already done (a retry, a second firing). */
  skipped: number;
  failed: number;
}

/** Mails sent at once per batch (the SMTP transport pools its connections under this). */
const SEND_CONCURRENCY = 32;

async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(runners);
}

async function record(em: Em, batch: DigestBatch, digests: { digest: MemberDigest; mailed: boolean }[]): Promise<void> {
  if (!digests.length) return;
  await em.execute(
    `insert into digest_delivery (member_id, frequency, period_key, covered_from, covered_until, mailed)
     select member_id, ?, ?, covered_from, covered_until, mailed
       from jsonb_to_recordset(?::jsonb) as d(member_id uuid, covered_from timestamptz, covered_until timestamptz, mailed boolean)
     on conflict (member_id, period_key) do nothing`,
    [
      batch.frequency,
      batch.periodKey,
      JSON.stringify(
        digests.map(({ digest, mailed }) => ({
          member_id: digest.member.id,
          covered_from: digest.since.toISOString(),
          covered_until: (digest.since > digest.until ? digest.since : digest.until).toISOString(),
          mailed,
        })),
      ),
    ],
    'all',
    BACKGROUND,
  );
}

/**
 * Sends one batch of a period's digests: members already done for the period are skipped, the rest read in a
 * few set-based statements, mailed concurrently, and recorded (mailed, or empty: nothing new, no email). A mail
 * that fails is not recorded, so the job's retry sends exactly those; the batch then throws so the queue retries.
 */
export async function sendDigestBatch(services: Services, batch: DigestBatch): Promise<BatchResult> {
  const em = backgroundEm(services.orm);
  const done = await em.execute<{ member_id: string }[]>(
    'select member_id from digest_delivery where period_key = ? and member_id = any(?::uuid[])',
    [batch.periodKey, `{${batch.memberIds.join(',')}}`],
    'all',
    BACKGROUND,
  );
  const doneIds = new Set(done.map((row) => row.member_id));
  const todo = batch.memberIds.filter((id) => !doneIds.has(id));
  const digests = await loadDigests(services, em, { frequency: batch.frequency, memberIds: todo, until: new Date(batch.until), loggerContext: BACKGROUND });

  const finished: { digest: MemberDigest; mailed: boolean }[] = [];
  const failures: unknown[] = [];
  await eachLimited(digests, SEND_CONCURRENCY, async (digest) => {
    if (!digest.communities.length) {
      finished.push({ digest, mailed: false });
      return;
    }
    try {
      await services.mailer.send(renderDigest(services.config, digest));
      finished.push({ digest, mailed: true });
    } catch (error) {
      failures.push(error);
    }
  });
  await record(em, batch, finished);

  const result = {
    mailed: finished.filter((entry) => entry.mailed).length,
    empty: finished.filter((entry) => !entry.mailed).length,
    skipped: doneIds.size,
    failed: failures.length,
  };
  if (failures.length) {
    const first = failures[0] instanceof Error ? failures[0].message : String(failures[0]);
    console.error(`[digests] ${batch.periodKey}: ${failures.length} of ${digests.length} digests not sent (${first}); the job will retry them`);
    throw new Error(`${failures.length} digest mails failed: ${first}`);
  }
  return result;
}
