import type { ModuleBackground } from '../background';
import { emailJob } from './email/emailJob';
import { fanoutJob } from './fanout/fanoutJob';
import { notificationsConsumer } from './fanout/notificationsConsumer';

/** Notifications: a consumer enqueueing one fan-out per notifying event, the fan-out job and the email job. */
export const notificationsBackground: ModuleBackground = {
  jobs: (services) => [fanoutJob(services), emailJob(services)],
  consumers: (services) => [notificationsConsumer(services)],
};
