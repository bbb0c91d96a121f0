/**
 * CPU time of processes and of the whole machine, from /proc (Linux), so the fan-out benchmark can say who was
 * busy while it measured: the API instance, the subscriber clients sharing its cores, and everything else.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';

let ticksPerSecond: number | null = null;
function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5_000 }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU milliseconds a process has used (NaN when it cannot be read). */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / clockTicks()) * 1000;
  } catch {
    return NaN;
  }
}

/** CPU milliseconds the whole machine spent busy (all cores), and in total. */
export function machineCpuMs(): { busy: number; total: number } {
  try {
    const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
    const ticks = cpu!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    const total = ticks.reduce((sum, t) => sum + t, 0);
    return { busy: ((total - idle) / clockTicks()) * 1000, total: (total / clockTicks()) * 1000 };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

export interface CpuSample {
  at: number;
  processes: number[];
  machine: { busy: number; total: number };
}

export function cpuSample(pids: (number | undefined)[]): CpuSample {
  return { at: performance.now(), processes: pids.map(processCpuMs), machine: machineCpuMs() };
}

/** Each process's share of one core between two samples, the machine's busy share of all cores, and what the rest used (in cores). */
export function cpuShares(before: CpuSample, after: CpuSample): { processes: number[]; machineBusy: number; othersCores: number } {
  const wall = after.at - before.at;
  const processes = after.processes.map((ms, i) => (ms - before.processes[i]!) / wall);
  const busyMs = after.machine.busy - before.machine.busy;
  const machineBusy = busyMs / (after.machine.total - before.machine.total);
  const ours = processes.reduce((sum, share) => sum + (Number.isNaN(share) ? 0 : share), 0);
  return { processes, machineBusy, othersCores: busyMs / wall - ours };
}

/**
 * CPU time per request, which unlike latency does not grow when other work shares the machine: this process's (the
 * API and the benchmark client) and that of the PostgreSQL backends serving one database (a server on this machine).
 */
export class CpuMeter {
  private start: { process: NodeJS.CpuUsage; backends: Map<number, number> } | null = null;

  constructor(private readonly adminUrl: string, private readonly databaseName: string) {}

  /** CPU milliseconds of each backend connected to the database, by pid. */
  private async backends(): Promise<Map<number, number>> {
    const client = new Client({ connectionString: this.adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [
        this.databaseName,
      ]);
      const cpu = new Map<number, number>();
      for (const { pid } of rows) {
        const ms = processCpuMs(pid);
        if (!Number.isNaN(ms)) cpu.set(pid, ms); // NaN: the backend ended meanwhile
      }
      return cpu;
    } finally {
      await client.end();
    }
  }

  async begin(): Promise<void> {
    this.start = { process: process.cpuUsage(), backends: await this.backends() };
  }

  /** Milliseconds of CPU per request since begin(): this process's and the database backends'. */
  async end(requests: number): Promise<{ apiMs: number; databaseMs: number }> {
    if (!this.start) throw new Error('CpuMeter.end() before begin()');
    const usage = process.cpuUsage(this.start.process);
    const after = await this.backends();
    let database = 0;
    for (const [pid, ms] of after) database += ms - (this.start.backends.get(pid) ?? 0);
    this.start = null;
    return { apiMs: (usage.user + usage.system) / 1000 / requests, databaseMs: database / requests };
  }
}

/**
 * Waits until the machine is quiet (all processes together busier than `maxCores` for less than a 2-second
 * window), at most `timeoutMs`; resolves with the last window's busy cores and whether it was quiet. The machine
 * is shared, and other work on its cores shows in a fan-out's latency.
 */
export async function waitForQuiet(maxCores: number, timeoutMs: number): Promise<{ cores: number; quiet: boolean; waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    const before = machineCpuMs();
    const at = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const after = machineCpuMs();
    const cores = (after.busy - before.busy) / (performance.now() - at);
    const waitedMs = Date.now() - started;
    if (cores <= maxCores || Number.isNaN(cores)) return { cores, quiet: true, waitedMs };
    if (waitedMs >= timeoutMs) return { cores, quiet: false, waitedMs };
  }
}
