/**
 * Request/reply over a forked child's IPC channel, for the fan-out benchmark's helper processes. Messages use
 * the 'advanced' serialization (structured clone), so typed arrays cross without JSON.
 */
import { fork, type ChildProcess } from 'node:child_process';

interface Reply {
  id: number;
  ok: boolean;
  error?: string;
  [key: string]: unknown;
}

/** The shared clock of every benchmark process: wall-clock milliseconds with sub-millisecond resolution. */
export const now = () => performance.timeOrigin + performance.now();

/** Parent side: a helper process started with `fork`, answering one request at a time per id. */
export class Helper {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  private exited = false;
  readonly exit: Promise<number | null>;

  constructor(
    readonly name: string,
    script: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.child = fork(script, [], {
      execArgv: ['-r', '@swc-node/register'],
      serialization: 'advanced',
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exit = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        this.exited = true;
        for (const [, pending] of this.waiting) {
          clearTimeout(pending.timer);
          pending.reject(new Error(`${name} exited (code ${code}) before answering`));
        }
        this.waiting.clear();
        resolve(code);
      });
    });
    this.child.on('message', (message: Reply) => {
      const pending = this.waiting.get(message.id);
      if (!pending) return;
      this.waiting.delete(message.id);
      clearTimeout(pending.timer);
      if (message.ok) pending.resolve(message);
      else pending.reject(new Error(`${name}: ${message.error}`));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends `message` and resolves with the child's reply; rejects on an error reply, on exit, or after `timeoutMs`. */
  request<T extends object = Record<string, unknown>>(message: { type: string } & Record<string, unknown>, timeoutMs: number): Promise<T & Reply> {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.name} did not answer "${message.type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { resolve: resolve as (reply: Reply) => void, reject, timer });
      this.child.send({ ...message, id });
    });
  }

  /** Asks the child to stop, and kills it (this child only, by its handle) if it has not exited after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.exited) return;
    try {
      this.child.send({ type: 'stop', id: 0 });
    } catch {
      // The channel may already be closed; the kill below covers it.
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }
}

/**
 * Child side: answers requests with `handlers[type]`; 'stop' runs `onStop` and exits. The child also exits when
 * its parent goes away (the IPC channel closes), so a crashed benchmark leaves no process behind.
 */
export function serve(handlers: Record<string, (message: Record<string, unknown>) => Promise<object> | object>, onStop: () => Promise<void> | void): void {
  const send = (reply: object) => process.send?.(reply);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(0), 10_000);
    force.unref();
    try {
      await onStop();
    } finally {
      process.exit(0);
    }
  };
  process.on('disconnect', () => void stop());
  process.on('message', (message: { type: string; id: number } & Record<string, unknown>) => {
    if (message.type === 'stop') {
      void stop();
      return;
    }
    const handler = handlers[message.type];
    if (!handler) {
      send({ id: message.id, ok: false, error: `unknown request ${message.type}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message))
      .then(
        (result) => send({ ...result, id: message.id, ok: true }),
        (error: unknown) => send({ id: message.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
      );
  });
}
