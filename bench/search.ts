/**
 * Search benchmark (`npm run bench:search`): `search` through the GraphQL API over HTTP on a throw-away PostgreSQL
 * database holding 1,000,000 posts (50,000 threads, 20,000 resources, 20 communities of which 5 RESTRICTED),
 * generated with set-based SQL. A mix of queries (very common, common, medium and rare words, a phrase, AND, OR with
 * exclusion, one community, a second page) runs as an anonymous viewer and as a member of two restricted communities;
 * the figures are per-request latencies, one request at a time, then with 4 in flight. Before measuring, the script
 * prints EXPLAIN ANALYZE of the statement behind each query and writes the plan shapes into BENCHMARKS.md.
 *
 * Environment (all optional): BENCH_DATABASE_URL (admin URL, 127.0.0.1 only; default
 * postgres://postgres@127.0.0.1:5432/postgres), BENCH_DATABASE_NAME (default practicehub_search_bench, dropped and
 * recreated), BENCH_ROUNDS (measured passes over the mix, default 20), BENCH_REUSE_DATABASE (true: keep the database
 * afterwards and reuse it next time if it is already seeded, to iterate on tuning without reseeding for two minutes),
 * BENCH_WRITE_RESULTS (false to leave BENCHMARKS.md alone).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { loadConfig } from '../src/config';
import type { Em } from '../src/db/orm';
import { startApp, type App } from '../src/server/app';
import { toGlobalId } from '../src/shared/ids';
import { searchStatement, withSearchPlanning } from '../src/modules/search/searchQuery';
import { searchText } from '../src/modules/search/search';
import { dropDatabase, recreateDatabase, serverVersion } from './support/database';
import { postJson } from './support/feedQuery';
import { median } from './support/load';
import { describeMachine, fixed, table, type Machine } from './support/report';
import { CleanUps, runBenchmark } from './support/runner';
import { SEARCH_DATASET, seedSearchData, type SearchSeedResult } from './support/searchSeed';
import { benchSettings, databaseUrl } from './support/settings';
import { BENCH_UNLIMITED } from './support/limits';
import { CpuMeter } from './support/cpu';
import { profilePass, StatementClock, type PassProfile } from './support/passProfile';

const SECTION = '## Search (npm run bench:search)';
const TARGET_P95_MS = 100;
const IN_FLIGHT = 4;

const log = (message: string) => console.log(`[bench:search] ${message}`);

/** What a search client asks for: hits with their snippet, what each hit is, where it lives, and the count. */
const SEARCH_DOCUMENT = `query Search($query: String!, $communityId: ID, $first: Int, $after: String) {
  search(query: $query, communityId: $communityId, first: $first, after: $after) {
    totalCount truncated
    pageInfo { hasNextPage endCursor }
    edges {
      cursor rank score
      snippet { text highlights { start length } }
      node {
        __typename
        ... on Thread { id title replyCount community { slug } author { displayName } }
        ... on Post { id createdAt author { displayName } thread { id title community { slug } } }
        ... on Resource { id title url kind community { slug } }
      }
    }
  }
}`;

interface QuerySpec {
  name: string;
  text: string;
  viewer: 'anonymous' | 'member';
  community?: 'open' | 'restricted';
  /** Ask for the second page (the first page's endCursor). */
  secondPage?: boolean;
}

interface Prepared extends QuerySpec {
  body: string;
  headers: Record<string, string>;
  /** Posts containing the words (all communities, deleted excluded): how hard the query is. */
  postMatches: number;
  totalCount: number;
  truncated: boolean;
  plan: PlanSummary;
}

interface PlanSummary {
  executionMs: number;
  /** One line per branch: which scan fed it and how many rows it read to find its candidates. */
  branches: string[];
  text: string;
}

