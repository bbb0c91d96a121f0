/**
 * Feed benchmark (`npm run bench:feed`): the community feed through the GraphQL API against one hand-written SQL
 * statement behind plain node:http, on a throw-away PostgreSQL database seeded with set-based SQL.
 *
 * Environment (all optional): BENCH_DATABASE_URL (admin URL, 127.0.0.1 only; default
 * postgres://postgres@127.0.0.1:5432/postgres), BENCH_DATABASE_NAME (default practicehub_bench, dropped and
 * recreated), BENCH_DURATION (seconds per measured run, default 10), BENCH_WARMUP (seconds before each run,
 * default 2), BENCH_CONNECTIONS (default 50), BENCH_ROUNDS (GraphQL/baseline pairs, default 2),
 * BENCH_WRITE_RESULTS (false to leave BENCHMARKS.md alone, e.g. for a smoke run).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { startApp, type App } from '../src/server/app';
import { startBaseline, type Baseline } from './support/baseline';
import { firstDifference } from './support/compare';
import { dropDatabase, recreateDatabase, serverVersion } from './support/database';
import { feedRequestBody, postJson, type FeedVariables, type TextResponse } from './support/feedQuery';
import { idleLatency, runLoad, settle, stopActiveLoad, summarize, type LoadRun, type LoadSummary, type LoadTarget } from './support/load';
import { describeMachine, fixed, table, type Machine } from './support/report';
import { CleanUps, runBenchmark } from './support/runner';
import { BENCH_SLUG, seedFeedData, type SeedResult } from './support/seed';
import { benchSettings, databaseUrl, type BenchSettings } from './support/settings';
import { BENCH_UNLIMITED } from './support/limits';

const SECTION = '## Feed (npm run bench:feed)';
const VARIABLES: FeedVariables = { slug: BENCH_SLUG, first: 20 };
const TARGET_RATIO = 0.5;
const TARGET_STATEMENTS = 6;

const log = (message: string) => console.log(`[bench:feed] ${message}`);

const cleanups = new CleanUps('bench:feed');
const cleanUp = () => cleanups.run();

/** Counts the SQL statements MikroORM reports while `counting` is on (its query log lines read `[query] <sql> [took …]`). */
class StatementCounter {
  private counting = false;
  private lines: string[] = [];

  readonly onQuery = (line: string) => {
    if (this.counting && /^\[query\] /.test(line)) this.lines.push(line.slice('[query] '.length).replace(/ \[took [^\]]*\]$/, ''));
  };

  /** Runs `work` and returns its result with the statements that ran meanwhile. */
  async during<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    this.lines = [];
    this.counting = true;
    try {
      const result = await work();
      return { result, statements: this.lines };
    } finally {
      this.counting = false;
    }
  }
}

function expectGraphQLData(response: TextResponse): unknown {
  if (response.status !== 200) throw new Error(`GraphQL feed answered HTTP ${response.status}: ${response.text.slice(0, 500)}`);
  const json = JSON.parse(response.text) as { data?: { community?: { threads?: { edges?: unknown[] } } | null }; errors?: unknown[] };
  if (json.errors?.length) throw new Error(`GraphQL feed answered errors: ${JSON.stringify(json.errors).slice(0, 1000)}`);
  const edges = json.data?.community?.threads?.edges;
  if (!edges || edges.length !== VARIABLES.first) throw new Error(`GraphQL feed returned ${edges?.length ?? 'no'} threads, expected ${VARIABLES.first}`);
  return json;
}

interface Results {
  settings: BenchSettings;
  machine: Machine;
  seed: SeedResult;
  statements: string[];
  graphql: LoadSummary;
  baseline: LoadSummary;
  responseBytes: { graphql: number; baseline: number };
  /** Which code was measured (read when the load starts). */
  code: string;
  /** Median latency of single sequential requests before the load. */
  idleMs: { graphql: number; baseline: number };
}

