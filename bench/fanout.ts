/**
 * Fan-out benchmark (`npm run bench:fanout`; raise the descriptor limit first, e.g.
 * `ulimit -n 65535 || ulimit -n hard; npm run bench:fanout`): N idle graphql-ws subscribers to one thread's
 * `threadActivity`, then M replies over HTTP. Measures the delivery latency from each reply's HTTP response to
 * each subscriber's receipt (p50, p99 over all N×M deliveries) and the API's heap and RSS per idle subscriber; on
 * one instance, then on two instances sharing one database and Redis (subscribers on A, replies through B).
 *
 * Processes: the API (instance A) runs in this process, so its memory can be measured after `global.gc()`
 * (`--expose-gc`, as the npm script runs it); the N sockets live in a child process (raw `ws` speaking
 * graphql-transport-ws), the replies are sent from another, and instance B is a third. All clocks read
 * `performance.timeOrigin + performance.now()`.
 *
 * Pacing: by default each reply is sent 200 ms after the previous one reached every subscriber, so every latency
 * is one event's fan-out, and one and two instances compare fairly (with one instance a busy fan-out also delays
 * the next reply's response, with two it does not). BENCH_FANOUT_PACING=fixed sends each reply 200 ms after the
 * previous response instead, which shows what happens when replies come faster than the instance fans them out.
 *
 * Repeats: every level and mode is measured BENCH_FANOUT_RUNS times (default 3), runs interleaved (all levels and
 * modes once, then again), and BENCHMARKS.md gets the median of each figure with the range of p99 over the runs.
 *
 * Shared machines: before each run's replies the benchmark waits (BENCH_FANOUT_QUIET_WAIT_S, default 300 s at most)
 * until everything else on the machine uses at most BENCH_FANOUT_QUIET_CORES cores (default 0.3; 0 = do not wait),
 * and it records the CPU of instance A, of the clients and of everything else while measuring.
 *
 * Subscribers: anonymous sockets on an OPEN community by default; BENCH_FANOUT_VIEWERS=members makes them N distinct
 * signed-in members of a RESTRICTED community (one socket each), so every event re-checks N members' rights.
 *
 * Environment (all optional): BENCH_FANOUT_LEVELS (default 1000,5000,10000), BENCH_FANOUT_POSTS (M, default 20), BENCH_FANOUT_RUNS, BENCH_FANOUT_VIEWERS,
 * BENCH_FANOUT_GAP_MS (default 200), BENCH_FANOUT_PACING (delivered, fixed), BENCH_FANOUT_MODES (one,two),
 * BENCH_FANOUT_QUERY (the subscription document, with `$threadId: ID!`), BENCH_FANOUT_PROFILE (1: CPU
 * profile of the API while the largest one-instance level fans out), BENCH_FANOUT_HEAP (1: which objects an idle
 * subscriber keeps, from heap snapshots at the first level), BENCH_REDIS_URL (127.0.0.1 only, default
 * redis://127.0.0.1:6379), BENCH_DATABASE_URL / BENCH_DATABASE_NAME (default practicehub_fanout, dropped at the
 * end), BENCH_WRITE_RESULTS (false: leave BENCHMARKS.md alone).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config';
import type { Em } from '../src/db/orm';
import { startApp, type App } from '../src/server/app';
import { Member } from '../src/modules/members/member.entity';
import { Community, CommunityVisibility } from '../src/modules/communities/community.entity';
import { Membership, MembershipStatus } from '../src/modules/communities/membership.entity';
import { Thread, ThreadKind } from '../src/modules/discussions/thread.entity';
import { toGlobalId } from '../src/shared/ids';
import { threadTopic } from '../src/realtime/events';
import { dropDatabase, recreateDatabase, serverVersion } from './support/database';
import { Helper, now } from './support/fanoutIpc';
import { censusGrowth, heapCensus, type HeapCensus } from './support/fanoutHeap';
import { startProfile, type ProfileSummary } from './support/fanoutProfile';
import { cpuSample, cpuShares, waitForQuiet } from './support/cpu';
import { describeMachine, fixed, table, writeSection, type Machine } from './support/report';
import { benchSettings, databaseUrl, SettingsError } from './support/settings';
import { BENCH_UNLIMITED } from './support/limits';

const SECTION = '## Fan-out (npm run bench:fanout)';
/** Members mode has a section of its own, so that it does not replace the default table. */
const MEMBERS_SECTION = '## Fan-out to signed-in members (npm run bench:fanout, BENCH_FANOUT_VIEWERS=members)';
const COMMAND = 'ulimit -n 65535 || ulimit -n hard; npm run bench:fanout';
const TARGET_SUBSCRIBERS = 10_000;
const TARGET_P99_MS = 250;
const TARGET_KB_PER_SUBSCRIBER = 10;
/** Descriptors a process needs besides its sockets (modules, database pool, Redis, stdio, IPC). */
const FD_RESERVE = 512;
/** Subscribers connected, and replies posted, once before measuring: JIT, caches, first-use allocations. */
const WARM_SUBSCRIBERS = 50;
const WARM_POSTS = 3;
/** A subscriber sees the reply with its author, as a client shows it (BENCH_FANOUT_QUERY replaces it). */
const DEFAULT_SUBSCRIPTION =
  'subscription Fanout($threadId: ID!) { threadActivity(threadId: $threadId) { __typename ' +
  '... on PostAdded { cursor at post { id body createdAt author { id displayName } } } } }';

