/**
 * Cold-start benchmark (`npm run bench:coldstart`): how long a newcomer waits after `npm start` (README: the embedded
 * PGlite database under DATA_DIR, demo data on an empty database) until the API answers its first GraphQL query over
 * HTTP. Each run takes a new, empty data folder and starts twice: (a) empty folder (migrations and the demo data),
 * then, after a SIGTERM, (b) the same folder again (an existing database). Each start is `npm start` in this checkout,
 * so it includes npm and the prestart build (`tsc -b`, a no-op when dist/ is up to date); the ready log line's
 * `startupMs` splits the Node process' own time into phases. Before the runs, the script builds once (unmeasured)
 * and times a full compile of src/ into a temporary folder (what the very first `npm start` after a clone adds).
 *
 * Environment (all optional): BENCH_COLDSTART_RUNS (runs of each case, default 5), BENCH_WRITE_RESULTS (false to
 * leave BENCHMARKS.md alone).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FIRST_QUERY, measureStart, running, stopGroup, type StartMeasurement } from './support/coldStartProcess';
import { median } from './support/load';
import { describeMachine, fixed, table, type Machine } from './support/report';
import { CleanUps, runBenchmark } from './support/runner';

const SECTION = '## Cold start (npm run bench:coldstart)';
const TARGET_EXISTING_MS = 5_000;
const ROOT = join(__dirname, '..');

const log = (message: string) => console.log(`[bench:coldstart] ${message}`);
const cleanups = new CleanUps('bench:coldstart');

interface Settings {
  runs: number;
  writeResults: boolean;
}

function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  const raw = env.BENCH_COLDSTART_RUNS?.trim();
  const runs = raw ? Number(raw) : 5;
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error(`BENCH_COLDSTART_RUNS must be an integer between 1 and 50, got "${raw}"`);
  const write = env.BENCH_WRITE_RESULTS?.trim().toLowerCase();
  return { runs, writeResults: !(write === '0' || write === 'false' || write === 'no') };
}

interface Results {
  settings: Settings;
  machine: Machine;
  code: string;
  /** A full compile of src/ (tsc into a temporary folder), seconds. */
  fullBuildSeconds: number;
  empty: StartMeasurement[];
  existing: StartMeasurement[];
  load: [number, number];
}