/** Rank of a word in the seed's vocabulary → the word (the same formula as the seed, for the rare made-up words). */
function tailWord(rank: number): string {
  const syllables = ['ka', 'lo', 'mer', 'tin', 'sa', 'ver', 'qui', 'dor', 'pel', 'zan', 'rho', 'bex', 'ul', 'fen', 'gri', 'mo', 'tas', 'wick', 'ny', 'jor'];
  const at = (n: number) => syllables[n % 20]!;
  return at(rank) + at(Math.floor(rank / 20)) + at(Math.floor(rank / 400)) + (rank >= 8000 ? at(Math.floor(rank / 8000)) : '');
}

function mix(): QuerySpec[] {
  const rare = tailWord(SEARCH_DATASET.vocabulary - 7);
  return [
    { name: 'very common word', text: 'library', viewer: 'anonymous' },
    { name: 'common word (~10% of posts)', text: 'catalog', viewer: 'anonymous' },
    { name: 'common word, member of 2 restricted', text: 'catalog', viewer: 'member' },
    { name: 'common word, page 2', text: 'catalog', viewer: 'member', secondPage: true },
    { name: 'medium word (~4%)', text: 'robotics', viewer: 'member' },
    { name: 'rare word', text: rare, viewer: 'member' },
    { name: 'phrase', text: '"information literacy"', viewer: 'member' },
    { name: 'two words (AND)', text: 'poetry robotics', viewer: 'anonymous' },
    { name: 'OR with exclusion', text: 'censorship or phonics -library', viewer: 'member' },
    { name: 'common word, one OPEN community', text: 'catalog', viewer: 'anonymous', community: 'open' },
    { name: 'medium word, one RESTRICTED community', text: 'robotics', viewer: 'member', community: 'restricted' },
    { name: 'rare word, one OPEN community', text: rare, viewer: 'anonymous', community: 'open' },
  ];
}

const cleanups = new CleanUps('bench:search');
const cleanUp = () => cleanups.run();

interface Settings {
  adminUrl: string;
  databaseName: string;
  rounds: number;
  reuse: boolean;
  writeResults: boolean;
}

function settingsFromEnv(): Settings {
  const base = benchSettings({ ...process.env, BENCH_DATABASE_NAME: process.env.BENCH_DATABASE_NAME?.trim() || 'practicehub_search_bench' });
  const rounds = Number(process.env.BENCH_ROUNDS?.trim() || 20);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 500) throw new Error('BENCH_ROUNDS must be an integer between 1 and 500');
  const reuse = ['1', 'true', 'yes'].includes(process.env.BENCH_REUSE_DATABASE?.trim().toLowerCase() ?? '');
  return { adminUrl: base.adminUrl, databaseName: base.databaseName, rounds, reuse, writeResults: base.writeResults };
}

/** Whether the database exists and holds the full data set (for BENCH_REUSE_DATABASE). */
async function alreadySeeded(adminUrl: string, name: string): Promise<boolean> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) return false;
  } finally {
    await admin.end();
  }
  const client = new Client({ connectionString: databaseUrl(adminUrl, name) });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("select count(*) as n from post where to_regclass('post') is not null").catch(() => ({ rows: [{ n: '0' }] }));
    return Number(rows[0]!.n) === SEARCH_DATASET.posts;
  } finally {
    await client.end();
  }
}

async function seedInfo(url: string): Promise<SearchSeedResult> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, string>>(
      `select (select id from member where email_key = 'search.member1@example.test') as viewer_id,
              (select id from community where slug = 'search-${SEARCH_DATASET.restricted + 1}') as open_id,
              (select id from community where slug = 'search-1') as restricted_id,
              (select count(*) from member) as members, (select count(*) from community) as communities,
              (select count(*) from community where visibility = 'RESTRICTED') as restricted,
              (select count(*) from thread) as threads, (select count(*) from post) as posts,
              (select count(*) from post where deleted_at is not null) as deleted_posts, (select count(*) from resource) as resources`,
    );
    const r = rows[0]!;
    return {
      viewerId: r.viewer_id!,
      openCommunityId: r.open_id!,
      restrictedCommunityId: r.restricted_id!,
      counts: {
        members: Number(r.members),
        communities: Number(r.communities),
        restricted: Number(r.restricted),
        threads: Number(r.threads),
        posts: Number(r.posts),
        deletedPosts: Number(r.deleted_posts),
        resources: Number(r.resources),
      },
    };
  } finally {
    await client.end();
  }
}