const log = (message: string) => console.log(`[bench:fanout] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const gc = (global as { gc?: () => void }).gc;

type Mode = 'one' | 'two';
const MODE_LABEL: Record<Mode, string> = { one: 'one instance', two: 'two instances + Redis' };

interface Settings {
  levels: number[];
  posts: number;
  runs: number;
  /** anonymous: anonymous sockets on an OPEN community; members: distinct signed-in members of a RESTRICTED one. */
  viewers: 'anonymous' | 'members';
  /** Before each run's replies, wait until the rest of the machine uses at most this many cores (0: do not wait). */
  quietCores: number;
  quietWaitSeconds: number;
  gapMs: number;
  modes: Mode[];
  profile: boolean;
  heap: boolean;
  /**
   * delivered: each reply goes out `gapMs` after the previous one reached every subscriber, so each latency is one
   * event's fan-out on an otherwise idle server. fixed: `gapMs` after the previous reply's response, whether or not
   * it is still fanning out (replies queue up when a fan-out takes longer than the gap).
   */
  pacing: 'delivered' | 'fixed';
  /** The subscription document; its variable is `$threadId`. */
  query: string;
  redisUrl: string;
  adminUrl: string;
  databaseName: string;
  writeResults: boolean;
}

function fanoutSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const base = benchSettings({ ...env, BENCH_DATABASE_NAME: env.BENCH_DATABASE_NAME?.trim() || 'practicehub_fanout' });
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) throw new SettingsError(`${name} must be an integer between ${min} and ${max}`);
    return value;
  };
  const levels = (env.BENCH_FANOUT_LEVELS?.trim() || '1000,5000,10000').split(',').map((part) => Number(part.trim()));
  if (levels.some((n) => !Number.isInteger(n) || n < 1 || n > 50_000)) throw new SettingsError('BENCH_FANOUT_LEVELS: integers between 1 and 50000');
  const modes = (env.BENCH_FANOUT_MODES?.trim() || 'one,two').split(',').map((part) => part.trim());
  if (!modes.length || modes.some((m) => m !== 'one' && m !== 'two')) throw new SettingsError('BENCH_FANOUT_MODES: one, two or one,two');
  const redisUrl = env.BENCH_REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
  if (!['127.0.0.1', 'localhost'].includes(new URL(redisUrl).hostname)) throw new SettingsError('BENCH_REDIS_URL must point at 127.0.0.1');
  return {
    levels,
    posts: integer('BENCH_FANOUT_POSTS', 20, 1, 200),
    runs: integer('BENCH_FANOUT_RUNS', 3, 1, 20),
    quietCores: quietCores(env.BENCH_FANOUT_QUIET_CORES),
    viewers: viewersSetting(env.BENCH_FANOUT_VIEWERS),
    quietWaitSeconds: integer('BENCH_FANOUT_QUIET_WAIT_S', 300, 0, 3_600),
    gapMs: integer('BENCH_FANOUT_GAP_MS', 200, 10, 5_000),
    modes: modes as Mode[],
    profile: ['1', 'true', 'yes'].includes(env.BENCH_FANOUT_PROFILE?.trim().toLowerCase() ?? ''),
    query: env.BENCH_FANOUT_QUERY?.trim() || DEFAULT_SUBSCRIPTION,
    pacing: pacing(env.BENCH_FANOUT_PACING),
    heap: ['1', 'true', 'yes'].includes(env.BENCH_FANOUT_HEAP?.trim().toLowerCase() ?? ''),
    redisUrl,
    adminUrl: base.adminUrl,
    databaseName: base.databaseName,
    writeResults: base.writeResults,
  };
}

function viewersSetting(raw: string | undefined): Settings['viewers'] {
  const value = raw?.trim() || 'anonymous';
  if (value !== 'anonymous' && value !== 'members') throw new SettingsError('BENCH_FANOUT_VIEWERS: anonymous or members');
  return value;
}

function quietCores(raw: string | undefined): number {
  const value = Number(raw?.trim() || '0.3');
  if (!Number.isFinite(value) || value < 0 || value > 64) throw new SettingsError('BENCH_FANOUT_QUIET_CORES: a number of cores, 0 to not wait');
  return value;
}

function pacing(raw: string | undefined): Settings['pacing'] {
  const value = raw?.trim() || 'delivered';
  if (value !== 'delivered' && value !== 'fixed') throw new SettingsError('BENCH_FANOUT_PACING: delivered or fixed');
  return value;
}

/** The soft limit on open files of this process (children inherit it). */
function descriptorLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.trim().split(/\s{2,}/)[1];
    if (soft === 'unlimited') return Number.MAX_SAFE_INTEGER;
    if (soft && Number.isFinite(Number(soft))) return Number(soft);
  } catch {
    // Not Linux: ask the shell.
  }
  return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8', timeout: 5_000 }).trim()) || 1024;
}

/** Things to undo, newest first, whether the run succeeds, fails or is interrupted. */
const cleanups: Array<{ name: string; run: () => Promise<void> }> = [];
let cleaning: Promise<void> | null = null;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const { name, run } of cleanups.splice(0).reverse()) {
      await run().catch((error: unknown) => console.error(`[bench:fanout] cleanup "${name}" failed:`, error));
    }
  })();
  return cleaning;
}
/** Registers an undo step and returns a function that runs it now (once) and unregisters it. */
function onCleanup(name: string, run: () => Promise<void>): () => Promise<void> {
  const entry = { name, run };
  cleanups.push(entry);
  return async () => {
    const index = cleanups.indexOf(entry);
    if (index === -1) return;
    cleanups.splice(index, 1);
    await run();
  };
}

async function until(what: string, timeoutMs: number, predicate: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Full collections until the heap stops shrinking (bounded), then the figures. */
async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  if (!gc) return process.memoryUsage();
  let previous = Infinity;
  for (let i = 0; i < 6; i++) {
    gc();
    await sleep(100);
    const heap = process.memoryUsage().heapUsed;
    if (previous - heap < 64 * 1024) break;
    previous = heap;
  }
  return process.memoryUsage();
}

interface Seeded {
  threadId: string;
  threadGlobalId: string;
  posterId: string;
  /** Members mode: the subscribing members, in order. */
  memberIds: string[];
}

/**
 * One community with one thread and one ACTIVE member who posts. Anonymous subscribers follow an OPEN community;
 * in members mode it is RESTRICTED and `members` more ACTIVE members are inserted in bulk to subscribe.
 */
async function seed(app: App, viewers: Settings['viewers'], members: number): Promise<Seeded> {
  const em = app.services.orm.em.fork() as Em;
  const poster = new Member();
  poster.email = 'poster@fanout.bench.example';
  poster.emailKey = poster.email;
  poster.passwordHash = 'not-a-password-hash';
  poster.displayName = 'Fan-out Poster';
  const community = new Community();
  community.slug = 'fanout';
  community.name = 'Fan-out';
  community.description = 'Seeded by the fan-out benchmark';
  community.visibility = viewers === 'members' ? CommunityVisibility.RESTRICTED : CommunityVisibility.OPEN;
  const membership = new Membership();
  membership.member = poster;
  membership.community = community;
  membership.status = MembershipStatus.ACTIVE;
  membership.joinedAt = new Date();
  const thread = new Thread();
  thread.community = community;
  thread.author = poster;
  thread.title = 'Everyone is watching';
  thread.body = 'The fan-out benchmark posts its replies here.';
  thread.kind = ThreadKind.DISCUSSION;
  await em.persist([poster, community, membership, thread]).flush();
  let memberIds: string[] = [];
  if (viewers === 'members') {
    const rows = await em.execute<{ id: string }[]>(
      `insert into member (id, email, email_key, password_hash, display_name) ` +
        `select gen_random_uuid(), 'reader-' || n || '@fanout.bench.example', 'reader-' || n || '@fanout.bench.example', 'not-a-password-hash', 'Reader ' || n ` +
        `from generate_series(1, ?) as n returning id`,
      [members],
    );
    memberIds = rows.map((row) => row.id);
    await em.execute(
      `insert into membership (id, member_id, community_id, status, joined_at) select gen_random_uuid(), id, ?, 'ACTIVE', now() from member where id in (?)`,
      [community.id, memberIds],
    );
  }
  return { threadId: thread.id, threadGlobalId: toGlobalId('Thread', thread.id), posterId: poster.id, memberIds };
}

interface Result {
  mode: Mode;
  subscribers: number;
  posts: number;
  deliveries: number;
  duplicates: number;
  errors: number;
  /** Deliveries that arrived before the reply's HTTP response (counted as 0 ms). */
  early: number;
  p50: number;
  p99: number;
  max: number;
  /** p99 counted from sending the reply rather than from its response. */
  p99FromRequest: number;
  /** Median over replies of (last delivery − response): how long one reply takes to reach everyone. */
  medianLastMs: number;
  /** Median over replies of (last − first delivery): the sending burst only (the work before the first send is not in it). */
  medianSpreadMs: number;
  /** Median over replies of the reply's own HTTP round trip. */
  medianReplyMs: number;
  heapPerSubscriberKB: number;
  rssPerSubscriberKB: number;
  externalPerSubscriberKB: number;
  connectSeconds: number;
  /** Event-loop utilisation of this process (instance A) from the first reply to the last delivery. */
  busy: number;
  /**
   * CPU over the same span, in cores (1 = one core fully): instance A, the subscriber clients (on the same cores),
   * and everything else on the machine (database, Redis, instance B, other work); machineBusy is the share of all cores.
   */
  cpu: { a: number; clients: number; others: number; machineBusy: number };
  /** How busy the machine was just before the replies (see BENCH_FANOUT_QUIET_CORES); null when not checked. */
  quiet: { cores: number; quiet: boolean; waitedMs: number } | null;
  clockSkewMs: number;
  profile?: ProfileSummary;
}

function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const median = (values: number[]) => percentile(Float64Array.from(values).sort(), 50);

/** Offset of a child's clock from ours (its reading minus ours at the same moment), from the tightest of 5 round trips. */
async function clockSkew(helper: Helper): Promise<number> {
  let best = { rtt: Infinity, skew: 0 };
  for (let i = 0; i < 5; i++) {
    const sent = now();
    const { at } = await helper.request<{ at: number }>({ type: 'clock' }, 5_000);
    const back = now();
    if (back - sent < best.rtt) best = { rtt: back - sent, skew: at - (sent + back) / 2 };
  }
  return best.skew;
}

interface RunContext {
  settings: Settings;
  dbUrl: string;
  seeded: Seeded | null;
  redisPrefix: string;
}

async function measure(mode: Mode, subscribers: number, run: RunContext, profile: boolean, heap: boolean): Promise<Result> {
  const { settings } = run;
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: run.dbUrl,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    PORT: '0',
    HOST: '127.0.0.1',
    MIGRATE_ON_START: 'true',
    SEED_ON_EMPTY: 'false',
    WS_MAX_SOCKETS_PER_MEMBER: '100000',
    WS_MAX_SOCKETS_PER_IP: '100000',
    AUTH_MAX_ATTEMPTS: '100000',
    ...BENCH_UNLIMITED,
    ...(mode === 'two' ? { REDIS_URL: settings.redisUrl, REDIS_PREFIX: run.redisPrefix } : {}),
  };
  const app = await startApp(loadConfig(env));
  const closeApp = onCleanup('close instance A', () => app.close());
  const helpers: Helper[] = [];
  const stopHelpers = onCleanup('stop helper processes', async () => {
    await Promise.all(helpers.map((helper) => helper.stop()));
  });
  try {
    run.seeded ??= await seed(app, settings.viewers, Math.max(...settings.levels));
    const { threadId, threadGlobalId, posterId, memberIds } = run.seeded;
    const topic = threadTopic(threadId);
    const token = await app.services.tokens.issue(posterId);
    const socketUrl = `${app.url.replace(/^http/, 'ws')}/graphql`;

    let postUrl = app.url;
    if (mode === 'two') {
      const b = new Helper('instance B', join(__dirname, 'support', 'fanoutInstance.ts'));
      helpers.push(b);
      postUrl = (await b.request<{ url: string }>({ type: 'start', env: { ...env, MIGRATE_ON_START: 'false' } }, 120_000)).url;
    }
    const clients = new Helper('subscriber clients', join(__dirname, 'support', 'fanoutClients.ts'));
    const poster = new Helper('poster', join(__dirname, 'support', 'fanoutPoster.ts'));
    helpers.push(clients, poster);
    const skew = Math.max(Math.abs(await clockSkew(clients)), Math.abs(await clockSkew(poster)));
    if (skew > 2) log(`warning: the child processes' clocks differ from this one by up to ${fixed(skew, 2)} ms`);

    const openSubscribers = async (count: number) => {
      const tokens = memberIds.length ? await Promise.all(memberIds.slice(0, count).map((id) => app.services.tokens.issue(id))) : undefined;
      const opened = await clients.request<{ opened: number; failed: number; firstFailure?: string }>(
        { type: 'open', url: socketUrl, threadId: threadGlobalId, query: settings.query, count, tokens },
        60_000 + count * 20,
      );
      if (opened.failed) throw new Error(`${opened.failed} of ${count} sockets failed to connect, e.g. ${opened.firstFailure}`);
      await until(`${count} subscriptions on instance A`, 60_000 + count * 10, () => app.services.events.listenerCount(topic) >= count);
    };
    const counts = () =>
      clients.request<{ warmDeliveries: number; measuredDeliveries: number; duplicates: number; errorCount: number; open: number }>({ type: 'counts' }, 30_000);

    // Warm-up: a few subscribers and replies through the same path, then back to no subscriber at all.
    await openSubscribers(WARM_SUBSCRIBERS);
    for (let i = 0; i < WARM_POSTS; i++) await poster.request({ type: 'post', url: postUrl, token, threadId: threadGlobalId, body: `warm-${i}` }, 60_000);
    await until('the warm-up deliveries', 30_000, async () => (await counts()).warmDeliveries >= WARM_SUBSCRIBERS * WARM_POSTS);
    await clients.request({ type: 'closeAll' }, 30_000);
    await until('the warm-up subscribers to leave', 30_000, () => app.services.events.listenerCount(topic) === 0);

    const censusBefore: HeapCensus | null = heap ? (await settledMemory(), heapCensus()) : null;
    const before = await settledMemory();
    const connectStarted = Date.now();
    await openSubscribers(subscribers);
    const connectSeconds = (Date.now() - connectStarted) / 1000;
    await sleep(1_000);
    const after = await settledMemory();
    if (censusBefore) {
      log('(the heap snapshots disturb the latencies of this run)');
      log(`heap growth per idle subscriber by constructor (${subscribers} subscribers; count, bytes):`);
      for (const row of censusGrowth(censusBefore, heapCensus(), subscribers)) {
        log(`  ${fixed(row.perSubscriber, 2).padStart(7)} × ${String(Math.round(row.bytesPerSubscriber)).padStart(6)} B  ${row.key}`);
      }
    }

    let quiet: Result['quiet'] = null;
    if (settings.quietCores > 0) {
      quiet = await waitForQuiet(settings.quietCores, settings.quietWaitSeconds * 1000);
      log(
        quiet.quiet
          ? `machine quiet (${fixed(quiet.cores, 2)} cores busy) after ${fixed(quiet.waitedMs / 1000)} s`
          : `machine still busy (${fixed(quiet.cores, 2)} cores) after ${fixed(quiet.waitedMs / 1000)} s; measuring anyway`,
      );
    }
    const stopProfile = profile ? await startProfile() : null;
    const loopBefore = performance.eventLoopUtilization();
    const cpuPids = [process.pid, clients.pid];
    const cpuBefore = cpuSample(cpuPids);
    const sentAt: number[] = [];
    const answeredAt: number[] = [];
    let quietSince = -Infinity;
    for (let i = 0; i < settings.posts; i++) {
      const wait = quietSince + settings.gapMs - now();
      if (wait > 0) await sleep(wait);
      const reply = await poster.request<{ sentAt: number; answeredAt: number }>(
        { type: 'post', url: postUrl, token, threadId: threadGlobalId, body: `fanout-${i}` },
        60_000,
      );
      sentAt.push(reply.sentAt);
      answeredAt.push(reply.answeredAt);
      quietSince = reply.answeredAt;
      if (settings.pacing === 'delivered') {
        const { complete, count } = await clients.request<{ complete: boolean; count: number }>({ type: 'delivered', post: i, timeoutMs: 60_000 }, 70_000);
        if (!complete) log(`reply ${i} reached ${count} of ${subscribers} subscribers within 60 s; going on`);
        quietSince = now();
      }
    }
    const expected = subscribers * settings.posts;
    await until('every delivery', 60_000 + expected * 0.3, async () => (await counts()).measuredDeliveries >= expected).catch((error: Error) => log(error.message));
    const loop = performance.eventLoopUtilization(loopBefore);
    const shares = cpuShares(cpuBefore, cpuSample(cpuPids));
    const profileSummary = stopProfile ? await stopProfile() : undefined;

    const report = await clients.request<{
      receipts: Float64Array[];
      duplicates: number;
      otherNext: number;
      errorCount: number;
      errors: string[];
      unexpectedCloses: [number, number][];
    }>({ type: 'report', posts: settings.posts }, 60_000);
    if (report.errorCount) log(`${report.errorCount} error message(s) on the sockets, e.g. ${report.errors.join(' | ')}`);
    if (report.unexpectedCloses.length) log(`sockets closed by the server: ${JSON.stringify(report.unexpectedCloses)} (code, count)`);

    const fromResponse = new Float64Array(expected);
    const fromRequest = new Float64Array(expected);
    let deliveries = 0;
    let early = 0;
    const lastPerPost: number[] = [];
    const spreadPerPost: number[] = [];
    report.receipts.forEach((times, post) => {
      let last = -Infinity;
      let first = Infinity;
      for (const at of times) {
        first = Math.min(first, at);
        if (Number.isNaN(at)) continue;
        const latency = at - answeredAt[post]!;
        if (latency < 0) early += 1;
        fromResponse[deliveries] = Math.max(0, latency);
        fromRequest[deliveries] = at - sentAt[post]!;
        deliveries += 1;
        last = Math.max(last, latency);
      }
      if (last > -Infinity) {
        lastPerPost.push(last);
        spreadPerPost.push(last + answeredAt[post]! - first);
      }
    });
    log(`reach all per reply (ms): ${lastPerPost.map((ms) => Math.round(ms)).join(' ')}`);
    const delivered = fromResponse.subarray(0, deliveries).sort();
    const fromRequestSorted = fromRequest.subarray(0, deliveries).sort();
    return {
      mode,
      subscribers,
      posts: settings.posts,
      deliveries,
      duplicates: report.duplicates,
      errors: report.errorCount,
      early,
      p50: percentile(delivered, 50),
      p99: percentile(delivered, 99),
      max: deliveries ? delivered[deliveries - 1]! : NaN,
      p99FromRequest: percentile(fromRequestSorted, 99),
      medianLastMs: lastPerPost.length ? median(lastPerPost) : NaN,
      medianSpreadMs: spreadPerPost.length ? median(spreadPerPost) : NaN,
      medianReplyMs: median(answeredAt.map((at, i) => at - sentAt[i]!)),
      heapPerSubscriberKB: (after.heapUsed - before.heapUsed) / 1024 / subscribers,
      rssPerSubscriberKB: (after.rss - before.rss) / 1024 / subscribers,
      externalPerSubscriberKB: (after.external - before.external) / 1024 / subscribers,
      connectSeconds,
      busy: loop.utilization,
      cpu: { a: shares.processes[0]!, clients: shares.processes[1]!, others: shares.othersCores, machineBusy: shares.machineBusy },
      quiet,
      clockSkewMs: skew,
      profile: profileSummary,
    };
  } finally {
    // Sockets first (the clients go away), then instance B, then A.
    await stopHelpers();
    await closeApp();
  }
}

