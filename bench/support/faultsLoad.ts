/**
 * `bench:faults`' steady load: writers replying to one thread (each write recorded with its outcome), graphql-ws
 * subscribers following the thread's `threadActivity` and resuming with `since` after every close, and a /readyz
 * poller. Everything is stamped with the phase it happened in.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { ApiInstance } from './faultsInstance';

/** A request that takes longer than this counts as a hang, not as a clean error. */
export const HANG_MS = 10_000;

export class Clock {
  phase = 'setup';
  private readonly started = performance.now();
  now(): number {
    return performance.now() - this.started;
  }
}

export interface WriteRecord {
  phase: string;
  instance: string;
  body: string;
  startedAt: number;
  endedAt: number;
  /** ack: HTTP 200 with the post; error: any other answer; network: the connection failed; hang: no answer in HANG_MS. */
  outcome: 'ack' | 'error' | 'network' | 'hang';
  detail: string;
}

export async function graphql(
  instance: ApiInstance,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<{ status: number; body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[] } }> {
  const response = await fetch(`${instance.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(HANG_MS),
  });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: text.slice(0, 200) }] };
  }
  return { status: response.status, body };
}

const REPLY = 'mutation Reply($input: ReplyInput!) { replyToThread(input: $input) { id body } }';

export async function writeOnce(clock: Clock, instance: ApiInstance, token: string, threadId: string, body: string): Promise<WriteRecord> {
  const phase = clock.phase;
  const startedAt = clock.now();
  const record = (outcome: WriteRecord['outcome'], detail: string): WriteRecord => ({ phase, instance: instance.name, body, startedAt, endedAt: clock.now(), outcome, detail });
  try {
    const { status, body: answer } = await graphql(instance, REPLY, { input: { threadId, body } }, token);
    if (status === 200 && answer.data?.replyToThread?.body === body && !answer.errors) return record('ack', '');
    const error = answer.errors?.[0];
    return record('error', `${status} ${error?.extensions?.code ?? ''} ${error?.message ?? ''}`.slice(0, 160));
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') return record('hang', 'no answer');
    return record('network', String((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message).slice(0, 160));
  }
}

/** Writers take turns over the live instances, one write at a time each, with a pause between writes. */
export class Writers {
  readonly records: WriteRecord[] = [];
  private stopped = false;
  private counter = 0;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly instances: ApiInstance[],
    private readonly token: string,
    private readonly threadId: string,
    private readonly pauseMs: number,
    private readonly maxWrites: number,
  ) {}

  nextBody(): string {
    return `fault-${process.pid}-${++this.counter}`;
  }

  start(count: number): void {
    for (let w = 0; w < count; w++) this.loops.push(this.loop(w));
  }

  private async loop(offset: number): Promise<void> {
    let turn = offset;
    while (!this.stopped && this.counter < this.maxWrites) {
      const live = this.instances.filter((instance) => instance.alive);
      const instance = live[turn++ % live.length];
      if (instance) this.records.push(await writeOnce(this.clock, instance, this.token, this.threadId, this.nextBody()));
      await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }
}

const SUBSCRIPTION = `subscription ThreadActivitySince($threadId: ID!, $since: String) {
  threadActivity(threadId: $threadId, since: $since) { __typename ... on PostAdded { cursor post { body } } ... on PostDeleted { cursor } ... on PostEdited { cursor } ... on ReactionChanged { cursor } ... on TypingChanged { cursor } }
}`;

export interface Receipt {
  body: string;
  at: number;
  phase: string;
}

/** One subscriber: connects to a live instance, follows the thread from its last cursor, and starts over on any close. */
export class Subscriber {
  readonly receipts: Receipt[] = [];
  readonly closes: { phase: string; instance: string; code: number; at: number }[] = [];
  readonly errors: { phase: string; message: string }[] = [];
  reconnects: { phase: string; instance: string; at: number }[] = [];
  cursor: string | null = null;
  current: ApiInstance | null = null;
  private client: Client | null = null;
  private stopped = false;
  private done: Promise<void> = Promise.resolve();
  private connects = 0;

  constructor(
    readonly index: number,
    private readonly clock: Clock,
    private readonly instances: ApiInstance[],
    private readonly token: string,
    private readonly threadId: string,
  ) {}

  start(): void {
    this.done = this.loop();
  }

  has(body: string): boolean {
    return this.receipts.some((receipt) => receipt.body === body);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const live = this.instances.filter((instance) => instance.alive);
      const instance = live[(this.index + this.connects) % Math.max(1, live.length)];
      if (!instance) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      if (this.connects++ > 0) this.reconnects.push({ phase: this.clock.phase, instance: instance.name, at: this.clock.now() });
      await this.follow(instance);
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private follow(instance: ApiInstance): Promise<void> {
    this.current = instance;
    return new Promise<void>((resolve) => {
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        resolve();
      };
      const client = createClient({
        url: instance.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${this.token}` },
        retryAttempts: 0,
        lazy: false,
        keepAlive: 5_000,
        onNonLazyError: () => undefined,
        on: {
          closed: (event) => {
            this.closes.push({ phase: this.clock.phase, instance: instance.name, code: (event as { code?: number })?.code ?? -1, at: this.clock.now() });
            finish();
          },
        },
      });
      this.client = client;
      client.subscribe(
        { query: SUBSCRIPTION, variables: { threadId: this.threadId, since: this.cursor } },
        {
          next: (result) => {
            const event = (result.data as { threadActivity?: { cursor?: string; post?: { body: string } } } | undefined)?.threadActivity;
            if (result.errors?.length) this.errors.push({ phase: this.clock.phase, message: result.errors[0]!.message });
            if (!event) return;
            if (event.cursor) this.cursor = event.cursor;
            if (event.post?.body) this.receipts.push({ body: event.post.body, at: this.clock.now(), phase: this.clock.phase });
          },
          error: (error) => {
            const message = error instanceof Error ? error.message : Array.isArray(error) ? String(error[0]?.message) : String((error as { code?: number })?.code ?? error);
            this.errors.push({ phase: this.clock.phase, message });
            void client.dispose();
            finish();
          },
          complete: () => {
            void client.dispose();
            finish();
          },
        },
      );
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.dispose();
    await this.done;
  }
}

export interface ReadyProbe {
  phase: string;
  instance: string;
  at: number;
  status: number | 'error';
}

/** Polls /readyz on every live instance. */
export class ReadyPoller {
  readonly probes: ReadyProbe[] = [];
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private readonly clock: Clock,
    private readonly instances: ApiInstance[],
    private readonly everyMs: number,
  ) {}

  start(): void {
    const tick = async () => {
      await Promise.all(
        this.instances
          .filter((instance) => instance.alive)
          .map(async (instance) => {
            const phase = this.clock.phase;
            const at = this.clock.now();
            const status = await fetch(`${instance.url}/readyz`, { signal: AbortSignal.timeout(3_000) }).then((r) => r.status, () => 'error' as const);
            this.probes.push({ phase, instance: instance.name, at, status });
          }),
      );
      if (this.timer) this.timer = setTimeout(tick, this.everyMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
