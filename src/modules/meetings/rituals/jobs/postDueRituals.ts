import { randomUUID } from 'node:crypto';
import { scopeFor, type Services } from '../../../../context';
import type { Em } from '../../../../db/orm';
import { recordEvent } from '../../../../events/record';
import { BACKGROUND, backgroundEm } from '../../../../jobs/backgroundEm';
import { Member } from '../../../members/member.entity';
import { ThreadKind } from '../../../discussions/thread.entity';
import { startThread } from '../../../discussions/commands/startThread';
import { Ritual } from '../ritual.entity';
import { recurrenceOf, upcomingOccurrence } from '../ritualDetails';
import { logger } from '../../../../logging/logger';

export const POST_RITUALS_JOB = 'rituals.post';

/** What one run did, ritual by ritual. */
export interface RitualRun {
  posted: number;
  /** Occurrences that came with no ACTIVE host (recorded NO_HOST, nothing posted). */
  skipped: number;
  failed: number;
}

type Outcome = 'none' | 'posted' | 'skipped' | 'advanced';

/**
 * Posts every due occurrence at `now`: each unpaused ritual of an ACTIVE community whose `next_occurrence_at` has come
 * gets ONE occurrence, its latest due one (after downtime the missed ones before it are not posted: a ritual is a
 * prompt for now, not a backlog), then its `next_occurrence_at` moves to the first occurrence after `now`.
 *
 * Exactly once, across instances and restarts: each ritual is handled in its own transaction that holds its row
 * (FOR UPDATE SKIP LOCKED: another instance takes other rituals meanwhile), inserts the occurrence under the unique
 * (ritual, occurrence) key, posts the thread and advances the ritual; all of it commits together or not at all. A
 * second run, another instance or a retried job finds the ritual advanced, or its occurrence taken.
 */
export async function postDueRituals(services: Services, now = new Date()): Promise<RitualRun> {
  const run: RitualRun = { posted: 0, skipped: 0, failed: 0 };
  const failed: string[] = [];
  const handled = new Set<string>();
  for (;;) {
    const em = backgroundEm(services.orm);
    let ritualId: string | null = null;
    let outcome: Outcome | 'again';
    try {
      outcome = await em.transactional(
        async (tx) => {
          ritualId = await claimDueRitual(tx, now, failed);
          if (!ritualId) return 'none';
          // Handled already in this run yet due again: it did not advance. Never loop on it.
          if (handled.has(ritualId)) return 'again';
          handled.add(ritualId);
          return postOccurrence(services, tx, ritualId, now);
        },
        { loggerContext: BACKGROUND },
      );
    } catch (error) {
      // One ritual's failure (its host vanished mid-run, a retirement raced it) rolls back that ritual only; it is
      // left out of this run and tried again by the next one.
      if (!ritualId) throw error;
      logger.error({ err: error, ritualId }, '[rituals] a ritual could not be posted; the next run tries again');
      failed.push(ritualId);
      run.failed++;
      continue;
    }
    if (outcome === 'none') return run;
    if (outcome === 'again') {
      logger.error(`[rituals] ritual ${ritualId} is still due after being handled; left for the next run`);
      failed.push(ritualId!);
      run.failed++;
    }
    if (outcome === 'posted') run.posted++;
    if (outcome === 'skipped') run.skipped++;
  }
}

/**
 * Locks the most overdue ritual nobody else holds, or returns null when none is due. Its community is share-locked in
 * the same statement (posting needs that lock): a split, merge or retirement holding the community FOR UPDATE, which
 * moves or pauses its rituals, is skipped rather than waited for while this holds the ritual, so the two never
 * deadlock; the next run sees what it did.
 */
