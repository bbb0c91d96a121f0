import { Webhook as StandardWebhook } from 'standardwebhooks';
import type { Em } from '../../../db/orm';
import { BACKGROUND, backgroundEm } from '../../../jobs/backgroundEm';
import type { JobDefinition } from '../../../jobs/queue';
import type { Services } from '../../../context';
import { eventKind } from '../../../events/registry';
import { WebhookDeliveryStatus } from '../webhook.entity';
import { WebhookDelivery } from '../webhookDelivery.entity';
import { decryptWebhookSecret } from '../webhookSecret';
import { loadStoredEvent } from '../../../events/storedEvent';
import { prepareDelivery } from './payload';
import { nextAttemptAt } from './retrySchedule';
import { sendWebhook, type SendOutcome } from './sendWebhook';
import { logger } from '../../../logging/logger';

export const DELIVER_JOB = 'webhooks.deliver';
export interface DeliverJob {
  deliveryId: string;
  /** Attempts already made when this job was queued: a job whose delivery has moved on does nothing. */
  attempt: number;
}

/** The same on every attempt of one event to one webhook, so receivers can drop repeats. */
export const messageId = (deliveryId: string) => `msg_${deliveryId}`;

interface Outcome {
  status: WebhookDeliveryStatus;
  responseStatus?: number | null;
  error?: string | null;
  /** This attempt counts (an HTTP request was made or refused). */
  attempted: boolean;
  disableWebhook?: string;
}

const GONE = 'The receiver answered 410 Gone';

/** What one attempt's result means for the delivery; failures that may pass are retried by the schedule. */
function judge(result: SendOutcome): Outcome {
  if (result.kind === 'refused') return { status: WebhookDeliveryStatus.FAILED, error: result.reason, attempted: true };
  if (result.kind === 'failed') return { status: WebhookDeliveryStatus.PENDING, responseStatus: null, error: result.reason, attempted: true };
  if (result.status >= 200 && result.status < 300) return { status: WebhookDeliveryStatus.SUCCEEDED, responseStatus: result.status, error: null, attempted: true };
  if (result.status === 410) return { status: WebhookDeliveryStatus.FAILED, responseStatus: 410, error: GONE, attempted: true, disableWebhook: GONE };
  const redirect = result.status >= 300 && result.status < 400 ? ' (redirects are not followed)' : '';
  return { status: WebhookDeliveryStatus.PENDING, responseStatus: result.status, error: `The receiver answered ${result.status}${redirect}`, attempted: true };
}

/** Retries of the job itself, for our own failures (the database); the receiver's go by the delivery's schedule. */
const JOB_RETRIES = 3;

export function deliverJob(services: Services): JobDefinition<DeliverJob> {
  return {
    name: DELIVER_JOB,
    concurrency: 4,
    queue: { retryLimit: JOB_RETRIES, retryDelay: 5, retryBackoff: true },
    async handle(data, job) {
      try {
        await attemptDelivery(services, data);
      } catch (error) {
        if (job.retryCount < JOB_RETRIES) throw error;
        // The last try: leave the delivery FAILED with a reason rather than PENDING forever.
        logger.error({ err: error }, `[webhooks] delivery ${data.deliveryId} failed`);
        await backgroundEm(services.orm).execute(
          "update webhook_delivery set status = 'FAILED', error = 'Internal error while delivering', next_attempt_at = null where id = ? and status = 'PENDING' and attempts = ?",
          [data.deliveryId, data.attempt],
          'run',
          BACKGROUND,
        );
      }
    },
  };
}

/**
 * One attempt of one delivery: build the body now (through the owner's rights), sign it, POST it, record what
 * happened and, for a failure worth retrying, queue the next attempt at its time; all outside any request, so a
 * failing receiver never touches the command that caused the event. Recording is guarded by the attempt number:
 * a duplicate job (a worker that died after sending) records nothing and queues nothing.
 */
async function attemptDelivery(services: Services, { deliveryId, attempt }: DeliverJob): Promise<void> {
  const { config } = services;
  const em = backgroundEm(services.orm);
  const delivery = await em.findOne(WebhookDelivery, { id: deliveryId }, { populate: ['webhook'] });
  if (!delivery || delivery.status !== WebhookDeliveryStatus.PENDING || delivery.attempts !== attempt) return;
  const webhook = delivery.webhook;
  const record = (outcome: Outcome) => recordOutcome(services, em, delivery, attempt, outcome);
  if (!webhook.enabled) return record({ status: WebhookDeliveryStatus.SKIPPED, error: 'The webhook is disabled', attempted: false });
  const event = await loadStoredEvent(em, delivery.eventId);
  const type = event && eventKind(event.type)?.webhook;
  if (!event || !type) return record({ status: WebhookDeliveryStatus.SKIPPED, error: 'The event is no longer stored', attempted: false });
  const prepared = await prepareDelivery(services, em, webhook, event, type);
  if ('skipped' in prepared) return record({ status: WebhookDeliveryStatus.SKIPPED, error: prepared.skipped, attempted: false });
  let signer: StandardWebhook;
  try {
    signer = new StandardWebhook(decryptWebhookSecret(webhook.secretCiphertext, config.jwtSecret));
  } catch {
    return record({ status: WebhookDeliveryStatus.FAILED, error: 'The signing secret cannot be read (was JWT_SECRET changed?)', attempted: false });
  }
  const id = messageId(delivery.id);
  const now = new Date();
  const headers = {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signer.sign(id, now, prepared.body),
  };
  const result = await sendWebhook(webhook.url, headers, prepared.body, {
    timeoutMs: config.webhookTimeoutMs,
    allowPrivateNetworks: config.webhookAllowPrivateNetworks,
  });
  await record(judge(result));
}

async function recordOutcome(services: Services, em: Em, delivery: WebhookDelivery, attempt: number, outcome: Outcome): Promise<void> {
  const now = new Date();
  const attempts = attempt + (outcome.attempted ? 1 : 0);
  let status = outcome.status;
  let next: Date | null = null;
  let error = outcome.error ?? null;
  if (status === WebhookDeliveryStatus.PENDING) {
    next = nextAttemptAt(services.config.webhookRetryDelaysMs, attempts, now);
    if (!next) {
      status = WebhookDeliveryStatus.FAILED;
      error = `${error}; gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
    }
  }
  await em.transactional(async (tem) => {
    const updated = await tem.execute<{ id: string }[]>(
      'update webhook_delivery set status = ?, attempts = ?, response_status = ?, error = ?, next_attempt_at = ?, ' +
        'last_attempt_at = coalesce(?, last_attempt_at) where id = ? and status = ? and attempts = ? returning id',
      [
        status,
        attempts,
        outcome.responseStatus === undefined ? delivery.responseStatus : outcome.responseStatus,
        error,
        next,
        outcome.attempted ? now : null,
        delivery.id,
        WebhookDeliveryStatus.PENDING,
        attempt,
      ],
      'all',
      BACKGROUND,
    );
    if (!updated.length) return; // another run of this job got here first
    if (outcome.disableWebhook) {
      await tem.execute('update webhook set enabled = false, disabled_reason = ?, updated_at = now() where id = ?', [outcome.disableWebhook, delivery.webhook.id], 'run', BACKGROUND);
    }
    if (next) {
      const job: DeliverJob = { deliveryId: delivery.id, attempt: attempts };
      await services.jobs.send(DELIVER_JOB, job, { em: tem, startAfter: next });
    }
  }, { loggerContext: BACKGROUND });
}