function codeVersion(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', timeout: 10_000 }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'package.json', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8', timeout: 10_000 }).trim();
    return dirty ? `commit ${commit} with uncommitted changes in src/ or the build` : `commit ${commit}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

function pgliteVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string };
    return `PGlite ${pkg.version} (embedded)`;
  } catch {
    return 'PGlite (embedded)';
  }
}

function describe(m: StartMeasurement): string {
  const s = m.startup;
  const phases = s ? Object.entries(s).map(([name, ms]) => `${name} ${ms}`).join(', ') : 'no ready line seen';
  return `first answer after ${fixed(m.answerMs / 1000, 2)} s (${m.communities} communities${m.seeded ? ', demo data loaded' : ''}); ` +
    `process phases (ms): ${phases}; stopped in ${fixed(m.stopMs / 1000, 2)} s`;
}

async function main(settings: Settings): Promise<Results> {
  const machine = describeMachine(pgliteVersion());
  log(`${machine.cpuCount} × ${machine.cpu}, Node ${machine.node}, ${machine.postgres}`);

  // The very first `npm start` after a clone compiles everything; timed into a temporary folder so dist/ stays as it is.
  const outDir = mkdtempSync(join(os.tmpdir(), 'practicehub-coldstart-build-'));
  cleanups.push({ name: 'remove the timed build', run: async () => rmSync(outDir, { recursive: true, force: true }) });
  const compiling = performance.now();
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', outDir], { cwd: ROOT, stdio: 'inherit' });
  const fullBuildSeconds = (performance.now() - compiling) / 1000;
  log(`a full compile of src/ takes ${fixed(fullBuildSeconds)} s`);
  // Unmeasured: bring dist/ up to date, so every measured start finds the same build.
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });

  cleanups.push({
    name: 'stop started processes',
    run: async () => {
      for (const child of running) stopGroup(child, 'SIGKILL');
    },
  });
  const loadBefore = os.loadavg()[0]!;
  const empty: StartMeasurement[] = [];
  const existing: StartMeasurement[] = [];
  for (let run = 1; run <= settings.runs; run += 1) {
    const dataDir = mkdtempSync(join(os.tmpdir(), 'practicehub-coldstart-'));
    cleanups.push({ name: `remove ${dataDir}`, run: async () => rmSync(dataDir, { recursive: true, force: true }) });
    const first = await measureStart({ cwd: ROOT, dataDir, timeoutMs: 120_000 });
    if (!first.seeded) throw new Error('the start on an empty folder did not load the demo data');
    empty.push(first);
    log(`run ${run}/${settings.runs}, empty folder: ${describe(first)}`);
    const second = await measureStart({ cwd: ROOT, dataDir, timeoutMs: 120_000 });
    if (second.seeded) throw new Error('the second start loaded the demo data again');
    existing.push(second);
    log(`run ${run}/${settings.runs}, existing folder: ${describe(second)}`);
    rmSync(dataDir, { recursive: true, force: true });
  }
  const load: [number, number] = [loadBefore, os.loadavg()[0]!];
  return { settings, machine, code: codeVersion(), fullBuildSeconds, empty, existing, load };
}

/** Median of a phase across runs (ms), or NaN. */
function phase(runs: StartMeasurement[], pick: (m: StartMeasurement, s: Record<string, number>) => number): number {
  const values = runs.filter((m) => m.startup).map((m) => pick(m, m.startup!));
  return values.length ? median(values) : NaN;
}

const sum = (s: Record<string, number>, names: string[]) => names.reduce((total, name) => total + (s[name] ?? 0), 0);
const REST = ['services', 'backgrounds', 'dispatcher', 'schema', 'apollo', 'listen'];

function caseRow(name: string, runs: StartMeasurement[]): string[] {
  const answers = runs.map((m) => m.answerMs);
  const s = (ms: number) => (Number.isNaN(ms) ? 'n/a' : fixed(ms / 1000, 2));
  return [
    name,
    `${s(median(answers))} (${s(Math.min(...answers))}–${s(Math.max(...answers))})`,
    s(phase(runs, (m, p) => (m.readyMs ?? NaN) - p.total!)),
    s(phase(runs, (_, p) => p.load!)),
    s(phase(runs, (_, p) => sum(p, ['orm', 'migrate']))),
    s(phase(runs, (_, p) => p.seed!)),
    s(phase(runs, (_, p) => p.jobs!)),
    s(phase(runs, (_, p) => sum(p, REST))),
    s(phase(runs, (m) => Math.max(0, m.answerMs - (m.readyMs ?? NaN)))),
    s(median(runs.map((m) => m.stopMs))),
  ];
}

function report(r: Results): { summary: string[]; heading: string; body: string } {
  const existing = median(r.existing.map((m) => m.answerMs));
  const empty = median(r.empty.map((m) => m.answerMs));
  const verdict = existing < TARGET_EXISTING_MS ? 'met' : `NOT met, by ${fixed((existing - TARGET_EXISTING_MS) / 1000, 2)} s`;
  const summary = [
    `empty folder: median ${fixed(empty / 1000, 2)} s to the first answer; existing folder: median ${fixed(existing / 1000, 2)} s ` +
      `(target < ${TARGET_EXISTING_MS / 1000} s: ${verdict})`,
  ];
  const body = [
    `- **Date:** ${new Date().toISOString()}`,
    `- **Command:** \`npm run bench:coldstart\`${r.settings.runs !== 5 ? ` with BENCH_COLDSTART_RUNS=${r.settings.runs}` : ''}`,
    `- **Code:** ${r.code}`,
    `- **Machine:** ${r.machine.cpuCount} × ${r.machine.cpu}, ${r.machine.memoryGiB} GiB RAM, ${r.machine.os}, Node ${r.machine.node}; ${r.machine.postgres}`,
    `- **What is timed:** \`npm start\` in the checkout with only PATH and HOME from the environment plus DATA_DIR (a new temporary folder), ` +
      `PORT and HOST=127.0.0.1, from the spawn until \`${FIRST_QUERY}\` over HTTP answers 200 with data (polled every 10 ms). ` +
      `(a) an empty folder: migrations and the demo data; (b) the same folder started again after a SIGTERM. ${r.settings.runs} runs of each, median (min–max).`,
    `- **Machine load:** 1-minute load average ${fixed(r.load[0], 2)} when the runs started, ${fixed(r.load[1], 2)} when they ended (${r.machine.cpuCount} cores).`,
    '',
    'Seconds, medians of the runs; the phases come from the ready line\'s `startupMs` (src/main.ts, src/server/app.ts):',
    '',
    table(
      ['data folder', 'spawn → first answer', 'npm + prestart build', 'Node start + modules', 'PGlite open + migrations', 'demo data', 'pg-boss start', 'rest of startApp', 'ready → first answer', 'SIGTERM → exit'],
      [caseRow('(a) empty', r.empty), caseRow('(b) existing', r.existing)],
    ),
    '',
    `- **Target:** under ${TARGET_EXISTING_MS / 1000} s for an existing folder: ${verdict} (median ${fixed(existing / 1000, 2)} s).`,
    `- **First start after a clone:** the prestart build compiles all of src/ once (\`tsc\`, ${fixed(r.fullBuildSeconds)} s here) before (a); ` +
      'later starts find dist/ up to date (`tsc -b` checks timestamps) unless src/ changed.',
    '- "rest of startApp": Redis-free live services, job and consumer registration, the event dispatcher\'s catch-up, the type-graphql schema, ' +
      'Apollo and listening. "npm + prestart build" is the spawn until the Node process of `node dist/main.js` started.',
  ].join('\n');
  return { summary, heading: SECTION, body };
}

let settings: Settings | null = null;
try {
  settings = settingsFromEnv();
} catch (error) {
  console.error('[bench:coldstart]', (error as Error).message);
  process.exitCode = 1;
}
if (settings) {
  const chosen = settings;
  runBenchmark({
    name: 'bench:coldstart',
    budgetSeconds: 180 + chosen.runs * 2 * 120,
    run: () => main(chosen),
    cleanUp: () => cleanups.run(),
    onInterrupt: () => {
      for (const child of running) stopGroup(child, 'SIGKILL');
    },
    writeResults: chosen.writeResults,
    report,
  });
}