async function claimDueRitual(tx: Em, now: Date, excluded: string[]): Promise<string | null> {
  const [row] = await tx.execute<{ id: string }[]>(
    `select r.id from ritual r join community c on c.id = r.community_id ` +
      `where r.paused = false and r.next_occurrence_at is not null and r.next_occurrence_at <= ? and c.status = 'ACTIVE'` +
      `${excluded.length ? ' and r.id not in (?)' : ''} order by r.next_occurrence_at, r.id limit 1 for update of r skip locked for share of c skip locked`,
    excluded.length ? [now, excluded] : [now],
    'all',
    BACKGROUND,
  );
  return row?.id ?? null;
}

async function postOccurrence(services: Services, tx: Em, ritualId: string, now: Date): Promise<Outcome> {
  const ritual = await tx.findOneOrFail(Ritual, { id: ritualId }, { refresh: true });
  const recurrence = recurrenceOf(ritual);
  const due = recurrence.latestAtOrBefore(now);
  const communityId = ritual.community.id;
  const mark = ritual.nextOccurrenceAt!;
  ritual.nextOccurrenceAt = upcomingOccurrence(recurrence, now);
  // Nothing due since the mark (it was not on the rule): the ritual only moves on. Occurrences before the mark (while
  // it was paused, before a change) are never posted.
  if (!due || due < mark || due < ritual.startsAt) return 'advanced';

  const occurrenceId = randomUUID();
  const claimed = await tx.execute<{ id: string }[]>(
    `insert into ritual_occurrence (id, created_at, ritual_id, occurrence_at, status) values (?, now(), ?, ?, 'NO_HOST') ` +
      `on conflict (ritual_id, occurrence_at) do nothing returning id`,
    [occurrenceId, ritual.id, due],
    'all',
    BACKGROUND,
  );
  if (!claimed.length) return 'advanced'; // posted already (its ritual was moved back onto it): never twice
  const occurrenceAt = due.toISOString();

  const host = await nextHost(tx, ritual);
  if (!host) {
    await recordEvent(tx, null, { type: 'RitualOccurrenceSkipped', communityId, ritualId: ritual.id, occurrenceId, occurrenceAt });
    return 'skipped';
  }
  ritual.nextHostIndex = (host.index + 1) % ritual.hostMembershipIds.length;
  const member = await tx.findOneOrFail(Member, { id: host.memberId });
  // The discussions' own command, as the host: the same rules, ThreadStarted and notifications as any thread.
  const thread = await startThread(scopeFor(services, member, tx), {
    communityId,
    title: `${ritual.title} — ${recurrence.localDate(due)}`,
    body: ritual.prompt,
    kind: ThreadKind.PROMPT,
    tags: ['ritual'],
  });
  await tx.execute(
    `update ritual_occurrence set status = 'POSTED', thread_id = ?, host_id = ? where id = ?`,
    [thread.id, member.id, occurrenceId],
    'all',
    BACKGROUND,
  );
  await recordEvent(tx, null, { type: 'RitualPrompted', communityId, ritualId: ritual.id, occurrenceId, occurrenceAt, threadId: thread.id, hostMemberId: member.id });
  return 'posted';
}

/**
 * Whose turn it is: the host at the rotation's index, or, when that membership is no longer ACTIVE in the community,
 * the next one in order that is (so occurrence n is hosts[n mod len] while everyone stays). The chosen membership is
 * share-locked until the thread is posted. Null when no host is an ACTIVE member any more.
 */
async function nextHost(tx: Em, ritual: Ritual): Promise<{ index: number; memberId: string } | null> {
  const ids = ritual.hostMembershipIds;
  if (!ids.length) return null;
  const rows = await tx.execute<{ id: string; member_id: string }[]>(
    `select id, member_id from membership where id in (?) and community_id = ? and status = 'ACTIVE' for share`,
    [ids, ritual.community.id],
    'all',
    BACKGROUND,
  );
  const active = new Map(rows.map((row) => [row.id, row.member_id]));
  for (let step = 0; step < ids.length; step++) {
    const index = (ritual.nextHostIndex + step) % ids.length;
    const memberId = active.get(ids[index]!);
    if (memberId) return { index, memberId };
  }
  return null;
}