/** EXPLAIN ANALYZE of the very statement the API runs for a query, condensed to what matters. */
async function explain(em: Em, request: Parameters<typeof searchStatement>[0]): Promise<PlanSummary> {
  const { sql, params } = searchStatement(request);
  // Planned exactly as the API plans it (withSearchPlanning's settings).
  const rows = await withSearchPlanning(em, (tem) => tem.execute<{ 'QUERY PLAN': string }[]>(`explain (analyze, buffers) ${sql}`, params));
  const lines = rows.map((row) => row['QUERY PLAN']);
  const executionMs = Number(/Execution Time: ([\d.]+)/.exec(lines.at(-1) ?? '')?.[1] ?? NaN);
  // The scans that produce each branch's candidates: the first scan under each of the three `Limit` nodes of the CTE.
  const branches: string[] = [];
  for (const [i, line] of lines.entries()) {
    const scan = /(Index Scan Backward|Index Scan|Bitmap Heap Scan|Seq Scan|Parallel [A-Za-z ]+Scan)[^(]* on (thread|post|resource) \w+/.exec(line);
    if (!scan || /t\.id = pg\.id|p\.id = pg\.id|r\.id = pg\.id/.test(lines[i + 1] ?? '')) continue;
    const actual = /actual time=[\d.]+\.\.([\d.]+) rows=(\d+)/.exec(line);
    let removed = 0;
    let index = '';
    for (let j = i + 1; j < Math.min(lines.length, i + 12); j += 1) {
      const indent = (lines[j]!.match(/^\s*/)?.[0].length ?? 0) > (line.match(/^\s*/)?.[0].length ?? 0);
      if (!indent) break;
      const filtered = /Rows Removed by (?:Filter|Index Recheck): (\d+)/.exec(lines[j]!);
      if (filtered) removed += Number(filtered[1]);
      const bitmap = /Bitmap Index Scan on (\w+)/.exec(lines[j]!);
      if (bitmap) index = index ? `${index} + ${bitmap[1]}` : bitmap[1]!;
    }
    const using = /using (\w+)/.exec(line)?.[1] ?? index;
    branches.push(
      `${scan[2]}: ${scan[1]}${using ? ` (${using})` : ''}, ${actual ? `${actual[2]} rows out, ${removed} read and rejected, ${actual[1]} ms` : ''}`,
    );
  }
  return { executionMs, branches: branches.slice(0, 3), text: lines.join('\n') };
}

async function timed(url: string, body: string, headers: Record<string, string>): Promise<{ ms: number; json: any }> {
  const started = performance.now();
  const response = await postJson(url, body, headers);
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${response.text.slice(0, 300)}`);
  const json = JSON.parse(response.text);
  if (json.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(json.errors).slice(0, 500)}`);
  return { ms, json };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

interface Results {
  settings: Settings;
  machine: Machine;
  seed: SearchSeedResult;
  code: string;
  seedSeconds: number | null;
  cap: number;
  queries: Prepared[];
  /** Sequential latencies per query name. */
  sequential: Map<string, number[]>;
  concurrent: number[];
  concurrentSeconds: number;
  /** Where each measured pass's time went (one at a time, then IN_FLIGHT in flight). */
  profiles: { sequential: PassProfile; concurrent: PassProfile };
  /** 1-minute load average when the measured passes started and ended (other work on the machine skews figures). */
  load: [number, number];
}

async function main(settings: Settings): Promise<Results> {
  const url = databaseUrl(settings.adminUrl, settings.databaseName);
  const machine = describeMachine(await serverVersion(settings.adminUrl));
  log(`${machine.cpuCount} × ${machine.cpu}, Node ${machine.node}, ${machine.postgres.split(' on ')[0]}`);

  const reuse = settings.reuse && (await alreadySeeded(settings.adminUrl, settings.databaseName));
  if (!reuse) {
    log(`creating database ${settings.databaseName}`);
    await recreateDatabase(settings.adminUrl, settings.databaseName);
  } else {
    log(`reusing the seeded database ${settings.databaseName} (BENCH_REUSE_DATABASE)`);
  }
  if (!settings.reuse) cleanups.push({ name: 'drop database', run: () => dropDatabase(settings.adminUrl, settings.databaseName) });

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
  const clock = new StatementClock();
  const app: App = await startApp(config, { onQuery: clock.onQuery });
  cleanups.push({ name: 'close app', run: () => app.close() });
  log(`API listening at ${app.url} (schema migrated)`);

  let seedSeconds: number | null = null;
  if (!reuse) {
    const started = Date.now();
    await seedSearchData(url, log);
    seedSeconds = (Date.now() - started) / 1000;
    log(`seeded in ${fixed(seedSeconds)} s`);
  }
  const seed = await seedInfo(url);
  log(`data set: ${JSON.stringify(seed.counts)}`);

  const graphqlUrl = `${app.url}/graphql`;
  const memberToken = await app.services.tokens.issue(seed.viewerId);
  const em = app.services.orm.em.fork() as Em;
  const cap = config.searchCandidateCap;

  const queries: Prepared[] = [];
  for (const spec of mix()) {
    const headers: Record<string, string> = spec.viewer === 'member' ? { authorization: `Bearer ${memberToken}` } : {};
    const communityId = spec.community === 'open' ? seed.openCommunityId : spec.community === 'restricted' ? seed.restrictedCommunityId : null;
    const variables: Record<string, unknown> = { query: spec.text, first: 20, ...(communityId ? { communityId: toGlobalId('Community', communityId) } : {}) };
    let after: { key: number; type: 'Thread' | 'Post' | 'Resource'; id: string } | null = null;
    const firstPage = await timed(graphqlUrl, JSON.stringify({ query: SEARCH_DOCUMENT, variables }), headers);
    if (spec.secondPage) {
      variables.after = firstPage.json.data.search.pageInfo.endCursor;
      const [key, type, id] = JSON.parse(Buffer.from(String(variables.after), 'base64url').toString('utf8'));
      after = { key, type, id };
    }
    const body = JSON.stringify({ query: SEARCH_DOCUMENT, variables });
    const { json } = await timed(graphqlUrl, body, headers);
    const [{ n }] = await em.execute<{ n: string }[]>(
      `select count(*) as n from post where search_vector @@ websearch_to_tsquery('english', ?) and deleted_at is null`,
      [spec.text],
    );
    const plan = await explain(em, {
      text: searchText(spec.text),
      viewerId: spec.viewer === 'member' ? seed.viewerId : null,
      viewerIsStaff: false,
      communityId,
      first: 20,
      after,
      candidateCap: cap,
    });
    const prepared: Prepared = { ...spec, body, headers, postMatches: Number(n), totalCount: json.data.search.totalCount, truncated: json.data.search.truncated, plan };
    queries.push(prepared);
    log(`${spec.name} (${JSON.stringify(spec.text)}): ${prepared.postMatches} posts contain it; totalCount ${prepared.totalCount}${prepared.truncated ? ' (truncated)' : ''}; ` +
      `${json.data.search.edges.length} hits on the page; plan ${fixed(plan.executionMs)} ms`);
    for (const branch of plan.branches) log(`    ${branch}`);
  }
  const hardest = [...queries].sort((a, b) => b.plan.executionMs - a.plan.executionMs)[0]!;
  log(`slowest plan (${hardest.name}):\n${hardest.plan.text}`);

  // Warm-up: two passes, unmeasured (caches, JIT-free plans, connection pool).
  for (let pass = 0; pass < 2; pass += 1) for (const q of queries) await timed(graphqlUrl, q.body, q.headers);

  const loadBefore = os.loadavg()[0]!;
  const meter = new CpuMeter(settings.adminUrl, settings.databaseName);
  const sequential = new Map<string, number[]>(queries.map((q) => [q.name, []]));
  const { profile: sequentialProfile } = await profilePass(meter, clock, async () => {
    const all: number[] = [];
    for (let round = 0; round < settings.rounds; round += 1) {
      for (const q of queries) {
        const { ms } = await timed(graphqlUrl, q.body, q.headers);
        sequential.get(q.name)!.push(ms);
        all.push(ms);
      }
    }
    return all;
  });
  for (const q of queries) {
    const times = sequential.get(q.name)!;
    log(`  ${q.name.padEnd(40)} p50 ${fixed(median(times)).padStart(6)} ms  p95 ${fixed(percentile(times, 95)).padStart(6)} ms  (SQL ${fixed(q.plan.executionMs)} ms)`);
  }
  const all = [...sequential.values()].flat();
  log(`one at a time: ${all.length} requests, p50 ${fixed(percentile(all, 50))} ms, p95 ${fixed(percentile(all, 95))} ms`);

  // The same mix with IN_FLIGHT requests at a time (each worker walks the mix from a different offset).
  const concurrent: number[] = [];
  const started = performance.now();
  const { profile: concurrentProfile } = await profilePass(meter, clock, async () => {
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async (_, worker) => {
        for (let i = 0; i < settings.rounds * queries.length; i += 1) {
          const q = queries[(i + worker * 3) % queries.length]!;
          concurrent.push((await timed(graphqlUrl, q.body, q.headers)).ms);
        }
      }),
    );
    return concurrent;
  });
  const concurrentSeconds = (performance.now() - started) / 1000;
  const profiles = { sequential: sequentialProfile, concurrent: concurrentProfile };
  for (const [name, p] of [['one at a time', profiles.sequential], [`${IN_FLIGHT} in flight`, profiles.concurrent]] as const) {
    log(`${name}: per request ${fixed(p.latencyMs)} ms = SQL ${fixed(p.sqlMs)} ms (${fixed(p.statements)} statements) + main thread ${fixed(p.mainThreadMs)} ms ` +
      `+ waiting ${fixed(p.waitingMs)} ms; main thread busy ${Math.round(p.mainThreadBusy * 100)}%; CPU: this process ${fixed(p.apiCores, 2)} cores ` +
      `(${fixed(p.apiCpuMs)} ms a request), PostgreSQL backends ${fixed(p.databaseCores, 2)} cores (${fixed(p.databaseCpuMs)} ms a request)`);
  }
  log(`${IN_FLIGHT} in flight: ${concurrent.length} requests in ${fixed(concurrentSeconds)} s, p50 ${fixed(percentile(concurrent, 50))} ms, p95 ${fixed(percentile(concurrent, 95))} ms`);

  const load: [number, number] = [loadBefore, os.loadavg()[0]!];
  log(`load average (1 min) ${fixed(load[0], 2)} before the measured passes, ${fixed(load[1], 2)} after`);
  return { settings, machine, seed, code: codeVersion(), seedSeconds, cap, queries, sequential, concurrent, concurrentSeconds, profiles, load };
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

