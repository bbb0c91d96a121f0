import type { Services } from '../../../context';
import type { JobDefinition } from '../../../jobs/queue';
import { REMINDER_JOB, type ReminderJob } from './reminderSchedule';
import { sendReminder, sweepReminders } from './sendReminder';
import { logger } from '../../../logging/logger';

export const REMINDER_SWEEP_JOB = 'meetings.reminders-sweep';

/** `meetings.reminder { reminderId, dueAt }`: queued for each reminder's due time by the command that made it. */
export function reminderJob(services: Services): JobDefinition<ReminderJob> {
  return {
    name: REMINDER_JOB,
    queue: { retryLimit: 5, retryDelay: 5, retryBackoff: true },
    // Reminders due in the same minute (many meetings at the hour) are worked side by side.
    concurrency: 8,
    async handle({ reminderId, dueAt }) {
      await sendReminder(services, reminderId, new Date(dueAt));
    },
  };
}

/** `meetings.reminders-sweep`, fired by MEETING_REMINDERS_CRON: sends due reminders whose job was lost. */
export function reminderSweepJob(services: Services): JobDefinition<object> {
  return {
    name: REMINDER_SWEEP_JOB,
    queue: { retryLimit: 1, retryDelay: 10, expireInSeconds: 300 },
    concurrency: 1,
    async handle() {
      const sent = await sweepReminders(services);
      if (sent) logger.info(`[meetings] the sweep sent ${sent} overdue reminders`);
    },
  };
}