/** The commit measured, and whether src/ had uncommitted changes (the figures then describe those too). */
function codeVersion(): string {
  try {
    const root = join(__dirname, '..');
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', timeout: 10_000 }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root, encoding: 'utf8', timeout: 10_000 }).trim();
    return dirty ? `commit ${commit} with uncommitted changes in src/` : `commit ${commit}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** Removes this run's Redis keys, if any (the event bus uses channels only; bounded scan). */
async function dropRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: () => null });
  try {
    await redis.connect();
    let cursor = '0';
    for (let round = 0; round < 1_000; round++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
}

/** The runs of one level and mode, summarised: the median of each figure, and the range of p99. */
interface Summary {
  mode: Mode;
  subscribers: number;
  runs: number;
  posts: number;
  deliveries: number;
  expected: number;
  median: (pick: (r: Result) => number) => number;
  p99Range: [number, number];
}

function summarise(results: Result[]): Summary[] {
  const groups = new Map<string, Result[]>();
  for (const r of results) {
    const key = `${r.subscribers}|${r.mode}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((runs) => {
    const p99s = runs.map((r) => r.p99);
    return {
      mode: runs[0]!.mode,
      subscribers: runs[0]!.subscribers,
      runs: runs.length,
      posts: runs[0]!.posts,
      deliveries: runs.reduce((sum, r) => sum + r.deliveries, 0),
      expected: runs.reduce((sum, r) => sum + r.subscribers * r.posts, 0),
      median: (pick) => median(runs.map(pick)),
      p99Range: [Math.min(...p99s), Math.max(...p99s)],
    };
  });
}

function sectionBody(results: Result[], machine: Machine, settings: Settings, fdLimit: number, skipped: string[], code: string): string {
  const cores = (value: number) => (Number.isNaN(value) ? '–' : fixed(value, 2));
  const row = (s: Summary) => [
    MODE_LABEL[s.mode],
    s.subscribers.toLocaleString('en-US'),
    `${s.deliveries.toLocaleString('en-US')} / ${s.expected.toLocaleString('en-US')}`,
    fixed(s.median((r) => r.p50)),
    fixed(s.median((r) => r.p99)),
    s.runs > 1 ? `${fixed(s.p99Range[0])}–${fixed(s.p99Range[1])}` : '–',
    fixed(s.median((r) => r.medianLastMs)),
    fixed(s.median((r) => r.medianSpreadMs)),
    fixed(s.median((r) => r.heapPerSubscriberKB), 2),
    fixed(s.median((r) => r.rssPerSubscriberKB), 2),
    cores(s.median((r) => r.cpu.a)),
    cores(s.median((r) => r.cpu.clients)),
    cores(s.median((r) => r.cpu.others)),
    fixed(s.median((r) => r.connectSeconds), 1),
  ];
  const summaries = summarise(results);
  const target = summaries.find((r) => r.mode === 'one' && r.subscribers === TARGET_SUBSCRIBERS);
  const verdict = target
    ? `p99 ${fixed(target.median((r) => r.p99))} ms, median of ${target.runs} (${target.median((r) => r.p99) < TARGET_P99_MS ? 'met' : 'NOT met'}; ` +
      `${target.runs > 1 ? `range ${fixed(target.p99Range[0])}–${fixed(target.p99Range[1])} ms` : 'one run'}), heap ${fixed(target.median((r) => r.heapPerSubscriberKB), 2)} KB ` +
      `(${target.median((r) => r.heapPerSubscriberKB) <= TARGET_KB_PER_SUBSCRIBER ? 'met' : 'NOT met'}) and RSS ${fixed(target.median((r) => r.rssPerSubscriberKB), 2)} KB ` +
      `(${target.median((r) => r.rssPerSubscriberKB) <= TARGET_KB_PER_SUBSCRIBER ? 'met' : 'NOT met'}) per subscriber, ` +
      `${target.deliveries === target.expected ? 'all' : 'NOT all'} delivered`
    : `not measured at ${TARGET_SUBSCRIBERS.toLocaleString('en-US')} subscribers on one instance in this run`;
  const customQuery = settings.query !== DEFAULT_SUBSCRIPTION;
  const defaults =
    !customQuery &&
    settings.pacing === 'delivered' &&
    settings.posts === 20 &&
    settings.runs === 3 &&
    settings.viewers === 'anonymous' &&
    settings.gapMs === 200 &&
    settings.modes.join() === 'one,two' &&
    settings.levels.join() === '1000,5000,10000';
  const command = defaults
    ? COMMAND
    : `ulimit -n 65535 || ulimit -n hard; BENCH_FANOUT_LEVELS=${settings.levels.join(',')} BENCH_FANOUT_POSTS=${settings.posts} BENCH_FANOUT_RUNS=${settings.runs}${settings.viewers === 'members' ? ' BENCH_FANOUT_VIEWERS=members' : ''} BENCH_FANOUT_GAP_MS=${settings.gapMs} BENCH_FANOUT_PACING=${settings.pacing} BENCH_FANOUT_MODES=${settings.modes.join(',')}${customQuery ? " BENCH_FANOUT_QUERY='…'" : ''} npm run bench:fanout`;
  return [
    `- **Date:** ${new Date().toISOString()}`,
    `- **Command:** \`${command}\` (the open-files limit was ${fdLimit} here; each process needs N + ${FD_RESERVE} descriptors, levels above that are skipped)`,
    `- **Code:** ${code}`,
    `- **Machine:** ${machine.cpuCount} × ${machine.cpu}, ${machine.memoryGiB} GiB RAM, ${machine.os}, Node ${machine.node}; ${machine.postgres.split(' on ')[0]}; Redis on 127.0.0.1`,
    (settings.viewers === 'members'
      ? `- **Set-up:** a fresh database with one RESTRICTED community, one thread, one member who replies and N other ACTIVE members. ` +
        `N subscribers, each a different signed-in member (so every event re-checks N members' rights), `
      : `- **Set-up:** a fresh database with one OPEN community, one thread and one member who replies. N anonymous subscribers `) +
      `(raw \`ws\` sockets speaking graphql-transport-ws, in one child process) follow \`threadActivity\` with ` +
      `${customQuery ? `\`${settings.query.replace(/`/g, "'")}\`` : '`PostAdded { cursor at post { id body createdAt author { id displayName } } }`'}; then ${settings.posts} replies ` +
      `(\`replyToThread\` over HTTP from another child process), ` +
      (settings.pacing === 'delivered'
        ? `each sent ${settings.gapMs} ms after the previous one reached every subscriber (so each latency is one event's fan-out on an otherwise idle server). `
        : `each sent ${settings.gapMs} ms after the previous reply's response, whether or not it is still fanning out. `) +
      `Instance A (which holds every socket) ` +
      `runs in the benchmark's own process; with two instances, instance B is a child process on the same database and Redis, ` +
      `and the replies go to B. Before measuring, ${WARM_SUBSCRIBERS} subscribers and ${WARM_POSTS} replies warm the path up and leave.`,
    `- **Columns:** every figure is the median over ${settings.runs} run(s) of that level and mode (runs interleaved: all levels and modes once, then again); ` +
      'latency = a subscriber’s receipt minus the arrival of the reply’s HTTP response (an event that arrives first counts as 0), ' +
      'over all N × M deliveries of a run; "p99 range" = lowest and highest p99 of the runs; "reach all" = median over replies of the latest delivery' +
      (settings.pacing === 'fixed' ? ' (includes waiting for earlier replies still fanning out)' : '') +
      '; "first→last" = median over replies of latest minus earliest delivery (the sending burst); heap and RSS per subscriber = growth of ' +
      'instance A’s process after connecting the N subscribers, after full GCs, divided by N (RSS also holds what the V8 heap and the allocator ' +
      'keep in reserve after connecting thousands of sockets); CPU = cores used from the first reply to the last delivery (1.00 = one core ' +
      'fully) by instance A, by the subscriber clients (which share the machine\'s cores with it) and by everything else on the machine ' +
      '(database, Redis, instance B, other work); "connect" = seconds to open and subscribe the N sockets (200 at a time).',
    '',
    table(
      ['setup', 'subscribers', 'delivered', 'p50 ms', 'p99 ms', 'p99 range ms', 'reach all ms', 'first→last ms', 'heap KB/sub', 'RSS KB/sub', 'A CPU', 'clients CPU', 'other CPU', 'connect s'],
      summaries.map(row),
    ),
    '',
    ...(settings.quietCores > 0
      ? [
          `- **Shared machine:** before each run's replies the benchmark waited (at most ${settings.quietWaitSeconds} s) until everything else used at most ${settings.quietCores} cores; ` +
            `${results.filter((r) => r.quiet && !r.quiet.quiet).length} of ${results.length} runs started without that quiet. Other work can still start during a run: see "other CPU".`,
        ]
      : []),
    `- **Targets** (10,000 subscribers on one instance: p99 < ${TARGET_P99_MS} ms, ≤ ${TARGET_KB_PER_SUBSCRIBER} KB per idle subscriber): ${verdict}.`,
    ...(skipped.length ? [`- **Skipped:** ${skipped.join('; ')}.`] : []),
    '- **Looking closer:** `BENCH_FANOUT_PROFILE=1` adds a CPU profile of instance A while the largest level fans out (self time ' +
      'per package and function in the log, the .cpuprofile in the temp directory); `BENCH_FANOUT_HEAP=1` lists what an idle ' +
      'subscriber keeps on the heap, by constructor (from heap snapshots; that run\'s latencies are disturbed by them); ' +
      '`BENCH_FANOUT_PACING=fixed` sends replies 200 ms after the previous response regardless, to see replies queue up.',
  ].join('\n');
}

