/**
 * `npm run bench:fanout` (raise the descriptor limit first: `ulimit -n 65535 && npm run bench:fanout`):
 * N idle graphql-ws subscribers on one thread, then M replies; delivery latency from the reply's HTTP response to
 * each subscriber's receipt, and server memory per idle subscriber; on one instance, then on two instances
 * sharing one database and Redis (subscribers on A, replies through B). Results go to BENCHMARKS.md.
 */
import 'reflect-metadata';
import { execSync, fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import type { Em } from '../src/db/orm';
import { startApp, type App } from '../src/server/app';
import { Member } from '../src/modules/members/member.entity';
import { Community } from '../src/modules/communities/community.entity';
import { Membership, MembershipStatus } from '../src/modules/communities/membership.entity';
import { Thread, ThreadKind } from '../src/modules/discussions/thread.entity';
import { toGlobalId } from '../src/shared/ids';
import { threadTopic } from '../src/shared/events';
import { databaseUrl, benchSettings } from './support/settings';
import { dropDatabase, recreateDatabase, serverVersion } from './support/database';
import { describeMachine, fixed, table, writeSection } from './support/report';

const LEVELS = (process.env.BENCH_FANOUT_LEVELS ?? '1000,5000,10000').split(',').map(Number).filter((n) => n > 0);
const POSTS = Number(process.env.BENCH_FANOUT_POSTS ?? 20);
const POST_GAP_MS = 200;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = (message: string) => console.log(`[bench:fanout] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();
const gc = () => (global as { gc?: () => void }).gc?.();

interface Result {
  mode: string;
  subscribers: number;
  deliveries: number;
  expected: number;
  p50: number;
  p99: number;
  p99FromRequest: number;
  heapPerSubscriberKB: number;
  rssPerSubscriberKB: number;
  connectSeconds: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function until(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function request<T>(child: ChildProcess, message: object, reply: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string; error?: string }) => {
      if (m.type === reply) {
        child.off('message', onMessage);
        resolve(m as T);
      } else if (m.type === 'failed') {
        child.off('message', onMessage);
        reject(new Error(m.error));
      }
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

async function seed(app: App) {
  const em = app.services.orm.em.fork() as Em;
  const poster = new Member();
  poster.email = 'poster@bench.example';
  poster.emailKey = poster.email;
  poster.passwordHash = 'not-a-login';
  poster.displayName = 'Poster';
  const community = new Community();
  community.slug = 'fanout';
  community.name = 'Fan-out';
  community.description = 'Benchmark community';
  const membership = new Membership();
  membership.member = poster;
  membership.community = community;
  membership.status = MembershipStatus.ACTIVE;
  membership.joinedAt = new Date();
  const thread = new Thread();
  thread.community = community;
  thread.author = poster;
  thread.title = 'Everyone is watching';
  thread.body = 'Fan-out benchmark';
  thread.kind = ThreadKind.DISCUSSION;
  await em.persist([poster, community, membership, thread]).flush();
  return { threadId: thread.id, token: await app.services.tokens.issue(poster.id) };
}

async function run(mode: 'one instance' | 'two instances + Redis', subscribers: number, dbUrl: string, prefix: string): Promise<Result> {
  const env = {
    DATABASE_URL: dbUrl,
    JWT_SECRET: 'fanout-benchmark-secret-fanout-benchmark-secret',
    PORT: '0',
    HOST: '127.0.0.1',
    MIGRATE_ON_START: 'true',
    SEED_ON_EMPTY: 'false',
    WS_MAX_SOCKETS_PER_MEMBER: '100000',
    WS_MAX_SOCKETS_PER_IP: '100000',
    AUTH_MAX_ATTEMPTS: '100000',
    ...(mode === 'one instance' ? {} : { REDIS_URL, REDIS_PREFIX: prefix }),
  };
  const a = await startApp(loadConfig(env));
  const b = mode === 'one instance' ? a : await startApp(loadConfig(env));
  const child = fork(join(__dirname, 'support', 'fanoutClients.ts'), [], { execArgv: ['-r', '@swc-node/register'] });
  try {
    const { threadId, token } = await seedOnce(a);
    const topic = threadTopic(threadId);
    gc();
    await sleep(200);
    gc();
    const before = process.memoryUsage();
    const connectStart = Date.now();
    await request(child, { type: 'start', url: `${a.url.replace('http', 'ws')}/graphql`, threadId: toGlobalId('Thread', threadId), count: subscribers }, 'ready');
    await until(() => a.services.events.listenerCount(topic) >= subscribers, 60_000, 'subscriptions');
    const connectSeconds = (Date.now() - connectStart) / 1000;
    await sleep(500);
    gc();
    await sleep(200);
    gc();
    const after = process.memoryUsage();

    const sentAt: number[] = [];
    const answeredAt: number[] = [];
    for (let i = 0; i < POSTS; i++) {
      sentAt[i] = now();
      const response = await fetch(`${b.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: 'mutation ($input: ReplyInput!) { replyToThread(input: $input) { id } }',
          variables: { input: { threadId: toGlobalId('Thread', threadId), body: `fanout-${i}` } },
        }),
      });
      const json = (await response.json()) as { errors?: unknown };
      answeredAt[i] = now();
      if (json.errors) throw new Error(`reply failed: ${JSON.stringify(json.errors)}`);
      await sleep(POST_GAP_MS);
    }
    const expected = subscribers * POSTS;
    let received: [number, number[]][] = [];
    await until(
      async () => {
        received = (await request<{ received: [number, number[]][] }>(child, { type: 'report' }, 'report')).received;
        return received.reduce((n, [, times]) => n + times.length, 0) >= expected;
      },
      30_000,
      'deliveries',
    ).catch((error) => log(String(error)));
    const fromResponse: number[] = [];
    const fromRequest: number[] = [];
    for (const [index, times] of received) {
      for (const t of times) {
        fromResponse.push(Math.max(0, t - answeredAt[index]!));
        fromRequest.push(t - sentAt[index]!);
      }
    }
    fromResponse.sort((x, y) => x - y);
    fromRequest.sort((x, y) => x - y);
    return {
      mode,
      subscribers,
      deliveries: fromResponse.length,
      expected,
      p50: percentile(fromResponse, 50),
      p99: percentile(fromResponse, 99),
      p99FromRequest: percentile(fromRequest, 99),
      heapPerSubscriberKB: (after.heapUsed - before.heapUsed) / 1024 / subscribers,
      rssPerSubscriberKB: (after.rss - before.rss) / 1024 / subscribers,
      connectSeconds,
    };
  } finally {
    child.send({ type: 'stop' });
    await new Promise((resolve) => child.once('exit', resolve));
    await a.close();
    if (b !== a) await b.close();
  }
}

