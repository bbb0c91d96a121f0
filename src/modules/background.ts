import type { EventConsumer } from '../events/dispatcher';
import type { JobDefinition, Schedule } from '../jobs/queue';
import type { Services } from '../context';
import { liveDelivery } from '../realtime/liveDelivery';
import { eventLogMaintenance } from '../events/prune';
import { notificationsBackground } from './notifications/notifications.background';
import { digestBackground } from './digests/digest.background';
import { webhookDelivery } from './webhooks/webhookDelivery.background';
import { roleTermsBackground } from './governance/roles/roleTerms.background';
import { proposalsBackground } from './governance/proposals/proposals.background';
import { ritualsBackground } from './meetings/rituals/rituals.background';
import { rsvpBackground } from './meetings/rsvp/rsvp.background';
import { meetingSchedulesBackground } from './meetings/meetingSchedules.background';

/**
 * What a module runs in the background: the jobs it defines, the consumers of the event log it adds, the recurring
 * jobs it schedules. Each module exports one; this list is the only place that names them all.
 */
export interface ModuleBackground {
  jobs?(services: Services): JobDefinition<never>[];
  consumers?(services: Services): EventConsumer[];
  schedules?(services: Services): Schedule[];
  /** Runs once when the instance has started its queue (before it serves requests), e.g. to catch up on a schedule. */
  start?(services: Services): Promise<void>;
}

export const backgrounds: ModuleBackground[] = [
  liveDelivery,
  eventLogMaintenance,
  notificationsBackground,
  digestBackground,
  webhookDelivery,
  roleTermsBackground,
  proposalsBackground,
  ritualsBackground,
  rsvpBackground,
  meetingSchedulesBackground,
];
