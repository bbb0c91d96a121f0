/**
 * `bench:faults`' own PostgreSQL cluster and Redis server: started from the installed binaries in a temporary
 * directory on free ports, so the faults (a restart, a SIGKILL) never touch the machine's own services.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
/** PostgreSQL refuses to run as root: as root, its binaries run as the `postgres` OS user (FAULTS_PG_USER). */
const PG_USER = process.getuid?.() === 0 ? (process.env.FAULTS_PG_USER ?? 'postgres') : null;
const run = (file: string, args: string[]) => (PG_USER ? exec('runuser', ['-u', PG_USER, '--', file, ...args]) : exec(file, args));
export const PG_BIN = process.env.FAULTS_PG_BIN ?? '/usr/lib/postgresql/15/bin';
/** The machine's own services: never used here. */
const RESERVED_PORTS = new Set([5432, 6379]);

export const freePort = async (): Promise<number> => {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    if (!RESERVED_PORTS.has(port)) return port;
  }
};

export class ThrowawayPostgres {
  readonly dir = mkdtempSync(join(tmpdir(), 'practicehub-faults-pg-'));
  private readonly data = join(this.dir, 'data');
  private running = false;
  constructor(readonly port: number) {}

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/practicehub`;
  }
  get adminUrl(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async init(): Promise<string> {
    if (PG_USER) {
      const { stdout } = await exec('id', ['-u', PG_USER]);
      const { stdout: group } = await exec('id', ['-g', PG_USER]);
      chownSync(this.dir, Number(stdout.trim()), Number(group.trim()));
      chmodSync(this.dir, 0o700);
    }
    await run(join(PG_BIN, 'initdb'), ['-D', this.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await this.start();
    await run(join(PG_BIN, 'createdb'), ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', 'practicehub']);
    const { stdout } = await exec(join(PG_BIN, 'postgres'), ['--version']);
    return stdout.trim();
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
    await run(join(PG_BIN, 'pg_ctl'), ['-D', this.data, '-o', options, '-l', join(this.dir, 'log'), '-w', 'start']);
    this.running = true;
  }

  async stop(): Promise<void> {
    await run(join(PG_BIN, 'pg_ctl'), ['-D', this.data, '-m', 'fast', '-w', 'stop']);
    this.running = false;
  }

  async destroy(): Promise<void> {
    if (this.running) await this.stop().catch(() => run(join(PG_BIN, 'pg_ctl'), ['-D', this.data, '-m', 'immediate', 'stop']).catch(() => undefined));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class ThrowawayRedis {
  private child: ChildProcess | null = null;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/Ready to accept connections/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${output}`));
      });
    });
    child.removeAllListeners('exit');
    child.stdout!.removeAllListeners('data');
    child.stdout!.resume();
    child.stderr!.resume();
  }

  /** SIGKILL: no goodbye to the clients. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
