/**
 * Faults under load (`npm run bench:faults`): two API instances (child processes running `src/main.ts`) on a
 * throw-away PostgreSQL 15 cluster and a throw-away Redis, both started here from the installed binaries on free
 * ports (the machine's own PostgreSQL and Redis are never touched). A steady mix of writes (`replyToThread` to one
 * thread, alternating instances) and graphql-ws subscribers (`threadActivity`, resuming with `since` after every
 * close) runs through these phases:
 *   steady → PostgreSQL stopped (`pg_ctl stop -m fast`) and started again → Redis SIGKILLed and started again on
 *   the same port → SIGTERM to instance B (its subscribers move to A) → steady.
 * At the end: every acknowledged write must be in the database and have reached every subscriber; per phase the
 * writes attempted/acknowledged/failed, events delivered, reconnects, /readyz answers, close codes and recovery times.
 *
 * Environment (all optional): FAULTS_PHASE_SECONDS (default 4), FAULTS_OUTAGE_SECONDS (how long PostgreSQL and
 * Redis stay down, default 3), FAULTS_SUBSCRIBERS (default 20), FAULTS_WRITERS (default 3), FAULTS_PAUSE_MS (between
 * a writer's writes, default 150), FAULTS_PG_BIN (default /usr/lib/postgresql/15/bin), BENCH_WRITE_RESULTS.
 */
import { Client as PgClient } from 'pg';
import { freePort, ThrowawayPostgres, ThrowawayRedis } from './support/faultsCluster';
import { ApiInstance } from './support/faultsInstance';
import { Clock, graphql, ReadyPoller, Subscriber, writeOnce, Writers, type WriteRecord } from './support/faultsLoad';
import { faultsReport, type FaultsResults, type PhaseMark } from './support/faultsReport';
import { describeMachine } from './support/report';
import { CleanUps, runBenchmark } from './support/runner';

const log = (message: string) => console.log(`[bench:faults] ${message}`);
const cleanups = new CleanUps('bench:faults');
const env = process.env;
const PHASE_MS = Number(env.FAULTS_PHASE_SECONDS || 4) * 1000;
const OUTAGE_MS = Number(env.FAULTS_OUTAGE_SECONDS || 3) * 1000;
const SUBSCRIBERS = Number(env.FAULTS_SUBSCRIBERS || 20);
const WRITERS = Number(env.FAULTS_WRITERS || 3);
const PAUSE_MS = Number(env.FAULTS_PAUSE_MS || 150);
/** Below the replay window of `since` (1,000 events): a resuming subscriber can always be given what it missed. */
const MAX_WRITES = 900;
const JWT_SECRET = 'bench-faults-secret-0123456789abcdef0123456789';
const DEMO = { email: 'demo@practicehub.example', password: 'practicehub-demo' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  log(`gave up waiting for ${what} after ${timeoutMs} ms`);
  return false;
}

async function pickThread(a: ApiInstance): Promise<{ token: string; threadId: string; community: string }> {
  const login = await graphql(a, 'mutation($input: LogInInput!) { logIn(input: $input) { token } }', { input: DEMO });
  const token = login.body.data?.logIn?.token as string | undefined;
  if (!token) throw new Error(`demo log-in failed: ${JSON.stringify(login.body)}`);
  const viewer = await graphql(a, '{ viewer { memberships { edges { node { status community { id slug visibility } } } } } }', {}, token);
  const edges = (viewer.body.data?.viewer?.memberships?.edges ?? []) as { node: { status: string; community: { id: string; slug: string; visibility: string } } }[];
  const community = edges.map((edge) => edge.node).find((node) => node.status === 'ACTIVE' && node.community.visibility === 'OPEN')?.community;
  if (!community) throw new Error(`the demo member has no ACTIVE membership in an OPEN community: ${JSON.stringify(viewer.body)}`);
  const started = await graphql(
    a,
    'mutation($input: StartThreadInput!) { startThread(input: $input) { id } }',
    { input: { communityId: community.id, title: 'Faults under load', body: 'The bench:faults thread' } },
    token,
  );
  const threadId = started.body.data?.startThread?.id as string | undefined;
  if (!threadId) throw new Error(`startThread failed: ${JSON.stringify(started.body)}`);
  return { token, threadId, community: community.slug };
}