function sectionBody(r: Results): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const all = [...r.sequential.values()].flat();
  const p95 = percentile(all, 95);
  const c = r.seed.counts;
  const rows = r.queries.map((q) => {
    const times = r.sequential.get(q.name)!;
    return [
      q.name,
      `\`${q.text.replace(/\|/g, '/')}\``,
      q.viewer + (q.community ? `, ${q.community} community` : ''),
      n(q.postMatches),
      `${n(q.totalCount)}${q.truncated ? ' (truncated)' : ''}`,
      fixed(median(times)),
      fixed(percentile(times, 95)),
      fixed(q.plan.executionMs),
    ];
  });
  const plans = r.queries.map((q) => `- **${q.name}** (${fixed(q.plan.executionMs)} ms in PostgreSQL): ${q.plan.branches.join('; ')}`).join('\n');
  return [
    `- **Date:** ${new Date().toISOString()}`,
    `- **Command:** \`npm run bench:search\`${r.settings.rounds !== 20 ? ` with BENCH_ROUNDS=${r.settings.rounds}` : ''}`,
    `- **Code:** ${r.code}`,
    `- **Machine:** ${r.machine.cpuCount} × ${r.machine.cpu}, ${r.machine.memoryGiB} GiB RAM, ${r.machine.os}, Node ${r.machine.node}; PostgreSQL ${r.machine.postgres.split(' on ')[0]!.replace('PostgreSQL ', '')} with default settings (shared_buffers 128 MB, work_mem 4 MB); API, PostgreSQL and client on the same machine`,
    `- **Data set:** ${n(c.posts)} posts (${n(c.deletedPosts)} deleted), ${n(c.threads)} threads, ${n(c.resources)} resources, ${n(c.communities)} communities ` +
      `(${c.restricted} RESTRICTED), ${n(c.members)} members; bodies of 2–5 sentences drawn from a ${n(SEARCH_DATASET.vocabulary)}-word vocabulary with ` +
      `Zipf–Mandelbrot frequencies (plus fixed phrases), posts written in time order over three years` +
      (r.seedSeconds !== null ? `; seeded with SQL in ${fixed(r.seedSeconds, 0)} s` : ''),
    `- **Request:** \`search(query, communityId, first: 20)\` asking for totalCount, truncated, pageInfo and per edge cursor, rank, score, ` +
      `snippet (text and highlights) and the node (Thread: title, replyCount, community, author; Post: author, thread with community; ` +
      `Resource: title, url, kind, community). "member" is ACTIVE in ${SEARCH_DATASET.viewerRestricted} of the ${c.restricted} restricted communities.`,
    `- **Candidate cap:** ${n(r.cap)} newest matches per kind (SEARCH_CANDIDATE_CAP).`,
    `- **Machine load:** 1-minute load average ${fixed(r.load[0], 2)} when the measured passes started, ${fixed(r.load[1], 2)} when they ended (${r.machine.cpuCount} cores).`,
    '',
    `One request at a time, ${r.settings.rounds} measured passes over the mix after 2 warm-up passes (ms, wall time at the client):`,
    '',
    table(['query', 'text', 'viewer', 'posts containing it', 'totalCount', 'p50', 'p95', 'SQL (EXPLAIN ANALYZE)'], rows),
    '',
    `- **All queries, one at a time:** ${n(all.length)} requests, p50 ${fixed(percentile(all, 50))} ms, p95 ${fixed(p95)} ms ` +
      `(target p95 < ${TARGET_P95_MS} ms: ${p95 < TARGET_P95_MS ? 'met' : `NOT met, by ${fixed(p95 - TARGET_P95_MS)} ms`}).`,
    `- **${IN_FLIGHT} requests in flight:** ${n(r.concurrent.length)} requests in ${fixed(r.concurrentSeconds)} s ` +
      `(${fixed(r.concurrent.length / r.concurrentSeconds)} req/s), p50 ${fixed(percentile(r.concurrent, 50))} ms, p95 ${fixed(percentile(r.concurrent, 95))} ms.`,
    '',
    whereTimeGoes(r),
    '',
    'Plans (EXPLAIN ANALYZE of the statement the API runs, taken before the measured passes; per branch: the scan that ' +
      'supplied its candidates, the rows that matched before the cap, the rows read and rejected by the filter or a lossy-bitmap recheck, time):',
    '',
    plans,
  ].join('\n');
}

