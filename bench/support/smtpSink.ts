import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** What the sink has received since its last reset (see smtpSinkProcess.ts). */
export interface SinkStats {
  count: number;
  recipients: number;
  /** Recipients (under the asked prefix) that got more than one message. */
  repeated: number;
  first: number;
  last: number;
}

/** The SMTP sink of smtpSinkProcess.ts, in its own process (so receiving mail does not eat the API's CPU), over IPC. */
export class SmtpSink {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(): Promise<SmtpSink> {
    const child = fork(join(__dirname, 'smtpSinkProcess.ts'), [], { execArgv: ['-r', '@swc-node/register'] });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.on('message', (message: { type: string; port?: number }) => message.type === 'ready' && resolve(message.port!));
    });
    return new SmtpSink(child, port);
  }

  /** The sink process's id (to read its CPU time). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  private ask<T>(request: object, type: string): Promise<T> {
    return new Promise((resolve) => {
      const onMessage = (message: { type: string }) => {
        if (message.type !== type) return;
        this.child.off('message', onMessage);
        resolve(message as T);
      };
      this.child.on('message', onMessage);
      this.child.send(request);
    });
  }

  stats(prefix?: string): Promise<SinkStats> {
    return this.ask({ type: 'stats', prefix }, 'stats');
  }

  async reset(): Promise<void> {
    await this.ask({ type: 'reset' }, 'reset');
  }

  stop(): void {
    this.child.send({ type: 'stop' });
    setTimeout(() => this.child.kill(), 2_000).unref();
  }
}
