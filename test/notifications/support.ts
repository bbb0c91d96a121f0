import type { Em } from '../../src/db/orm';
import type { OutgoingMail } from '../../src/mail/mailer';
import { recordEvent } from '../../src/events/record';
import type { DomainEvent } from '../../src/events/registry';
import type { TestServer } from '../support/server';

/**
 * Records a domain event as a command would (inside a transaction), for events whose commands do not record them
 * yet. Returns the outbox id.
 */
export async function record(server: TestServer, actorId: string | null, event: DomainEvent): Promise<string> {
  return server.em().transactional((em) => recordEvent(em as Em, actorId, event));
}

type JobState = { id: string; state: string; data: Record<string, unknown>; startAfter: Date };

export async function jobs(server: TestServer, name: string): Promise<JobState[]> {
  return (await server.app.services.jobs.raw.findJobs(name)) as unknown as JobState[];
}

/** Waits until every job of a kind has run (completed); fails on a failed job or after `timeoutMs`. */
export async function jobsDone(server: TestServer, name: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await jobs(server, name);
    const failed = all.find((job) => job.state === 'failed');
    if (failed) throw new Error(`Job ${name} failed: ${JSON.stringify(failed)}`);
    if (all.every((job) => job.state === 'completed')) return;
    if (Date.now() > deadline) throw new Error(`Jobs ${name} not done in time: ${JSON.stringify(all.map((j) => j.state))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the outbox is dispatched (by this call or by the dispatcher the commit woke, which may hold the rows). */
export async function dispatched(server: TestServer, timeoutMs = 10_000): Promise<void> {
  const { dispatcher } = server.app.services;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await dispatcher.drain();
    await dispatcher.settled();
    const [row] = await server.em().execute<{ n: string }[]>('select count(*) as n from domain_event where dispatched_at is null');
    if (Number(row!.n) === 0) return;
    if (Date.now() > deadline) throw new Error('Outbox not dispatched in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Dispatches what is in the outbox, waits for the fan-out jobs, then dispatches their NotificationAdded events. */
export async function fanOutAll(server: TestServer): Promise<void> {
  await dispatched(server);
  await jobsDone(server, 'notifications.fanout');
  await dispatched(server);
}

export interface NotificationRow {
  id: string;
  recipient_id: string;
  kind: string;
  title: string;
  subject_type: string | null;
  subject_id: string | null;
  event_id: string | null;
}

/** The notifications an event made, by recipient. */
export async function notificationsOf(server: TestServer, eventId: string): Promise<NotificationRow[]> {
  return server.em().execute<NotificationRow[]>('select id, recipient_id, kind::text as kind, title, subject_type, subject_id, event_id from notification where event_id = ? order by kind, recipient_id', [eventId]);
}

/**
 * Replaces the server's mailer with one that keeps what it is given in memory (tests about who hears what need no
 * mailbox; smtp.test.ts and pglite.test.ts use the real transports). Returns the list of mail sent.
 */
export function captureMail(server: { app: { services: { mailer: unknown } } }): OutgoingMail[] {
  const sent: OutgoingMail[] = [];
  server.app.services.mailer = { send: async (mail: OutgoingMail) => void sent.push(mail), close: async () => undefined };
  return sent;
}
