/**
 * One API instance of `bench:faults`: `src/main.ts` in a child process, as `npm start` runs it, configured through
 * its environment (test/server/shutdown.test.ts starts it the same way).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_UNLIMITED } from './limits';

const ROOT = join(__dirname, '../..');

export class ApiInstance {
  private child: ChildProcess | null = null;
  private log = '';
  exited: Promise<number | null> = Promise.resolve(null);
  /** False once the bench signalled it: no new work is sent here. */
  alive = false;

  constructor(
    readonly name: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/graphql`;
  }
  output(): string {
    return this.log;
  }

  async start(env: Record<string, string>): Promise<void> {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'src/main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...BENCH_UNLIMITED,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        WS_MAX_SOCKETS_PER_MEMBER: '1000',
        WS_MAX_SOCKETS_PER_IP: '1000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const keep = (chunk: Buffer) => {
      this.log += chunk.toString();
      if (this.log.length > 200_000) this.log = this.log.slice(-100_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${this.name} exited while starting: ${this.log.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not start: ${this.log.slice(-2000)}`);
      const ok = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    this.alive = true;
  }

  sigterm(): void {
    this.alive = false;
    this.child?.kill('SIGTERM');
  }

  kill(): void {
    this.alive = false;
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
