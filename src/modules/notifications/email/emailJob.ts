import type { Em } from '../../../db/orm';
import { BACKGROUND, backgroundEm } from '../../../jobs/backgroundEm';
import type { JobDefinition, QueuedJob } from '../../../jobs/queue';
import { scopeFor, type Services } from '../../../context';
import { LoaderRegistry } from '../../../shared/loaders';
import { Member } from '../../members/member.entity';
import { Notification } from '../notification.entity';
import { decide } from './decide';
import { sendNotificationEmail } from './sendNotificationEmail';
import { logger } from '../../../logging/logger';

export const EMAIL_JOB = 'notifications.email';

export interface EmailJobData {
  notificationId: string;
}

/**
 * Jobs worked together per instance. A reminder or a new thread makes thousands at once: per batch the reads are a
 * handful of statements (the notifications, their recipients, then one per kind of rights check, batched by the
 * loaders) and one claim, instead of about seven statements per email; the mails then go out side by side over
 * the pooled SMTP connections.
 */
export const EMAIL_BATCH_SIZE = 100;

/**
 * `notifications.email { notificationId }`: emails one notification if it should still go (see decide), worked in
 * batches. Each notification is decided for its own recipient, claimed before sending (so two runs of its job, a
 * retry racing a slow first run or a rescheduled copy, cannot both send it), and a failed send releases that claim
 * alone and fails that job alone, which is retried. A worker that dies mid-send loses that email rather than ever
 * sending it twice (the notification itself stays in the inbox).
 */
export function emailJob(services: Services): JobDefinition<EmailJobData> {
  return {
    name: EMAIL_JOB,
    // A failing SMTP server: retried with backoff (about 10 s, 20 s, 40 s…), visible in the logs and the queue.
    queue: { retryLimit: 8, retryDelay: 10, retryBackoff: true },
    batchSize: EMAIL_BATCH_SIZE,
    handleBatch: (jobs) => emailBatch(services, jobs),
  };
}

type Outcome = { failed: unknown } | null;

async function emailBatch(services: Services, jobs: QueuedJob<EmailJobData>[]): Promise<Map<string, unknown>> {
  const em = backgroundEm(services.orm);
  const ids = [...new Set(jobs.map((job) => job.data.notificationId))];
  const notifications = await em.find(Notification, { id: { $in: ids } });
  const members = new Map((await em.find(Member, { id: { $in: [...new Set(notifications.map((n) => n.recipient.id))] } })).map((m) => [m.id, m]));
  // Each recipient decides in its own scope; their entity and membership reads batch across the whole batch.
  const shared = new LoaderRegistry(em, null);
  const due = notifications.flatMap((notification) => {
    const member = members.get(notification.recipient.id);
    return member ? [{ notification, member }] : [];
  });
  const decisions = await Promise.allSettled(
    due.map(({ notification, member }) => decide(services, scopeFor(services, member, em, { loaders: new LoaderRegistry(em, member.id, shared) }), notification, member)),
  );
  const outcomes = new Map<string, Outcome>();
  const later: { id: string; at: Date }[] = [];
  const toSend: typeof due = [];
  decisions.forEach((decision, i) => {
    const { notification } = due[i]!;
    if (decision.status === 'rejected') outcomes.set(notification.id, { failed: decision.reason });
    else if (decision.value === 'send') toSend.push(due[i]!);
    else if (decision.value !== 'skip') later.push({ id: notification.id, at: decision.value.later });
  });
  await deferAll(services, later, outcomes);
  await sendAll(services, em, toSend, outcomes);
  // A notification gone (or its recipient) needs nothing: its job completes, as every job without a failure.
  const failures = new Map<string, unknown>();
  for (const job of jobs) {
    const outcome = outcomes.get(job.data.notificationId);
    if (outcome) failures.set(job.id, outcome.failed);
  }
  return failures;
}

/** WHEN_AWAY notifications not yet due: a job each for their due time (this one completes). */
async function deferAll(services: Services, later: { id: string; at: Date }[], outcomes: Map<string, Outcome>): Promise<void> {
  if (!later.length) return;
  try {
    await services.jobs.sendMany(EMAIL_JOB, later.map(({ id, at }) => ({ data: { notificationId: id }, startAfter: at })));
  } catch (error) {
    for (const { id } of later) outcomes.set(id, { failed: error });
  }
}

/** Claims what is still unsent in one statement, then sends each claimed one; a failed send releases its own claim. */
async function sendAll(services: Services, em: Em, toSend: { notification: Notification; member: Member }[], outcomes: Map<string, Outcome>): Promise<void> {
  if (!toSend.length) return;
  let claimed: Set<string>;
  try {
    const rows = await em.execute<{ id: string }[]>(
      'update notification set emailed_at = now() where id = any(?::uuid[]) and emailed_at is null returning id',
      [`{${toSend.map(({ notification }) => notification.id).join(',')}}`],
      'all',
      BACKGROUND,
    );
    claimed = new Set(rows.map((row) => row.id));
  } catch (error) {
    for (const { notification } of toSend) outcomes.set(notification.id, { failed: error });
    return;
  }
  await Promise.all(
    toSend
      .filter(({ notification }) => claimed.has(notification.id))
      .map(async ({ notification, member }) => {
        try {
          await sendNotificationEmail(services, em, notification, member);
        } catch (error) {
          outcomes.set(notification.id, { failed: error });
          await em.execute('update notification set emailed_at = null where id = ?', [notification.id], 'run', BACKGROUND).catch((release) => {
            logger.error({ err: release }, `[jobs] ${EMAIL_JOB}: the claim of ${notification.id} could not be released`);
          });
        }
      }),
  );
}
