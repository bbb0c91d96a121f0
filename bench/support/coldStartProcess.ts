/**
 * One start of the API as a newcomer runs it (`npm start` in the checkout, no DATABASE_URL: embedded PGlite under
 * DATA_DIR), timed from the spawn until the first GraphQL query over HTTP answers 200 with data, then stopped with
 * SIGTERM. The "ready" log line's `startupMs` (src/main.ts) says where the process' own time went.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';

/** The first query a client would send: one page of communities, which reads the database. */
export const FIRST_QUERY = '{ communities(first: 1) { totalCount edges { node { id name } } } }';

export interface StartMeasurement {
  /** Spawn → the first query's 200 with data, ms. */
  answerMs: number;
  /** Spawn → the "ready" log line read from the process' output, ms (null: not seen). */
  readyMs: number | null;
  /** The ready line's `startupMs`: the Node process' own phases, from its start (null: not seen). */
  startup: Record<string, number> | null;
  /** The demo data was loaded by this start. */
  seeded: boolean;
  /** communities.totalCount in the first answer. */
  communities: number;
  /** SIGTERM → exit, ms. */
  stopMs: number;
}

/** A port on 127.0.0.1 nobody listens on right now (the OS picks it; closed again at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Only what a shell on a developer's machine would have: no DATABASE_URL, REDIS_URL, JWT_SECRET or npm_* of ours. */
function newcomerEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'USER', 'LANG', 'TMPDIR', 'TZ']) if (process.env[name] !== undefined) env[name] = process.env[name];
  return { ...env, ...extra };
}

/** Processes started and not yet exited, so a clean-up can stop them (their whole process group: npm, sh, node). */
export const running = new Set<ChildProcess>();

export function stopGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Whether any process of the child's group (npm, sh, node) still runs. */
function groupAlive(child: ChildProcess): boolean {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 0);
    return child.pid !== undefined;
  } catch {
    return false;
  }
}

export interface StartOptions {
  cwd: string;
  dataDir: string;
  timeoutMs: number;
  /** Extra arguments of `npm start` (none) — or a different command for comparisons. */
  command?: { file: string; args: string[] };
}

export async function measureStart(options: StartOptions): Promise<StartMeasurement> {
  const port = await freePort();
  const command = options.command ?? { file: 'npm', args: ['start', '--silent'] };
  const started = performance.now();
  const child = spawn(command.file, command.args, {
    cwd: options.cwd,
    env: newcomerEnv({ DATA_DIR: options.dataDir, PORT: String(port), HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => running.delete(child));

  let readyMs: number | null = null;
  let startup: Record<string, number> | null = null;
  let seeded = false;
  let output = '';
  let pending = '';
  const onLine = (line: string) => {
    output = (output + line + '\n').slice(-4_000);
    if (!line.startsWith('{')) return;
    try {
      const entry = JSON.parse(line) as { msg?: string; startupMs?: Record<string, number> };
      if (entry.startupMs) {
        readyMs = performance.now() - started;
        startup = entry.startupMs;
      }
      if (entry.msg?.startsWith('Demo data loaded')) seeded = true;
    } catch {
      // not a log line
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    lines.forEach(onLine);
  });
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4_000)));

  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}/graphql`;
  let answerMs = NaN;
  let communities = NaN;
  try {
    for (;;) {
      if (gone) throw new Error(`the process exited before answering:\n${output}`);
      if (performance.now() - started > options.timeoutMs) throw new Error(`no answer after ${options.timeoutMs} ms:\n${output}`);
      const answer = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: FIRST_QUERY }),
        signal: AbortSignal.timeout(10_000),
      }).then(
        async (response) => ({ status: response.status, json: (await response.json().catch(() => null)) as { data?: { communities?: { totalCount: number } } } | null }),
        () => null, // not listening yet
      );
      if (answer?.status === 200 && answer.json?.data?.communities) {
        answerMs = performance.now() - started;
        communities = answer.json.data.communities.totalCount;
        break;
      }
      if (answer) throw new Error(`the first query answered HTTP ${answer.status}: ${JSON.stringify(answer.json).slice(0, 300)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } catch (error) {
    stopGroup(child, 'SIGKILL');
    await exited;
    while (groupAlive(child)) await new Promise((resolve) => setTimeout(resolve, 10));
    throw error;
  }
  const stopping = performance.now();
  stopGroup(child, 'SIGTERM');
  const kill = setTimeout(() => stopGroup(child, 'SIGKILL'), 20_000);
  await exited;
  // npm may exit before the API has closed its database: wait until no process of the group is left, so the next
  // start never opens a folder another process still holds.
  while (groupAlive(child)) await new Promise((resolve) => setTimeout(resolve, 10));
  clearTimeout(kill);
  return { answerMs, readyMs, startup, seeded, communities, stopMs: performance.now() - stopping };
}
