import type { Em } from '../../../db/orm';
import { BACKGROUND, backgroundEm } from '../../../jobs/backgroundEm';
import type { Services } from '../../../context';
import { DigestFrequency } from '../digest.types';
import { loadDigests, type MemberDigest } from '../queries/digestContent';
import { renderDigest } from '../renderDigest';
import { logger } from '../../../logging/logger';

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
  /** Members claimed by another worker (a job expired and handed over, a second batch) and not done yet. */
  inFlight: number;
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

/**
 * A claim (row with `mailed` null) older than this is taken as left by a worker that died, and may be claimed
 * again. Longer than the batch job's `expireInSeconds` (600 s), so a worker still sending when pg-boss hands its
 * job to another one keeps its claims.
 */
export const STALE_CLAIM_MINUTES = 15;

type Claim = { member_id: string; created_at: string | Date };

const idArray = (ids: string[]) => `{${ids.join(',')}}`;

/**
 * Claims the batch's members for the period, each in its own autocommitted statement (a claim is visible to every
 * other worker at once): new rows with `mailed` null, plus claims gone stale. Returns the members claimed now.
 * The placeholder `covered_*` values are never read: claims are not counted as covered (see loadDigests).
 */
async function claim(em: Em, batch: DigestBatch): Promise<Map<string, Date>> {
  const ids = idArray(batch.memberIds);
  const fresh = await em.execute<Claim[]>(
    `insert into digest_delivery (member_id, frequency, period_key, covered_from, covered_until, mailed)
     select m.id, ?, ?, ?::timestamptz, ?::timestamptz, null from member m where m.id = any(?::uuid[])
     on conflict (member_id, period_key) do nothing
     returning member_id, created_at`,
    [batch.frequency, batch.periodKey, batch.until, batch.until, ids],
    'all',
    BACKGROUND,
  );
  // Row locks make this atomic: of two retries re-claiming at once, the second finds created_at fresh and gets none.
  const stale = await em.execute<Claim[]>(
    `update digest_delivery set created_at = now()
      where period_key = ? and member_id = any(?::uuid[]) and mailed is null and created_at < now() - interval '${STALE_CLAIM_MINUTES} minutes'
      returning member_id, created_at`,
    [batch.periodKey, ids],
    'all',
    BACKGROUND,
  );
  return new Map([...fresh, ...stale].map((row) => [row.member_id, new Date(row.created_at)]));
}

const MARK_EVERY = 16;
const MARK_WITHIN_MS = 50;

/**
 * Collects sent digests and marks them in groups: as soon as MARK_EVERY are waiting, or MARK_WITHIN_MS after the
 * first of them, one group's statement at a time.
 */
class MarkQueue {
  private pending: MemberDigest[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly mark: (group: MemberDigest[]) => Promise<void>) {}

  add(digest: MemberDigest): void {
    this.pending.push(digest);
    if (this.pending.length >= MARK_EVERY) void this.write().catch(() => undefined);
    else this.timer ??= setTimeout(() => void this.write().catch(() => undefined), MARK_WITHIN_MS);
  }

  /** Marks everything added so far; rejects if any group's statement failed (the job then retries). */
  async flush(): Promise<void> {
    await this.write();
  }

  private write(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const group = this.pending;
    this.pending = [];
    // Chained, so groups are written in order; a failure stays in the chain for flush() to report.
    this.writing = this.writing.then(() => (group.length ? this.mark(group) : undefined));
    return this.writing;
  }
}

/** Marks claimed digests done: mailed, or empty (nothing new), with the span they cover. */
async function markDone(em: Em, batch: DigestBatch, digests: { digest: MemberDigest; mailed: boolean }[]): Promise<void> {
  if (!digests.length) return;
  await em.execute(
    `update digest_delivery t set mailed = d.mailed, covered_from = d.covered_from, covered_until = d.covered_until
       from jsonb_to_recordset(?::jsonb) as d(member_id uuid, covered_from timestamptz, covered_until timestamptz, mailed boolean)
      where t.member_id = d.member_id and t.period_key = ? and t.mailed is null`,
    [
      JSON.stringify(
        digests.map(({ digest, mailed }) => ({
          member_id: digest.member.id,
          covered_from: digest.since.toISOString(),
          covered_until: (digest.since > digest.until ? digest.since : digest.until).toISOString(),
          mailed,
        })),
      ),
      batch.periodKey,
    ],
    'run',
    BACKGROUND,
  );
}