let seeded: { threadId: string; token: string } | null = null;
async function seedOnce(app: App) {
  seeded ??= await seed(app);
  return { threadId: seeded.threadId, token: await app.services.tokens.issue((await memberId(app))!) };
}
async function memberId(app: App): Promise<string | undefined> {
  const [row] = await (app.services.orm.em.fork() as Em).execute<{ id: string }[]>("select id from member where email_key = 'poster@bench.example'");
  return row?.id;
}

async function main(): Promise<void> {
  const settings = benchSettings({ ...process.env, BENCH_DATABASE_NAME: process.env.BENCH_DATABASE_NAME ?? 'practicehub_fanout' });
  const fdLimit = Number(execSync('sh -c "ulimit -n"').toString().trim()) || 1024;
  const levels = LEVELS.filter((n) => {
    if (n + 500 > fdLimit) {
      log(`skipping ${n} subscribers: the descriptor limit is ${fdLimit} (run \`ulimit -n 65535\` first)`);
      return false;
    }
    return true;
  });
  if (!(global as { gc?: unknown }).gc) log('run with --expose-gc (npm run bench:fanout does) for memory figures');
  const machine = describeMachine(await serverVersion(settings.adminUrl));
  await recreateDatabase(settings.adminUrl, settings.databaseName);
  const dbUrl = databaseUrl(settings.adminUrl, settings.databaseName);
  const results: Result[] = [];
  try {
    for (const n of levels) {
      for (const mode of ['one instance', 'two instances + Redis'] as const) {
        log(`${mode}: ${n} subscribers, ${POSTS} replies`);
        const result = await run(mode, n, dbUrl, `practicehub-fanout-${process.pid}:`);
        results.push(result);
        log(
          `${mode} ${n}: ${result.deliveries}/${result.expected} delivered, p50 ${fixed(result.p50)} ms, p99 ${fixed(result.p99)} ms, ` +
            `heap ${fixed(result.heapPerSubscriberKB, 2)} KB and RSS ${fixed(result.rssPerSubscriberKB, 2)} KB per subscriber (connect ${fixed(result.connectSeconds)} s)`,
        );
      }
    }
  } finally {
    await dropDatabase(settings.adminUrl, settings.databaseName);
  }
  if (!settings.writeResults || results.length === 0) return;
  const body = [
    `- **Date:** ${new Date().toISOString()}`,
    `- **Command:** \`ulimit -n 65535 && npm run bench:fanout\` (descriptor limit here: ${fdLimit})`,
    `- **Machine:** ${machine.cpuCount} × ${machine.cpu}, ${machine.memoryGiB} GiB RAM, ${machine.os}, Node ${machine.node}; ${machine.postgres.split(' on ')[0]}`,
    `- **Set-up:** the API in this process; N raw graphql-transport-ws sockets (anonymous, OPEN community) in a child process, all on one thread; ${POSTS} replies ${POST_GAP_MS} ms apart over HTTP. Latency = receipt by a subscriber minus the arrival of the reply's HTTP response (0 when the event arrived first); "p99 from request" counts from sending the reply. Memory = server heap/RSS growth after connecting, after GC, divided by N. Two instances: both on one database and Redis, subscribers on A, replies through B.`,
    '',
    table(
      ['mode', 'subscribers', 'delivered', 'p50 ms', 'p99 ms', 'p99 from request ms', 'heap KB/sub', 'RSS KB/sub'],
      results.map((r) => [
        r.mode,
        String(r.subscribers),
        `${r.deliveries}/${r.expected}`,
        fixed(r.p50),
        fixed(r.p99),
        fixed(r.p99FromRequest),
        fixed(r.heapPerSubscriberKB, 2),
        fixed(r.rssPerSubscriberKB, 2),
      ]),
    ),
    '',
    '- **Targets:** 10,000 subscribers on one instance with p99 < 250 ms and ≤ 10 KB per idle subscriber.',
  ].join('\n');
  writeSection(join(__dirname, '..', 'BENCHMARKS.md'), '## Fan-out (npm run bench:fanout)', body);
  log('results written to BENCHMARKS.md');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