runBenchmark<FaultsResults>({
  name: 'bench:faults',
  budgetSeconds: 900,
  writeResults: env.BENCH_WRITE_RESULTS?.trim() !== 'false',
  cleanUp: () => cleanups.run(),
  async run() {
    const postgres = new ThrowawayPostgres(await freePort());
    cleanups.push({ name: `stop the throw-away PostgreSQL and remove ${postgres.dir}`, run: () => postgres.destroy() });
    const version = await postgres.init();
    const redis = new ThrowawayRedis(await freePort());
    cleanups.push({ name: 'stop the throw-away Redis', run: () => redis.kill() });
    await redis.start();
    log(`${version} on port ${postgres.port}, Redis on port ${redis.port}`);

    const a = new ApiInstance('A', await freePort());
    const b = new ApiInstance('B', await freePort());
    const instances = [a, b];
    cleanups.push({ name: 'kill the API instances', run: async () => instances.forEach((instance) => instance.kill()) });
    const common = { DATABASE_URL: postgres.url, REDIS_URL: redis.url, JWT_SECRET, PASSWORD_HASH_COST: '1024', EVENT_POLL_MS: '500' };
    log('starting instance A (migrations and the demo data)');
    await a.start({ ...common, SEED_ON_EMPTY: 'true', MIGRATE_ON_START: 'true' });
    await b.start({ ...common, SEED_ON_EMPTY: 'false', MIGRATE_ON_START: 'false' });
    const { token, threadId, community } = await pickThread(a);
    log(`instances A :${a.port} and B :${b.port}; thread ${threadId} in ${community}`);

    const clock = new Clock();
    const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) => new Subscriber(i, clock, instances, token, threadId));
    cleanups.push({ name: 'close the subscribers', run: async () => void (await Promise.all(subscribers.map((s) => s.stop()))) });
    subscribers.forEach((subscriber) => subscriber.start());
    // Warm-up writes until every subscriber has seen one: from then on each has a cursor to resume from.
    let warm: WriteRecord | null = null;
    const allHaveWarm = await until(
      'every subscriber to see a warm-up write',
      async () => {
        if (subscribers.every((subscriber) => subscriber.receipts.length > 0)) return true;
        warm = await writeOnce(clock, a, token, threadId, `warm-${Date.now()}`);
        await sleep(500);
        return false;
      },
      30_000,
    );
    if (!allHaveWarm) {
      const state = subscribers.map((s) => ({ got: s.receipts.length, closes: s.closes.map((c) => c.code), errors: s.errors.slice(0, 2), last: s.receipts.at(-1) }));
      throw new Error(`the subscribers did not all receive the first write (${JSON.stringify(warm)}): ${JSON.stringify(state.slice(0, 4))}`);
    }

    const writers = new Writers(clock, instances, token, threadId, PAUSE_MS, MAX_WRITES);
    const poller = new ReadyPoller(clock, instances, 200);
    cleanups.push({ name: 'stop the load', run: async () => (poller.stop(), await writers.stop()) });
    const marks: PhaseMark[] = [];
    const phase = (name: string) => {
      clock.phase = name;
      marks.push({ name, at: clock.now() });
      log(`phase: ${name}`);
    };
    const extra: WriteRecord[] = [];

    phase('steady');
    writers.start(WRITERS);
    poller.start();
    await sleep(PHASE_MS);

    phase('PostgreSQL down');
    const pgDownAt = clock.now();
    await postgres.stop();
    await sleep(OUTAGE_MS);
    await postgres.start();
    phase('PostgreSQL back');
    const pgBackAt = clock.now();
    await sleep(PHASE_MS);

    phase('Redis down');
    const redisDownAt = clock.now();
    await redis.kill();
    await sleep(OUTAGE_MS);
    await redis.start();
    phase('Redis back');
    const redisBackAt = clock.now();
    await sleep(PHASE_MS);

    phase('SIGTERM to B');
    // Requests in flight when the signal comes: a burst of writes to B, then the signal.
    const burst = Array.from({ length: 6 }, () => writeOnce(clock, b, token, threadId, writers.nextBody()));
    await sleep(15);
    const sigtermAt = clock.now();
    b.sigterm();
    const exitCode = await Promise.race([b.exited, sleep(15_000).then(() => 'no exit' as const)]);
    const exitedAt = clock.now();
    extra.push(...(await Promise.all(burst)));
    await sleep(PHASE_MS);

    phase('steady again');
    await sleep(PHASE_MS);
    await writers.stop();
    poller.stop();

    phase('drain');
    const writes = [...writers.records, ...extra].sort((x, y) => x.startedAt - y.startedAt);
    const acked = writes.filter((write) => write.outcome === 'ack');
    const drainStart = clock.now();
    await until('every subscriber to have every acknowledged write', () => subscribers.every((s) => acked.every((w) => s.has(w.body))), 20_000);
    const drainMs = clock.now() - drainStart;
    await Promise.all(subscribers.map((subscriber) => subscriber.stop()));

    const db = new PgClient({ connectionString: postgres.url });
    await db.connect();
    const stored = new Set((await db.query<{ body: string }>("select body from post where body like 'fault-%'")).rows.map((row) => row.body));
    await db.end();

    return {
      machine: describeMachine(version),
      settings: { phaseMs: PHASE_MS, outageMs: OUTAGE_MS, subscribers: SUBSCRIBERS, writers: WRITERS, pauseMs: PAUSE_MS },
      marks,
      writes,
      stored,
      subscribers: subscribers.map((s) => ({ receipts: s.receipts, closes: s.closes, reconnects: s.reconnects, errors: s.errors })),
      probes: poller.probes,
      events: { pgDownAt, pgBackAt, redisDownAt, redisBackAt, sigtermAt, exitedAt, exitCode, drainMs },
      burst: extra,
      outputB: b.output(),
    };
  },
  report: faultsReport,
});
