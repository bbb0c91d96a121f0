/**
 * Where a pass of requests spent its time: in PostgreSQL statements (MikroORM's `[took N ms]` per statement), on
 * the Node main thread (event-loop utilisation: the API and the benchmark client share it), and the rest (waiting:
 * for the main thread while another request's JavaScript ran, for a connection, on the network). Plus the CPU the
 * benchmark process and the database's backends used during the pass.
 */
import { performance } from 'node:perf_hooks';
import type { CpuMeter } from './cpu';

/** Sums MikroORM's statement times while on (`startApp(config, { onQuery: clock.onQuery })`). */
export class StatementClock {
  private on = false;
  statements = 0;
  ms = 0;

  readonly onQuery = (line: string) => {
    if (!this.on || !line.startsWith('[query] ')) return;
    const took = / \[took (\d+(?:\.\d+)?) ms/.exec(line);
    this.statements += 1;
    if (took) this.ms += Number(took[1]);
  };

  start(): void {
    this.on = true;
    this.statements = 0;
    this.ms = 0;
  }

  stop(): { statements: number; ms: number } {
    this.on = false;
    return { statements: this.statements, ms: this.ms };
  }
}

export interface PassProfile {
  requests: number;
  wallSeconds: number;
  /** Mean per request, ms. */
  latencyMs: number;
  /** Statements' time per request (as MikroORM timed them, from send to result), ms. */
  sqlMs: number;
  statements: number;
  /** Main-thread time per request (busy time of the pass / requests), ms. */
  mainThreadMs: number;
  /** Share of the pass the main thread was busy. */
  mainThreadBusy: number;
  /** latency − SQL − main thread (ms, per request): waiting for the main thread, a connection, the network (negative where the parts overlap). */
  waitingMs: number;
  /** CPU during the pass, in cores: this process (API + client) and the database's backends. */
  apiCores: number;
  databaseCores: number;
  /** CPU per request, ms. */
  apiCpuMs: number;
  databaseCpuMs: number;
}

/** Runs `pass` (which returns each request's latency) and measures where its time went. */
export async function profilePass(meter: CpuMeter, clock: StatementClock, pass: () => Promise<number[]>): Promise<{ latencies: number[]; profile: PassProfile }> {
  await meter.begin();
  const loop = performance.eventLoopUtilization();
  clock.start();
  const started = performance.now();
  const latencies = await pass();
  const wallMs = performance.now() - started;
  const sql = clock.stop();
  const used = performance.eventLoopUtilization(loop);
  const n = latencies.length;
  const cpu = await meter.end(n);
  const latencyMs = latencies.reduce((sum, ms) => sum + ms, 0) / n;
  const sqlMs = sql.ms / n;
  const mainThreadMs = used.active / n;
  return {
    latencies,
    profile: {
      requests: n,
      wallSeconds: wallMs / 1000,
      latencyMs,
      sqlMs,
      statements: sql.statements / n,
      mainThreadMs,
      mainThreadBusy: used.utilization,
      waitingMs: latencyMs - sqlMs - mainThreadMs,
      apiCores: (cpu.apiMs * n) / wallMs,
      databaseCores: (cpu.databaseMs * n) / wallMs,
      apiCpuMs: cpu.apiMs,
      databaseCpuMs: cpu.databaseMs,
    },
  };
}