/** The two passes side by side: a request's mean latency split into SQL, main-thread time and waiting, and who used the CPU. */
function whereTimeGoes(r: Results): string {
  const { sequential: a, concurrent: b } = r.profiles;
  const all = [...r.sequential.values()].flat();
  const row = (name: string, pick: (p: PassProfile) => string) => [name, pick(a), pick(b)];
  const ms = (value: number) => fixed(value);
  const share = (part: number, p: PassProfile) => `${ms(part)} (${Math.round((part / p.latencyMs) * 100)}%)`;
  const rows = [
    ['p50 / p95 latency', `${ms(percentile(all, 50))} / ${ms(percentile(all, 95))}`, `${ms(percentile(r.concurrent, 50))} / ${ms(percentile(r.concurrent, 95))}`],
    row('mean latency', (p) => ms(p.latencyMs)),
    row('in PostgreSQL statements (MikroORM took, summed)', (p) => share(p.sqlMs, p)),
    row('on the main thread (busy time / requests)', (p) => share(p.mainThreadMs, p)),
    row('the rest (latency − statements − main thread)', (p) => share(p.waitingMs, p)),
    row('statements per request', (p) => fixed(p.statements)),
    row('main thread busy', (p) => `${Math.round(p.mainThreadBusy * 100)}%`),
    row('CPU of the API + client process: cores (ms a request)', (p) => `${fixed(p.apiCores, 2)} (${ms(p.apiCpuMs)})`),
    row('CPU of the PostgreSQL backends: cores (ms a request)', (p) => `${fixed(p.databaseCores, 2)} (${ms(p.databaseCpuMs)})`),
    row('requests per second', (p) => fixed(p.requests / p.wallSeconds)),
  ];
  const grew = (pick: (p: PassProfile) => number) => `${ms(pick(a))} → ${ms(pick(b))} ms`;
  return [
    `Where the time goes, per request (ms, means over each measured pass; the benchmark client runs on the API's main thread and is counted with it):`,
    '',
    table(['', 'one at a time', `${IN_FLIGHT} in flight`], rows),
    '',
    `- **From one to ${IN_FLIGHT} in flight:** the mean latency went ${grew((p) => p.latencyMs)}; time in statements ${grew((p) => p.sqlMs)}, ` +
      `main-thread time ${grew((p) => p.mainThreadMs)} (the main thread ${Math.round(a.mainThreadBusy * 100)}% → ${Math.round(b.mainThreadBusy * 100)}% busy), ` +
      `the rest ${grew((p) => p.waitingMs)}, while the backends' CPU per request went ${grew((p) => p.databaseCpuMs)}: the statements took longer without ` +
      `PostgreSQL doing more work, so they waited (for a core, or for the main thread to read their results). The machine has ${r.machine.cpuCount} cores for the API's one ` +
      `main thread and ${IN_FLIGHT} PostgreSQL backends: together they used ${fixed(b.apiCores + b.databaseCores, 2)} cores during the ${IN_FLIGHT}-in-flight pass.`,
    '- A statement\'s time is MikroORM\'s, from sending it to handling its result: it includes the backend waiting for a core and the result ' +
      'waiting for the busy main thread, so under load it is an upper bound of the time PostgreSQL worked (its backends\' CPU is the lower one). ' +
      'The main-thread time is wall time the event loop was not idle (it includes being descheduled on a busy machine, and the parsing of ' +
      'results inside a statement\'s time), so the parts overlap: "the rest" is negative when they do, and otherwise a request ready to run ' +
      'while the main thread served another one, connection and network time.',
  ].join('\n');
}

let settings: Settings | null = null;
try {
  settings = settingsFromEnv();
} catch (error) {
  console.error('[bench:search]', (error as Error).message);
  process.exitCode = 1;
}
if (settings) {
  const chosen = settings;
  runBenchmark({
    name: 'bench:search',
    budgetSeconds: 900 + chosen.rounds * 60,
    run: () => main(chosen),
    cleanUp,
    writeResults: chosen.writeResults,
    report: (results) => ({ summary: [], heading: SECTION, body: sectionBody(results) }),
  });
}
