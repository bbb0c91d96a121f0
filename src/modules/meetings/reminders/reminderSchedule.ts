import { fromKysely } from 'pg-boss';
import type { Em } from '../../../db/orm';
import type { Services } from '../../../context';
import { MeetingStatus, type Meeting } from '../meeting/meeting.entity';

export const REMINDER_JOB = 'meetings.reminder';
export interface ReminderJob {
  reminderId: string;
  /** The due time the job was made for (ISO): a row since moved is not this job's any more. */
  dueAt: string;
}

const MINUTE = 60_000;

/** A meeting's reminders at `now`: one per offset still ahead (an offset already past when scheduling is skipped). */
export function dueReminders(meeting: Pick<Meeting, 'status' | 'startsAt' | 'reminderMinutesBefore'>, now: Date): { minutesBefore: number; dueAt: Date }[] {
  if (meeting.status !== MeetingStatus.SCHEDULED || !meeting.startsAt) return [];
  const startsAt = meeting.startsAt.getTime();
  return meeting.reminderMinutesBefore
    .map((minutesBefore) => ({ minutesBefore, dueAt: new Date(startsAt - minutesBefore * MINUTE) }))
    .filter((reminder) => reminder.dueAt.getTime() > now.getTime());
}

/**
 * Inside the command's transaction (schedule, update, cancel): the meeting's unsent reminders are replaced by those
 * its time, offsets and status call for now, each with a job queued for its due time in the same transaction. The
 * jobs of the replaced rows are cancelled too (and would do nothing anyway: their row is gone). A reminder already
 * sent for the same offset and start is not made again (unique key). Call after the meeting's changes are applied.
 */
export async function replaceReminders(em: Em, services: Pick<Services, 'jobs'>, meeting: Meeting, now = new Date()): Promise<void> {
  await em.flush(); // a meeting scheduled in this transaction exists before its reminders reference it
  const removed = await em.execute<{ id: string }[]>('delete from meeting_reminder where meeting_id = ? and sent_at is null returning id', [meeting.id]);
  await cancelReminderJobs(em, services, removed.map((row) => row.id));
  const due = dueReminders(meeting, now);
  if (!due.length) return;
  const created = await em.execute<{ id: string; due_at: Date | string }[]>(
    `insert into meeting_reminder (id, meeting_id, minutes_before, due_at) ` +
      `select gen_random_uuid(), ?, r.minutes_before, r.due_at from unnest(?::int[], ?::timestamptz[]) as r(minutes_before, due_at) ` +
      `on conflict (meeting_id, minutes_before, due_at) do nothing returning id, due_at`,
    [meeting.id, `{${due.map((r) => r.minutesBefore).join(',')}}`, `{${due.map((r) => `"${r.dueAt.toISOString()}"`).join(',')}}`],
  );
  for (const row of created) {
    const dueAt = new Date(row.due_at);
    const data: ReminderJob = { reminderId: row.id, dueAt: dueAt.toISOString() };
    // The job's id is the row's: what is queued for a reminder can be found (and cancelled) by it.
    await services.jobs.send(REMINDER_JOB, data, { em, startAfter: dueAt, id: row.id });
  }
}

/** Cancels the queued jobs of removed reminders in the caller's transaction (a job a worker already took finds its row gone). */
async function cancelReminderJobs(em: Em, services: Pick<Services, 'jobs'>, reminderIds: string[]): Promise<void> {
  if (!reminderIds.length) return;
  const trx = em.getTransactionContext();
  if (!trx) throw new Error('replaceReminders outside a transaction');
  await services.jobs.raw.cancel(REMINDER_JOB, reminderIds, { db: fromKysely(trx as Parameters<typeof fromKysely>[0]) });
}
