/** What a benchmark run may be told through the environment, validated once. */
export interface BenchSettings {
  /** Admin connection (any existing database, normally `postgres`) used to create and drop the benchmark database. */
  adminUrl: string;
  /** The throw-away database the run creates and drops. */
  databaseName: string;
  /** Seconds of measured load per run. */
  durationSeconds: number;
  /** Seconds of unmeasured load before each run. */
  warmupSeconds: number;
  connections: number;
  /** How many GraphQL/baseline pairs to run (alternating). */
  rounds: number;
  /** Write the results into BENCHMARKS.md. */
  writeResults: boolean;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

export class SettingsError extends Error {}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new SettingsError(`${name} must be a number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

export function benchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const adminUrl = env.BENCH_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
  let host: string;
  try {
    host = new URL(adminUrl).hostname;
  } catch {
    throw new SettingsError('BENCH_DATABASE_URL is not a valid URL');
  }
  // The benchmark creates and drops a database: it only ever talks to a server on this machine.
  if (!LOCAL_HOSTS.has(host)) throw new SettingsError(`BENCH_DATABASE_URL must point at 127.0.0.1, got host "${host}"`);

  const databaseName = env.BENCH_DATABASE_NAME?.trim() || 'practicehub_bench';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseName)) {
    throw new SettingsError('BENCH_DATABASE_NAME must be a plain lower-case identifier');
  }
  const write = env.BENCH_WRITE_RESULTS?.trim().toLowerCase();
  return {
    adminUrl,
    databaseName,
    durationSeconds: number(env, 'BENCH_DURATION', 10, 1, 300),
    warmupSeconds: number(env, 'BENCH_WARMUP', 2, 0, 60),
    connections: Math.round(number(env, 'BENCH_CONNECTIONS', 50, 1, 500)),
    rounds: Math.round(number(env, 'BENCH_ROUNDS', 2, 1, 10)),
    writeResults: !(write === '0' || write === 'false' || write === 'no'),
  };
}

/** The admin URL with another database name (same host, port, user and password). */
export function databaseUrl(adminUrl: string, databaseName: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}