async function main(settings: Settings): Promise<number> {
  const fdLimit = descriptorLimit();
  const skipped: string[] = [];
  const levels = settings.levels.filter((n) => {
    if (n + FD_RESERVE <= fdLimit) return true;
    const message = `${n} subscribers: the open-files limit is ${fdLimit}, and each process needs ${n + FD_RESERVE} (raise it: \`ulimit -n 65535\`, or up to the hard limit \`ulimit -n hard\`)`;
    log(`skipping ${message}`);
    skipped.push(message);
    return false;
  });
  if (!levels.length) throw new Error('no level fits the open-files limit');
  if (!gc) log('warning: run with --expose-gc (npm run bench:fanout does) for the memory figures; without it they are noise');
  log(`open-files limit ${fdLimit}; levels ${levels.join(', ')}; ${settings.posts} replies ${settings.gapMs} ms apart; modes ${settings.modes.join(', ')}`);

  const machine = describeMachine(await serverVersion(settings.adminUrl));
  const code = codeVersion();
  await recreateDatabase(settings.adminUrl, settings.databaseName);
  onCleanup('drop database', () => dropDatabase(settings.adminUrl, settings.databaseName));
  const redisPrefix = `practicehub-fanout-${process.pid}-${randomBytes(3).toString('hex')}:`;
  if (settings.modes.includes('two')) onCleanup('remove Redis keys', () => dropRedisKeys(settings.redisUrl, redisPrefix));

  const run: RunContext = { settings, dbUrl: databaseUrl(settings.adminUrl, settings.databaseName), seeded: null, redisPrefix };
  const results: Result[] = [];
  const largestOne = Math.max(...levels);
  for (let round = 1; round <= settings.runs; round++) {
  for (const n of levels) {
    for (const mode of settings.modes) {
      log(`${MODE_LABEL[mode]}, ${n} subscribers, run ${round} of ${settings.runs}: connecting…`);
      const first = round === 1;
      const result = await measure(mode, n, run, first && settings.profile && mode === 'one' && n === largestOne, first && settings.heap && n === levels[0]);
      results.push(result);
      log(
        `${MODE_LABEL[mode]}, ${n} subscribers: ${result.deliveries}/${n * result.posts} delivered` +
          `${result.duplicates ? ` (+${result.duplicates} duplicates)` : ''}, p50 ${fixed(result.p50)} ms, p99 ${fixed(result.p99)} ms, max ${fixed(result.max)} ms ` +
          `(p99 from request ${fixed(result.p99FromRequest)} ms; ${result.early} before the response), reaches all in ${fixed(result.medianLastMs)} ms (median), first to last delivery ${fixed(result.medianSpreadMs)} ms (median); ` +
          `reply round trip ${fixed(result.medianReplyMs)} ms; heap ${fixed(result.heapPerSubscriberKB, 2)} KB, RSS ${fixed(result.rssPerSubscriberKB, 2)} KB, ` +
          `external ${fixed(result.externalPerSubscriberKB, 2)} KB per subscriber; A busy ${Math.round(result.busy * 100)}%; CPU in cores: A ${fixed(result.cpu.a, 2)}, ` +
          `clients ${fixed(result.cpu.clients, 2)}, everything else ${fixed(result.cpu.others, 2)} (machine ${Math.round(result.cpu.machineBusy * 100)}% busy); connected in ${fixed(result.connectSeconds)} s`,
      );
      if (result.profile) {
        const p = result.profile;
        log(`CPU profile of instance A while fanning out: ${p.file} (${fixed(p.totalMs)} ms of CPU outside idle)`);
        for (const [name, ms] of p.byPackage) log(`  ${fixed((ms / p.totalMs) * 100).padStart(5)}%  ${name}`);
        log('  top functions (self time):');
        for (const [name, ms] of p.byFunction) log(`  ${fixed((ms / p.totalMs) * 100).padStart(5)}%  ${name}`);
      }
    }
  }
  }
  const incomplete = results.filter((r) => r.deliveries !== r.subscribers * r.posts || r.duplicates > 0);
  if (settings.writeResults) {
    const file = join(__dirname, '..', 'BENCHMARKS.md');
    writeSection(file, settings.viewers === 'members' ? MEMBERS_SECTION : SECTION, sectionBody(results, machine, settings, fdLimit, skipped, code));
    log(`results written to ${file}`);
  } else {
    log('BENCH_WRITE_RESULTS=false: BENCHMARKS.md left as it is');
  }
  if (incomplete.length) {
    console.error(`[bench:fanout] FAILED: missing or duplicate deliveries in ${incomplete.map((r) => `${MODE_LABEL[r.mode]} at ${r.subscribers}`).join(', ')}`);
    return 1;
  }
  return 0;
}

