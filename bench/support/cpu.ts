import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';

/**
 * CPU time, which unlike latency does not grow when other work shares the machine: this process's (the API and the
 * benchmark client) and that of the PostgreSQL backends serving one database (read from /proc: the benchmark only
 * ever talks to a server on this machine).
 */
export class CpuMeter {
  private readonly ticksPerSecond: number;
  private start: { process: NodeJS.CpuUsage; backends: Map<number, number> } | null = null;

  constructor(private readonly adminUrl: string, private readonly databaseName: string) {
    this.ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  }

  /** CPU seconds (user + system) of each backend connected to the database, by pid. */
  private async backends(): Promise<Map<number, number>> {
    const client = new Client({ connectionString: this.adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [
        this.databaseName,
      ]);
      const cpu = new Map<number, number>();
      for (const { pid } of rows) {
        try {
          // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
          const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
          cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / this.ticksPerSecond);
        } catch {
          // The backend ended meanwhile.
        }
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
    for (const [pid, seconds] of after) database += seconds - (this.start.backends.get(pid) ?? 0);
    this.start = null;
    return { apiMs: ((usage.user + usage.system) / 1000) / requests, databaseMs: (database * 1000) / requests };
  }
}
