import type { JobDefinition, Schedule } from '../../jobs/queue';
import type { ModuleBackground } from '../background';
import { ANNUAL_MEETINGS_JOB, annualMeetingsJob, runAnnualMeetings } from './annual/annualMeetings.job';
import { reminderJob, REMINDER_SWEEP_JOB, reminderSweepJob } from './reminders/reminders.job';
// Who hears of meetings, what their webhooks and emails say: declared with the module's background work.
import './meeting/meeting.audiences';
import './meeting/meeting.webhooks';
import './meeting/meeting.mail';
import { logger } from '../../logging/logger';

/**
 * Meetings over time: the annual rule (ANNUAL_MEETINGS_CRON, default daily at midnight in ORG_TIME_ZONE, and once at
 * start so existing communities get theirs) and reminders (a job per reminder at its due time, and a sweep on
 * MEETING_REMINDERS_CRON, default every minute, for reminders whose job was lost). All of it is idempotent and safe
 * on several instances at once.
 */
export const meetingSchedulesBackground: ModuleBackground = {
  jobs: (services) => [annualMeetingsJob(services), reminderJob(services), reminderSweepJob(services)] as JobDefinition<never>[],
  schedules(services): Schedule[] {
    const tz = services.config.orgTimeZone;
    return [
      { name: ANNUAL_MEETINGS_JOB, cron: services.config.annualMeetingsCron, tz },
      { name: REMINDER_SWEEP_JOB, cron: services.config.meetingRemindersCron, tz },
    ];
  },
  async start(services) {
    if (!services.jobs.working) return;
    // A catch-up, not a precondition: an instance whose database is not ready (not migrated yet) still starts, and
    // the schedule (or the next start) creates what is missing.
    try {
      const created = await runAnnualMeetings(services);
      if (created) logger.info(`[meetings] ${created} annual meetings created at start`);
    } catch (error) {
      logger.error({ err: error }, '[meetings] the annual meetings could not be checked at start; the schedule will retry');
    }
  },
};
