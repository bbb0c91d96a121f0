/**
 * Mentor-matching benchmark (`npm run bench:match`): 50,000 mentor profiles (Zipf-distributed topics, bios from a
 * vocabulary, varied capacities and ACTIVE pairings, 1,000 communities) on a throw-away PostgreSQL database seeded
 * with set-based SQL; then `mentorMatches` through the HTTP API with varied inputs, one request at a time (latency)
 * and with a few in parallel; p50/p95 into BENCHMARKS.md, with EXPLAIN ANALYZE of the matching statement.
 *
 * Environment (all optional): BENCH_DATABASE_URL (admin URL, 127.0.0.1 only), BENCH_DATABASE_NAME (default
 * practicehub_bench_match, dropped and recreated), BENCH_MATCH_PASSES (measured passes over the inputs, default
 * 3), BENCH_CONNECTIONS (parallel clients of the concurrent run, default 4), BENCH_WRITE_RESULTS (false to leave
 * BENCHMARKS.md alone).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { loadConfig } from '../src/config';
import { startApp, type App } from '../src/server/app';
import { dropDatabase, recreateDatabase, serverVersion } from './support/database';
import { postJson } from './support/feedQuery';
import { INPUT_COUNT, makeInputs, MATCH_DATASET, prng, seedMatchData, TOPICS, VOCABULARY, type MatchInput, type MatchSeedResult } from './support/matchData';
import { describeMachine, fixed, table, type Machine } from './support/report';
import { CleanUps, runBenchmark } from './support/runner';
import { benchSettings, databaseUrl } from './support/settings';
import { CpuMeter } from './support/cpu';
import { BENCH_UNLIMITED } from './support/limits';

const SECTION = '## Mentor matching (npm run bench:match)';
const TARGET_P95_MS = 30;
const VIEWERS = 200;

const log = (message: string) => console.log(`[bench:match] ${message}`);

const DOCUMENT = `query MentorMatches($input: MentorMatchInput!) {
  mentorMatches(input: $input) {
    score reasons sharedTopics
    contributions { criterion weight value }
    mentor { id displayName }
    mentorProfile { id topics capacity freePlaces bio }
  }
}`;

interface Request {
  token: string;
  input: MatchInput;
  body: string;
  /** The input names the most common topic (the largest candidate set). */
  heavy: boolean;
}

const cleanups = new CleanUps('bench:match');
const cleanUp = () => cleanups.run();

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

interface Latencies {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

function summarise(samples: number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
  };
}

async function send(url: string, request: Request): Promise<{ ms: number; matches: number }> {
  const started = performance.now();
  const response = await postJson(url, request.body, { authorization: `Bearer ${request.token}` });
  const ms = performance.now() - started;
  const json = JSON.parse(response.text) as { data?: { mentorMatches?: unknown[] }; errors?: unknown[] };
  if (response.status !== 200 || json.errors?.length || !json.data?.mentorMatches) {
    throw new Error(`mentorMatches failed (HTTP ${response.status}): ${response.text.slice(0, 500)}`);
  }
  return { ms, matches: json.data.mentorMatches.length };
}

/** `connections` clients, each sending its share of the requests one after another. */
async function runPass(url: string, requests: Request[], connections: number) {
  const samples: { ms: number; heavy: boolean; goals: boolean; matches: number }[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        const { ms, matches } = await send(url, request);
        samples.push({ ms, heavy: request.heavy, goals: request.input.goals !== undefined, matches });
      }
    }),
  );
  return { samples, seconds: (performance.now() - started) / 1000 };
}

/** The formatted SQL of the matching statement MikroORM logged for one request (values are inlined by MikroORM). */
class QueryCapture {
  capturing = false;
  lines: string[] = [];
  readonly onQuery = (line: string) => {
    if (this.capturing && /^\[query\] /.test(line)) this.lines.push(line);
  };
}

/** The statement that reads the ranked mentors' profiles (see findMentorMatches), once per ranking. */
const isProfileLoad = (sql: string) => sql.includes('left join (mentor_profile p join member mb');
/** The statement that brings the matching index up to date, when it is behind. */
const isCatchUp = (sql: string) => sql.includes('from mentor_match_change c');
/** The first statement of a match: topic statistics, goal lexemes, shared communities, open pairings. */
const isContext = (sql: string) => sql.includes('ts_debug(');