/**
 * Gives this call's claims back (a mail that failed, a member with nothing to load): the job's retry claims them
 * again. Only a claim still ours (same claim time): one taken over as stale by another worker is left alone.
 */
async function release(em: Em, batch: DigestBatch, claims: Map<string, Date>, memberIds: string[]): Promise<void> {
  if (!memberIds.length) return;
  await em.execute(
    `delete from digest_delivery t using jsonb_to_recordset(?::jsonb) as d(member_id uuid, created_at timestamptz)
      where t.member_id = d.member_id and t.period_key = ? and t.mailed is null and t.created_at = d.created_at`,
    [JSON.stringify(memberIds.map((id) => ({ member_id: id, created_at: claims.get(id)!.toISOString() }))), batch.periodKey],
    'run',
    BACKGROUND,
  );
}

/**
 * Sends one batch of a period's digests, never twice: each member's digest for the period is first claimed (a
 * `digest_delivery` row with `mailed` null, inserted `on conflict do nothing`), and only the members claimed by this
 * call are read, mailed concurrently, and each marked mailed right after its mail went out (empty ones: marked
 * at once, no email). So a worker dying mid-batch, or a job expired and handed to another worker, leaves every
 * sent mail recorded (or claimed), and the retry skips them. A mail that fails gives its claim back and the batch
 * throws, so the queue retries exactly those.
 *
 * Members claimed by another worker and not done yet also make the batch throw (the queue comes back later, when
 * they are done and skipped, or their claim went stale). A claim older than STALE_CLAIM_MINUTES without `mailed`
 * is claimed again: its worker died after claiming. This is the one at-least-once window, chosen over losing the
 * member's digest for the period: a worker that dies between the SMTP server accepting a mail and the `mailed`
 * update (one statement, right after the send), or one still sending STALE_CLAIM_MINUTES after claiming, has that
 * mail sent again by the retry. Every other case is exactly once.
 */
export async function sendDigestBatch(services: Services, batch: DigestBatch): Promise<BatchResult> {
  const em = backgroundEm(services.orm);
  const claims = await claim(em, batch);
  const claimed = [...claims.keys()];
  const digests = await loadDigests(services, em, { frequency: batch.frequency, memberIds: claimed, until: new Date(batch.until), loggerContext: BACKGROUND });
  const loaded = new Set(digests.map((digest) => digest.member.id));
  await release(em, batch, claims, claimed.filter((id) => !loaded.has(id)));

  const empty = digests.filter((digest) => !digest.communities.length);
  await markDone(em, batch, empty.map((digest) => ({ digest, mailed: false })));

  let mailed = 0;
  const failed: string[] = [];
  const failures: unknown[] = [];
  // Sent digests are marked in groups (one statement for up to MARK_EVERY of them, within MARK_WITHIN_MS, written
  // while the next ones send) rather than one statement each, which cost the batch about 40% of its throughput.
  // What a worker that died had sent in its last MARK_WITHIN_MS may go out again when its claims are taken over.
  const sent = new MarkQueue((group) => markDone(em, batch, group.map((digest) => ({ digest, mailed: true }))));
  await eachLimited(
    digests.filter((digest) => digest.communities.length),
    SEND_CONCURRENCY,
    async (digest) => {
      try {
        await services.mailer.send(renderDigest(services.config, digest));
      } catch (error) {
        failed.push(digest.member.id);
        failures.push(error);
        return;
      }
      sent.add(digest);
      mailed += 1;
    },
  );
  await sent.flush();
  await release(em, batch, claims, failed);

  const others = await em.execute<{ member_id: string }[]>(
    'select member_id from digest_delivery where period_key = ? and member_id = any(?::uuid[]) and mailed is null',
    [batch.periodKey, idArray(batch.memberIds.filter((id) => !claims.has(id)))],
    'all',
    BACKGROUND,
  );
  const result = {
    mailed,
    empty: empty.length,
    skipped: batch.memberIds.length - claimed.length - others.length,
    failed: failures.length,
    inFlight: others.length,
  };
  if (failures.length) {
    const first = failures[0] instanceof Error ? failures[0].message : String(failures[0]);
    logger.error(`[digests] ${batch.periodKey}: ${failures.length} of ${digests.length} digests not sent (${first}); the job will retry them`);
    throw new Error(`${failures.length} digest mails failed: ${first}`);
  }
  if (others.length) {
    logger.warn(`[digests] ${batch.periodKey}: ${others.length} digests are being sent by another worker; the job will check them again`);
    throw new Error(`${others.length} digests claimed by another worker and not sent yet`);
  }
  return result;
}
