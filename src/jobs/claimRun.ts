import type { Em } from '../db/orm';

/**
 * Claims a scheduled job's run for one period: true for the first caller, false for every other (another
 * instance, a second firing, a retry after the run finished). `key` names the job and the period.
 */
export async function claimRun(em: Em, job: string, key: string): Promise<boolean> {
  const rows = await em.execute<{ key: string }[]>('insert into scheduled_run (key, job) values (?, ?) on conflict (key) do nothing returning key', [key, job]);
  return rows.length === 1;
}

export async function finishRun(em: Em, key: string, details: Record<string, unknown>): Promise<void> {
  await em.execute('update scheduled_run set finished_at = now(), details = ? where key = ?', [JSON.stringify(details), key]);
}