/** Per request: the statements' own times as MikroORM logs them (whole milliseconds), and how often matching re-ranked. */
async function profiledPass(app: App, capture: QueryCapture, url: string, requests: Request[]) {
  const sql: number[] = [];
  const context: number[] = [];
  let retries = 0;
  let catchUps = 0;
  app.services.orm.config.set('debug', ['query']);
  try {
    for (const request of requests) {
      capture.lines = [];
      capture.capturing = true;
      await send(url, request);
      capture.capturing = false;
      const took = capture.lines.map((line) => ({ line, ms: Number(/ \[took (\d+(?:\.\d+)?) ms/.exec(line)?.[1] ?? NaN) }));
      if (took.filter((t) => isProfileLoad(t.line)).length > 1) retries += 1;
      if (took.some((t) => isCatchUp(t.line))) catchUps += 1;
      sql.push(took.reduce((sum, t) => sum + t.ms, 0));
      context.push(took.filter((t) => isContext(t.line)).reduce((sum, t) => sum + t.ms, 0));
    }
  } finally {
    capture.capturing = false;
    app.services.orm.config.set('debug', false);
  }
  return { sql: summarise(sql), context: summarise(context), retries, catchUps };
}

/** Changes per second the background writer makes during passWithChanges. */
const CHANGES_PER_SECOND = 20;

/**
 * One pass one request at a time while a writer toggles `acceptingMentees` of random profiles, CHANGES_PER_SECOND
 * a second; latency without the query log, then the same with it to count catch-ups and re-rankings. The toggled
 * profiles are toggled back afterwards.
 */
async function passWithChanges(dbUrl: string, url: string, app: App, capture: QueryCapture, requests: Request[]) {
  const client = new Client({ connectionString: dbUrl });
  await client.connect();
  const toggled: string[] = [];
  try {
    const { rows } = await client.query<{ id: string }>('select id from mentor_profile order by id');
    const random = prng(7);
    let changes = 0;
    let writing = Promise.resolve();
    const timer = setInterval(() => {
      const id = rows[Math.floor(random() * rows.length)]!.id;
      toggled.push(id);
      changes += 1;
      writing = writing.then(() => client.query('update mentor_profile set accepting_mentees = not accepting_mentees where id = $1', [id]).then(() => undefined));
    }, 1000 / CHANGES_PER_SECOND);
    const started = performance.now();
    try {
      const { samples } = await runPass(url, requests, 1);
      const seconds = (performance.now() - started) / 1000;
      const changesPerSecond = changes / seconds;
      const statementTimes = await profiledPass(app, capture, url, requests);
      return { latency: summarise(samples.map((x) => x.ms)), changesPerSecond, statementTimes };
    } finally {
      clearInterval(timer);
      await writing;
    }
  } finally {
    // Each toggle undone (an even number of toggles of one profile cancels out), so later passes see the seed.
    const odd = [...toggled.reduce((m, id) => m.set(id, (m.get(id) ?? 0) + 1), new Map<string, number>())].filter(([, n]) => n % 2 === 1).map(([id]) => id);
    if (odd.length) await client.query('update mentor_profile set accepting_mentees = not accepting_mentees where id = any($1::uuid[])', [odd]);
    await client.end();
  }
}

interface PlanReport {
  label: string;
  input: MatchInput;
  statements: { sql: string; tookMs: number }[];
  plan: string[];
}

async function explainMatch(app: App, capture: QueryCapture, url: string, dbUrl: string, label: string, request: Request): Promise<PlanReport> {
  app.services.orm.config.set('debug', ['query', 'query-params']);
  capture.lines = [];
  capture.capturing = true;
  try {
    await send(url, request);
  } finally {
    capture.capturing = false;
    app.services.orm.config.set('debug', false);
  }
  const statements = capture.lines.map((line) => {
    const took = / \[took (\d+(?:\.\d+)?) ms[^\]]*\]$/.exec(line);
    return { sql: line.slice('[query] '.length).replace(/ \[took [^\]]*\]$/, ''), tookMs: took ? Number(took[1]) : NaN };
  });
  const match = statements.find((s) => isContext(s.sql));
  if (!match) throw new Error(`no context statement logged: ${statements.map((s) => s.sql.slice(0, 80)).join(' | ')}`);
  const client = new Client({ connectionString: dbUrl });
  await client.connect();
  try {
    await client.query(`explain (analyze, buffers) ${match.sql}`); // warm
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${match.sql}`);
    return { label, input: request.input, statements, plan: rows.map((r) => r['QUERY PLAN']) };
  } finally {
    await client.end();
  }
}

interface Results {
  machine: Machine;
  cpu: { apiMs: number; databaseMs: number };
  floor: Latencies;
  statementTimes: Awaited<ReturnType<typeof profiledPass>>;
  index: { firstRequestMs: number; mentors: number; heapMiB: number };
  churn: Awaited<ReturnType<typeof passWithChanges>>;
  passSummaries: Latencies[];
  /** 1-minute load average when the measured passes started and ended (other work on the machine). */
  load: [number, number];
  seed: MatchSeedResult;
  seedSeconds: number;
  passes: number;
  connections: number;
  sequential: Latencies;
  heavy: Latencies;
  light: Latencies;
  withGoals: Latencies;
  withoutGoals: Latencies;
  parallel: Latencies & { requestsPerSecond: number };
  averageMatches: number;
  plans: PlanReport[];
  code: string;
}

async function main(): Promise<Results> {
  const settings = benchSettings({ ...process.env, BENCH_DATABASE_NAME: process.env.BENCH_DATABASE_NAME || 'practicehub_bench_match' });
  const passes = Math.round(Number(process.env.BENCH_MATCH_PASSES || 3));
  if (!Number.isInteger(passes) || passes < 1 || passes > 20) throw new Error('BENCH_MATCH_PASSES must be 1..20');
  const connections = Number(process.env.BENCH_CONNECTIONS || 4);
  const url = databaseUrl(settings.adminUrl, settings.databaseName);
  const machine = describeMachine(await serverVersion(settings.adminUrl));
  log(`${machine.cpuCount} × ${machine.cpu}, Node ${machine.node}, ${machine.postgres.split(' on ')[0]}`);

  log(`creating database ${settings.databaseName}`);
  await recreateDatabase(settings.adminUrl, settings.databaseName);
  cleanups.push({ name: 'drop database', run: () => dropDatabase(settings.adminUrl, settings.databaseName) });

  const capture = new QueryCapture();
  const config = loadConfig({
    DATABASE_URL: url,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    PORT: '0',
    HOST: '127.0.0.1',
    MIGRATE_ON_START: 'true',
    SEED_ON_EMPTY: 'false',
    PASSWORD_HASH_COST: '1024',
    ...BENCH_UNLIMITED,
  });
  const app: App = await startApp(config, { onQuery: capture.onQuery });
  app.services.orm.config.set('debug', false);
  cleanups.push({ name: 'close app', run: () => app.close() });
  log(`API listening at ${app.url} (schema migrated)`);

  const started = Date.now();
  const seed = await seedMatchData(url, VIEWERS, log);
  const seedSeconds = (Date.now() - started) / 1000;
  log(`seeded in ${seedSeconds.toFixed(1)} s: ${JSON.stringify(seed.counts)}`);

  const random = prng(20261123);
  const tokens = await Promise.all(seed.memberIds.map((id) => app.services.tokens.issue(id)));
  const requests: Request[] = makeInputs(random).map((input, i) => ({
    token: tokens[i % tokens.length]!,
    input,
    body: JSON.stringify({ operationName: 'MentorMatches', query: DOCUMENT, variables: { input } }),
    heavy: input.topics.includes(TOPICS[0]!),
  }));
  const graphqlUrl = `${app.url}/graphql`;

  // The first request loads this instance's matching index: every available profile, in one statement.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const coldStarted = performance.now();
  await send(graphqlUrl, requests[0]!);
  const index = {
    firstRequestMs: performance.now() - coldStarted,
    mentors: app.services.mentorMatchIndex.size,
    heapMiB: NaN,
  };
  gc?.();
  if (gc) index.heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  log(`first request (loads the index of ${index.mentors} mentors): ${fixed(index.firstRequestMs)} ms, heap +${fixed(index.heapMiB)} MiB`);

  log(`warm-up: ${requests.length} requests`);
  await runPass(graphqlUrl, requests, 1);
  await runPass(graphqlUrl, requests, 1);

  const loadBefore = os.loadavg()[0]!;
  const cpuMeter = new CpuMeter(settings.adminUrl, settings.databaseName);
  await cpuMeter.begin();
  const samples: Awaited<ReturnType<typeof runPass>>['samples'] = [];
  const passSummaries: Latencies[] = [];
  for (let pass = 1; pass <= passes; pass++) {
    const { samples: passSamples } = await runPass(graphqlUrl, requests, 1);
    samples.push(...passSamples);
    const s = summarise(passSamples.map((x) => x.ms));
    passSummaries.push(s);
    log(`pass ${pass}: p50 ${fixed(s.p50)} ms, p95 ${fixed(s.p95)} ms, p99 ${fixed(s.p99)} ms, max ${fixed(s.max)} ms`);
  }
  const loadAfter = os.loadavg()[0]!;
  const cpu = await cpuMeter.end(samples.length);
  log(`CPU per request: API process (with the client) ${fixed(cpu.apiMs, 2)} ms, PostgreSQL ${fixed(cpu.databaseMs, 2)} ms`);

  // The machine's floor: the smallest signed-in query, one at a time, right after the passes.
  const viewerBody = JSON.stringify({ query: '{ viewer { id displayName } }' });
  const floorSamples: number[] = [];
  for (const request of requests) {
    const started = performance.now();
    const response = await postJson(graphqlUrl, viewerBody, { authorization: `Bearer ${request.token}` });
    if (response.status !== 200) throw new Error(`viewer query failed: ${response.text.slice(0, 200)}`);
    floorSamples.push(performance.now() - started);
  }
  const floor = summarise(floorSamples);
  log(`{ viewer } one at a time: p50 ${fixed(floor.p50)} ms, p95 ${fixed(floor.p95)} ms`);

  // Where the time goes: one more pass with MikroORM's query log (its own overhead makes it unfit for latency).
  const statementTimes = await profiledPass(app, capture, graphqlUrl, requests);
  log(
    `SQL per request: p50 ${fixed(statementTimes.sql.p50)} ms, p95 ${fixed(statementTimes.sql.p95)} ms; ` +
      `context statement p50 ${fixed(statementTimes.context.p50)} ms, p95 ${fixed(statementTimes.context.p95)} ms; ` +
      `${statementTimes.retries} of ${requests.length} requests re-ranked`,
  );
  // Mentors change while people search: a writer toggles profiles (through the real triggers), so most requests
  // find the index behind and catch up first.
  const churn = await passWithChanges(url, graphqlUrl, app, capture, requests);
  log(
    `with ${fixed(churn.changesPerSecond, 0)} profile changes/s: p50 ${fixed(churn.latency.p50)} ms, p95 ${fixed(churn.latency.p95)} ms; ` +
      `${churn.statementTimes.catchUps} of ${requests.length} requests caught up, ${churn.statementTimes.retries} re-ranked`,
  );
  const parallelRun = await runPass(graphqlUrl, requests, connections);
  const parallel = { ...summarise(parallelRun.samples.map((x) => x.ms)), requestsPerSecond: parallelRun.samples.length / parallelRun.seconds };
  log(`${connections} in parallel: p50 ${fixed(parallel.p50)} ms, p95 ${fixed(parallel.p95)} ms, ${fixed(parallel.requestsPerSecond)} req/s`);

  const heaviest = requests.find((r) => r.heavy && r.input.goals && r.input.topics.length === 1) ?? requests.find((r) => r.heavy)!;
  const rare = requests.find((r) => !r.heavy && r.input.goals && r.input.topics.every((t) => TOPICS.indexOf(t) > 40)) ?? requests.find((r) => !r.heavy)!;
  const plans = [
    await explainMatch(app, capture, graphqlUrl, url, 'the most common topic, with goals', heaviest),
    await explainMatch(app, capture, graphqlUrl, url, 'less common topics, with goals', rare),
  ];
  if (process.env.BENCH_SHOW_PLANS) for (const plan of plans) log(`plan (${plan.label}):\n${plan.plan.join('\n')}`);

  const of = (filter: (s: (typeof samples)[number]) => boolean) => summarise(samples.filter(filter).map((x) => x.ms));
  return {
    machine,
    cpu,
    floor,
    statementTimes,
    index,
    churn,
    passSummaries,
    load: [loadBefore, loadAfter],
    seed,
    seedSeconds,
    passes,
    connections,
    sequential: summarise(samples.map((x) => x.ms)),
    heavy: of((s) => s.heavy),
    light: of((s) => !s.heavy),
    withGoals: of((s) => s.goals),
    withoutGoals: of((s) => !s.goals),
    parallel,
    averageMatches: samples.reduce((a, s) => a + s.matches, 0) / samples.length,
    plans,
    code: codeVersion(),
  };
}

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

/** The plan lines worth reading: every node with its timing, without the buffer noise. */
const planExcerpt = (plan: string[]) =>
  plan
    .filter((line) => !/^\s*(Buffers|Planning:)/.test(line))
    .map((line) => `    ${line.length > 170 ? `${line.slice(0, 170)}…` : line}`);

function sectionBody(r: Results): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const c = r.seed.counts;
  const row = (name: string, s: Latencies) => [name, n(s.count), fixed(s.p50), fixed(s.p95), fixed(s.p99), fixed(s.max)];
  const met = r.sequential.p95 < TARGET_P95_MS;
  return [
    `- **Date:** ${new Date().toISOString()}`,
    `- **Command:** \`npm run bench:match\`${r.passes !== 3 || r.connections !== 4 ? ` (BENCH_MATCH_PASSES=${r.passes}, BENCH_CONNECTIONS=${r.connections})` : ''}`,
    `- **Code:** ${r.code}`,
    `- **Machine:** ${r.machine.cpuCount} × ${r.machine.cpu}, ${r.machine.memoryGiB} GiB RAM, ${r.machine.os}, Node ${r.machine.node}`,
    `- **PostgreSQL:** ${r.machine.postgres}`,
    `- **Load average** (1 min) when the measured passes started / ended: ${fixed(r.load[0], 2)} / ${fixed(r.load[1], 2)} ` +
      `on ${r.machine.cpuCount} cores (the API, the client, PostgreSQL and anything else on the machine share them).`,
    `- **Data set** (seeded in ${fixed(r.seedSeconds, 0)} s with set-based SQL through the real triggers): ${n(c.profiles)} mentor profiles, ` +
      `${TOPICS.length} topics drawn Zipf (s = ${MATCH_DATASET.zipf}), ${fixed(c.topicsPerProfile, 2)} topics per profile on average, ` +
      `the most common topic held by ${fixed(c.topTopicShare * 100)}% of profiles; bios of 20–59 words from a ${VOCABULARY.length}-word vocabulary; ` +
      `capacities 0–10, ${n(c.activePairings)} ACTIVE pairings, ${n(c.available)} profiles available (accepting, with a free place); ` +
      `${n(c.communities)} communities, ${n(c.memberships)} ACTIVE memberships.`,
    `- **Requests:** ${INPUT_COUNT} different \`mentorMatches\` inputs from ${VIEWERS} viewers: 1–3 topics drawn like the profiles' topics, ` +
      `goals text in 70%, \`first\` 10 (80%), 20 or 50; each match with mentor, profile, reasons and contributions ` +
      `(${fixed(r.averageMatches)} matches per response on average). One warm-up pass, then ${r.passes} measured passes one request at a time.`,
    '',
    table(
      ['Requests (one at a time)', 'count', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      [
        row('all', r.sequential),
        row('naming the most common topic', r.heavy),
        row('not naming it', r.light),
        row('with goals', r.withGoals),
        row('without goals', r.withoutGoals),
      ],
    ),
    '',
    `- **Target p95 < ${TARGET_P95_MS} ms** (one at a time): ${met ? 'met' : 'NOT met'} (${fixed(r.sequential.p95)} ms).`,
    `- **Passes** (p50 / p95 ms): ${r.passSummaries.map((p) => `${fixed(p.p50)} / ${fixed(p.p95)}`).join('; ')}.`,
    `- **CPU per request** over the measured passes (unaffected by other work on the machine, unlike latency): the API ` +
      `process ${fixed(r.cpu.apiMs, 2)} ms (it also runs the benchmark's HTTP client), the PostgreSQL backends ${fixed(r.cpu.databaseMs, 2)} ms ` +
      `(parallel workers, if PostgreSQL starts any, come and go unmeasured).`,
    `- **The machine's floor**, \`{ viewer { id displayName } }\` one at a time right after: p50 ${fixed(r.floor.p50)} ms, p95 ${fixed(r.floor.p95)} ms.`,
    `- **SQL per request** (a further pass with MikroORM's query log, whole-millisecond times): all statements p50 ` +
      `${fixed(r.statementTimes.sql.p50)} ms, p95 ${fixed(r.statementTimes.sql.p95)} ms; the context statement (topic statistics, goal ` +
      `lexemes, shared communities, open pairings, log position) p50 ${fixed(r.statementTimes.context.p50)} ms, p95 ` +
      `${fixed(r.statementTimes.context.p95)} ms; ${r.statementTimes.retries} of ${INPUT_COUNT} requests re-ranked.`,
    `- **The matching index** (in the API process): ${n(r.index.mentors)} available mentors; the first request, which loads it, ` +
      `took ${fixed(r.index.firstRequestMs)} ms; heap ${Number.isNaN(r.index.heapMiB) ? 'not measured (run with --expose-gc)' : `+${fixed(r.index.heapMiB)} MiB`}.`,
    `- **With mentors changing** (a writer toggles \`acceptingMentees\` of random profiles, ${fixed(r.churn.changesPerSecond, 0)} changes/s, ` +
      `one pass one request at a time): p50 ${fixed(r.churn.latency.p50)} ms, p95 ${fixed(r.churn.latency.p95)} ms; in the logged pass ` +
      `${r.churn.statementTimes.catchUps} of ${INPUT_COUNT} requests caught up with the change log first and ${r.churn.statementTimes.retries} re-ranked ` +
      `because mentors changed between ranking and reading.`,
    `- **${r.connections} clients in parallel** (same inputs): p50 ${fixed(r.parallel.p50)} ms, p95 ${fixed(r.parallel.p95)} ms, ` +
      `${fixed(r.parallel.requestsPerSecond)} req/s.`,
    '',
    ...r.plans.flatMap((p) => [
      `EXPLAIN (ANALYZE, BUFFERS) of the context statement (now the costliest), ${p.label} (\`${JSON.stringify(p.input)}\`); statements of that request ` +
        `as MikroORM timed them: ${p.statements.map((s) => `${fixed(s.tookMs, 0)} ms`).join(', ')}:`,
      '',
      ...planExcerpt(p.plan),
      '',
    ]),
  ].join('\n');
}

runBenchmark({
  name: 'bench:match',
  budgetSeconds: 30 * 60,
  run: main,
  cleanUp,
  writeResults: benchSettings().writeResults,
  report: (results) => {
    const summary = [`p50 ${fixed(results.sequential.p50)} ms, p95 ${fixed(results.sequential.p95)} ms (target < ${TARGET_P95_MS} ms)`];
    for (const [name, s] of Object.entries({ heavy: results.heavy, light: results.light, withGoals: results.withGoals, withoutGoals: results.withoutGoals })) {
      summary.push(`  ${name}: ${s.count} requests, p50 ${fixed(s.p50)} ms, p95 ${fixed(s.p95)} ms`);
    }
    for (const plan of results.plans) summary.push(`  ${plan.label}: statements ${plan.statements.map((st) => `${st.tookMs} ms`).join(', ')}`);
    return { summary, heading: SECTION, body: sectionBody(results) };
  },
});
