import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { migrationsList } from '../../src/db/migrations';
import { createTestDatabase, templateName } from '../support/database';
import { TEST_JWT_SECRET } from '../support/server';

/**
 * SIGTERM on a real process (`src/main.ts`, as `npm start` runs it): live sockets are closed with 1001 (Going Away),
 * a request already running finishes and is answered, new connections are refused, and the process exits 0.
 */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let child: ChildProcess | null = null;
beforeAll(async () => {
  database = await createTestDatabase(templateName(migrationsList));
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await database.drop();
});

async function startProcess(port: number): Promise<{ exited: Promise<number | null>; output: () => string }> {
  let output = '';
  child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '../../src/main.ts')], {
    cwd: join(__dirname, '../..'),
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      JWT_SECRET: TEST_JWT_SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      MIGRATE_ON_START: 'false',
      SEED_ON_EMPTY: 'false',
      REDIS_URL: '',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!/API ready/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the API did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { exited, output: () => output };
}

describe('SIGTERM', () => {
  it('closes sockets with 1001, answers the request in flight, refuses new connections, and exits 0', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/graphql`;
    const { exited, output } = await startProcess(port);

    // A live socket with a subscription running.
    const closeCode = new Promise<number>((resolve) => {
      const socket = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        on: { closed: (event) => resolve((event as { code: number }).code) },
        onNonLazyError: () => undefined,
      });
      socket.subscribe({ query: 'subscription { notificationAdded { id } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    });

    // A request that is still running when the signal comes: it waits on a lock this test holds.
    const locker = new Client({ connectionString: database.url });
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table community in access exclusive mode');
    const inFlight = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ communities(first: 1) { totalCount } }' }) });
    await new Promise((resolve) => setTimeout(resolve, 500));

    child!.kill('SIGTERM');
    expect(await closeCode).toBe(1001);
    // New connections are refused while the running request drains.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ viewer { id } }"}' })).rejects.toThrow();
    await locker.query('commit');
    await locker.end();

    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { communities: { totalCount: 0 } } });
    expect(await exited).toBe(0);
    expect(output()).toMatch(/SIGTERM received/);
  }, 90_000);
});