async function runBenchmark(): Promise<number> {
  const settings = fanoutSettings();
  // Everything is bounded: per level and mode, connecting (~20 ms a socket, generously), the replies, waiting for
  // deliveries, start-up and teardown.
  const budgetSeconds =
    120 + settings.levels.reduce((sum, n) => sum + settings.modes.length * (240 + n * 0.03 + (settings.posts * (settings.gapMs + 1_000 + n * 0.5)) / 1000), 0);
  const watchdog = setTimeout(() => {
    console.error(`[bench:fanout] still running after ${Math.round(budgetSeconds)} s; giving up`);
    void cleanUp().finally(() => process.exit(1));
  }, budgetSeconds * 1000);
  watchdog.unref();
  // Stays registered while cleaning up: Apollo Server stops itself on SIGINT/SIGTERM and re-raises the signal,
  // which would end the process before the database is dropped if nobody listened any more.
  let interrupted = false;
  const interrupt = () => {
    if (interrupted) return;
    interrupted = true;
    console.error('[bench:fanout] interrupted; cleaning up');
    void cleanUp().finally(() => process.exit(130));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  let exitCode = 1;
  try {
    exitCode = await main(settings);
  } catch (error) {
    console.error('[bench:fanout] FAILED:', error instanceof Error ? error.stack ?? error.message : error);
  } finally {
    await cleanUp();
    clearTimeout(watchdog);
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
  }
  return exitCode;
}

void runBenchmark().then((code) => {
  process.exitCode = code;
  // Everything is closed by now, so Node exits by itself; if something still holds the event loop, say what.
  setTimeout(() => {
    console.error('[bench:fanout] the process did not exit on its own; open resources:', process.getActiveResourcesInfo());
    process.exit(code || 1);
  }, 10_000).unref();
});
