import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReplyToThreadDocument, StartThreadDocument } from '../generated/graphql';
import { fromGlobalId } from '../../src/shared/ids';
import { expectData, type TestServer } from '../support/server';

export interface Received {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver answers on a path: a status, or `hang` (never answers). */
export type Answer = number | 'hang';

/**
 * A real webhook receiver on 127.0.0.1 (port 0): records every request and answers per path, each path with a
 * list of answers used in turn (the last one repeats), e.g. `[500, 200]` fails once then succeeds.
 */
export class Receiver {
  readonly requests: Received[] = [];
  private readonly answers = new Map<string, Answer[]>();
  private readonly hanging: ServerResponse[] = [];
  private server!: Server;
  url = '';

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    receiver.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        receiver.requests.push({ path, method: request.method ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const answers = receiver.answers.get(path) ?? [200];
        const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
        if (answer === 'hang') {
          receiver.hanging.push(response);
          return;
        }
        response.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
    return receiver;
  }

  /** Answers for a path, in turn. */
  answer(path: string, ...answers: Answer[]): string {
    this.answers.set(path, answers);
    return `${this.url}${path}`;
  }

  on(path: string): Received[] {
    return this.requests.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Polls until `check` returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The delivery rows of a webhook (by database id), oldest first. */
export async function deliveryRows(server: TestServer, webhookId: string) {
  return server
    .em()
    .execute<{ id: string; event_id: string; event_type: string; status: string; attempts: number; response_status: number | null; error: string | null }[]>(
      'select id, event_id::text, event_type, status, attempts, response_status, error from webhook_delivery where webhook_id = ? order by created_at, id',
      [webhookId],
    );
}

/** Starts a thread through the API (recording ThreadStarted) and waits until its event has been dispatched. */
export async function startThread(server: TestServer, token: string, communityId: string, title = 'A thread') {
  const thread = expectData(await server.gql(StartThreadDocument, { input: { communityId, title, body: 'What do you think?' } }, { token })).startThread;
  await server.app.services.dispatcher.settled();
  return { id: thread.id, dbId: fromGlobalId(thread.id)!.id, eventId: await eventIdOf(server, 'ThreadStarted', 'threadId', fromGlobalId(thread.id)!.id) };
}

/** Replies through the API (recording PostAdded) and waits until its event has been dispatched. */
export async function reply(server: TestServer, token: string, threadId: string, body = 'A reply') {
  const post = expectData(await server.gql(ReplyToThreadDocument, { input: { threadId, body } }, { token })).replyToThread;
  await server.app.services.dispatcher.settled();
  return { id: post.id, eventId: await eventIdOf(server, 'PostAdded', 'postId', fromGlobalId(post.id)!.id) };
}

/** The outbox id of the event of `type` whose payload's `field` is `value`. */
export async function eventIdOf(server: TestServer, type: string, field: string, value: string): Promise<string> {
  const [row] = await server.em().execute<{ id: string }[]>('select id::text from domain_event where type = ? and payload->>? = ?', [type, field, value]);
  if (!row) throw new Error(`No ${type} event with ${field} ${value}`);
  return row.id;
}

/**
 * Waits until no job of `name` is queued, retrying or running (read from pg-boss's job table: its queue statistics
 * are a cache refreshed by its monitor, too stale to tell whether a job just sent has run).
 */
export function jobsDone(server: TestServer, name: string, timeoutMs = 10_000): Promise<true> {
  return eventually(
    async () => {
      const [row] = await server.em().execute<{ n: string }[]>(
        "select count(*) as n from pgboss.job where name = ? and state in ('created', 'retry', 'active')",
        [name],
      );
      return Number(row!.n) === 0;
    },
    timeoutMs,
    `${name} jobs`,
  );
}