async function main(): Promise<Results> {
  const settings = benchSettings();
  const url = databaseUrl(settings.adminUrl, settings.databaseName);
  const machine = describeMachine(await serverVersion(settings.adminUrl));
  log(`${machine.cpuCount} × ${machine.cpu}, Node ${machine.node}, ${machine.postgres.split(' on ')[0]}`);

  log(`creating database ${settings.databaseName}`);
  await recreateDatabase(settings.adminUrl, settings.databaseName);
  cleanups.push({ name: 'drop database', run: () => dropDatabase(settings.adminUrl, settings.databaseName) });

  const counter = new StatementCounter();
  const config = loadConfig({
    DATABASE_URL: url,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    PORT: '0',
    HOST: '127.0.0.1',
    MIGRATE_ON_START: 'true',
    SEED_ON_EMPTY: 'false',
    PASSWORD_HASH_COST: '1024',
    AUTH_MAX_ATTEMPTS: '100000',
    ...BENCH_UNLIMITED,
  });
  const app: App = await startApp(config, { onQuery: counter.onQuery });
  cleanups.push({ name: 'close app', run: () => app.close() });
  log(`API listening at ${app.url} (schema migrated)`);

  const started = Date.now();
  const seed = await seedFeedData(url);
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(seed.counts)}`);

  const baseline: Baseline = await startBaseline(url, app.services.tokens);
  cleanups.push({ name: 'close baseline', run: () => baseline.close() });

  const token = await app.services.tokens.issue(seed.viewerId);
  const headers = { authorization: `Bearer ${token}` };
  const body = feedRequestBody(VARIABLES);
  const graphqlUrl = `${app.url}/graphql`;

  // Statement count: one warm-up request, then one counted request.
  expectGraphQLData(await postJson(graphqlUrl, body, headers));
  const { result: graphqlResponse, statements } = await counter.during(() => postJson(graphqlUrl, body, headers));
  const graphqlText = graphqlResponse.text;
  const graphqlJson = expectGraphQLData(graphqlResponse);
  log(`SQL statements per GraphQL feed request: ${statements.length}`);
  statements.forEach((sql, i) => log(`  ${i + 1}. ${sql.length > 160 ? `${sql.slice(0, 160)}…` : sql}`));

  // The counter needed MikroORM's query log; production runs without it, so the load does too. (Through the
  // config, not the logger: every em.fork() re-syncs the logger's debug mode from the config.)
  app.services.orm.config.set('debug', false);
  const silent = await counter.during(() => postJson(graphqlUrl, body, headers));
  if (silent.result.text !== graphqlText) throw new Error('Two GraphQL feed responses differ; the load check needs a stable response');
  if (silent.statements.length !== 0) throw new Error(`Query logging is still on: ${silent.statements.join(' | ').slice(0, 500)}`);

  // The baseline must give the very same data, or the comparison means nothing.
  const baselineResponse = await postJson(baseline.url, body, headers);
  if (baselineResponse.status !== 200) throw new Error(`Baseline answered HTTP ${baselineResponse.status}: ${baselineResponse.text.slice(0, 500)}`);
  const difference = firstDifference(graphqlJson, JSON.parse(baselineResponse.text));
  if (difference) throw new Error(`Baseline JSON differs from the GraphQL data (GraphQL vs baseline) at ${difference}`);
  log('baseline JSON deep-equals the GraphQL response');

  const targets: LoadTarget[] = [
    { name: 'GraphQL', url: graphqlUrl, headers, body, expectBody: graphqlText },
    { name: 'Baseline', url: baseline.url, headers, body, expectBody: baselineResponse.text },
  ];
  const code = codeVersion();
  const idle = new Map<string, number>();
  for (const target of targets) idle.set(target.name, await idleLatency(target));
  log(`idle latency (one request at a time): ${targets.map((t) => `${t.name} ${fixed(idle.get(t.name)!)} ms`).join(', ')}`);

  const runs = new Map<string, LoadRun[]>(targets.map((t) => [t.name, []]));
  for (let round = 1; round <= settings.rounds; round++) {
    for (const target of targets) {
      if (settings.warmupSeconds > 0) {
        await runLoad(target, settings.connections, settings.warmupSeconds, true);
        await settle(target, idle.get(target.name)!);
      }
      const run = await runLoad(target, settings.connections, settings.durationSeconds);
      await settle(target, idle.get(target.name)!);
      runs.get(target.name)!.push(run);
      log(
        `round ${round} ${target.name.padEnd(8)} ${fixed(run.requestsPerSecond)} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms ` +
          `(${run.requests} requests in ${run.durationSeconds} s; main thread busy ${Math.round(run.eventLoopBusy * 100)}%)`,
      );
    }
  }

  return {
    settings,
    machine,
    seed,
    statements,
    code,
    idleMs: { graphql: idle.get('GraphQL')!, baseline: idle.get('Baseline')! },
    graphql: summarize('GraphQL', runs.get('GraphQL')!),
    baseline: summarize('Baseline', runs.get('Baseline')!),
    responseBytes: { graphql: Buffer.byteLength(graphqlText), baseline: Buffer.byteLength(baselineResponse.text) },
  };
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

function sectionBody(r: Results): string {
  const ratio = r.graphql.requestsPerSecond / r.baseline.requestsPerSecond;
  const { counts } = r.seed;
  const n = (value: number) => value.toLocaleString('en-US');
  const command =
    r.settings.durationSeconds === 10 && r.settings.warmupSeconds === 2 && r.settings.connections === 50 && r.settings.rounds === 2
      ? 'npm run bench:feed'
      : `BENCH_DURATION=${r.settings.durationSeconds} BENCH_WARMUP=${r.settings.warmupSeconds} BENCH_CONNECTIONS=${r.settings.connections} BENCH_ROUNDS=${r.settings.rounds} npm run bench:feed`;
  const runList = (s: LoadSummary) =>
    s.runs.map((run) => `${fixed(run.requestsPerSecond)} req/s (p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms)`).join('; ');
  const busy = (s: LoadSummary) => `${Math.round(s.eventLoopBusy * 100)}%`;
  const statementList = r.statements
    .map((sql, i) => `${i + 1}. \`${(sql.length > 110 ? `${sql.slice(0, 110)}…` : sql).replace(/`/g, "'")}\``)
    .join('\n');

  return [
    `- **Date:** ${new Date().toISOString()}`,
    `- **Command:** \`${command}\``,
    `- **Code:** ${r.code}`,
    `- **Machine:** ${r.machine.cpuCount} × ${r.machine.cpu}, ${r.machine.memoryGiB} GiB RAM, ${r.machine.os}, Node ${r.machine.node}`,
    `- **PostgreSQL:** ${r.machine.postgres}`,
    `- **Load:** autocannon 9, ${r.settings.connections} connections, ${r.settings.durationSeconds} s per run after ${r.settings.warmupSeconds} s of warm-up, ` +
      `${r.settings.rounds} rounds alternating GraphQL and baseline; the table shows the median of the runs (with two runs, their mean).`,
    `- **Data set:** 1 community (\`${BENCH_SLUG}\`), ${n(counts.members)} members (${n(counts.memberships)} ACTIVE memberships), ` +
      `${n(counts.threads)} threads (${counts.pinned} pinned), ${n(counts.posts)} posts (${counts.deletedPosts} deleted), ${n(counts.reactions)} reactions.`,
    `- **Request:** the \`CommunityFeed\` query, \`${JSON.stringify(VARIABLES)}\`: 20 threads with author and their 3 newest posts ` +
      `with author and reaction counts, as a member with a bearer token (${n(r.responseBytes.graphql)} bytes of JSON; the baseline's text is ${n(r.responseBytes.baseline)} bytes).`,
    '',
    table(
      ['Endpoint', 'req/s', 'p50 ms', 'p99 ms'],
      [r.graphql, r.baseline].map((s) => [
        s.name === 'GraphQL' ? 'GraphQL `POST /graphql`' : 'Baseline: `node:http` + `pg`, one SQL statement',
        fixed(s.requestsPerSecond),
        fixed(s.p50Ms),
        fixed(s.p99Ms),
      ]),
    ),
    '',
    `- **Ratio GraphQL ÷ baseline req/s:** ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
    `- **SQL statements per GraphQL feed request:** ${r.statements.length} (target ≤ ${TARGET_STATEMENTS}: ${r.statements.length <= TARGET_STATEMENTS ? 'met' : 'NOT met'})`,
    `- **Runs:** GraphQL ${runList(r.graphql)}. Baseline ${runList(r.baseline)}.`,
    `- **One request at a time** (before the load, median of 5): GraphQL ${fixed(r.idleMs.graphql)} ms, baseline ${fixed(r.idleMs.baseline)} ms.`,
    `- **Main thread busy during the runs** (event-loop utilisation; both servers run on it): GraphQL ${busy(r.graphql)}, baseline ${busy(r.baseline)}.`,
    '',
    'Statements of one feed request (after a warm-up request):',
    '',
    statementList,
    '',
    'Note: the API, the baseline, the load generator (in a worker thread) and PostgreSQL share the same machine, so ' +
      'figures compare the two endpoints with each other, not with production. The baseline does what the API cannot skip ' +
      '(parse the body, verify the JWT, check the viewer exists) and then one hand-written statement that builds the JSON ' +
      'in PostgreSQL; before the load the script checks that its JSON deep-equals the GraphQL `data`, and during the load ' +
      'every response must match that verified text byte for byte. MikroORM query logging is on only while the ' +
      'statements are counted. Both use a pool of 10 connections. A main thread near 100% busy means that endpoint is ' +
      'limited by JavaScript CPU time in the API process rather than by PostgreSQL; to see where it goes, run ' +
      '`node --cpu-prof -r @swc-node/register bench/feed.ts` and open the profile.',
  ].join('\n');
}

const settings = benchSettings();
runBenchmark({
  name: 'bench:feed',
  // Everything is bounded: setup and seeding, each load run plus slack, then cleanup.
  budgetSeconds: 300 + settings.rounds * 2 * (settings.durationSeconds + settings.warmupSeconds + 90),
  run: main,
  cleanUp,
  onInterrupt: stopActiveLoad,
  writeResults: settings.writeResults,
  report: (results) => {
    const ratio = results.graphql.requestsPerSecond / results.baseline.requestsPerSecond;
    const summary = [
      `median GraphQL ${fixed(results.graphql.requestsPerSecond)} req/s vs baseline ${fixed(results.baseline.requestsPerSecond)} req/s: ` +
        `ratio ${ratio.toFixed(2)}; ${results.statements.length} SQL statements per request`,
    ];
    return { summary, heading: SECTION, body: sectionBody(results) };
  },
});
