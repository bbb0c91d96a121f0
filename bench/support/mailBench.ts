/**
 * What the benchmarks that send mail (bench:notify, bench:meetings) share: a throw-away PostgreSQL database, an SMTP
 * sink in a process of its own, API instances on both (the first migrates), a timed GraphQL call, and bulk inserts
 * of members, communities and memberships.
 */
import { loadConfig } from '../../src/config';
import type { Em } from '../../src/db/orm';
import { startApp, type App } from '../../src/server/app';
import { dropDatabase, recreateDatabase } from './database';
import type { CleanUps } from './runner';
import { databaseUrl, type BenchSettings } from './settings';
import { SmtpSink } from './smtpSink';
import { BENCH_UNLIMITED } from './limits';

export interface MailBench {
  sink: SmtpSink;
  /** Starts one more API instance on the database and the sink; stopped with the other cleanups. */
  startInstance(): Promise<App>;
}

/**
 * Recreates the database, starts the sink, and prepares instances with `env` on top of the common settings (use it for
 * cron expressions that must not fire during the run). Each step registers its own cleanup.
 */
export async function startMailBench(settings: BenchSettings, cleanups: CleanUps, options: { dataDir: string; env?: Record<string, string> }): Promise<MailBench> {
  await recreateDatabase(settings.adminUrl, settings.databaseName);
  cleanups.push({ name: 'drop the database', run: () => dropDatabase(settings.adminUrl, settings.databaseName) });
  const sink = await SmtpSink.start();
  cleanups.push({ name: 'stop the SMTP sink', run: async () => sink.stop() });
  const env = {
    DATABASE_URL: databaseUrl(settings.adminUrl, settings.databaseName),
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    HOST: '127.0.0.1',
    PORT: '0',
    SEED_ON_EMPTY: 'false',
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    PASSWORD_HASH_COST: '1024',
    DATA_DIR: options.dataDir,
    ...BENCH_UNLIMITED,
    ...options.env,
  };
  let started = 0;
  return {
    sink,
    async startInstance() {
      started += 1;
      const app = await startApp(loadConfig(started === 1 ? env : { ...env, MIGRATE_ON_START: 'false' }));
      cleanups.push({ name: `stop instance ${started}`, run: () => app.close() });
      return app;
    },
  };
}

/** One GraphQL operation over HTTP as `token`; throws on any error. Returns its data and how long it took. */
export async function gql(app: App, token: string, query: string, variables: object): Promise<{ ms: number; data: Record<string, { id: string }> }> {
  const started = performance.now();
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await response.json()) as { data?: Record<string, { id: string }>; errors?: unknown[] };
  const ms = performance.now() - started;
  if (json.errors?.length || !json.data) throw new Error(`GraphQL error: ${JSON.stringify(json.errors)}`);
  return { ms, data: json.data };
}

/** Members `<prefix><n>@bench.example`, n = 1..count (read back by email); `emailNotifications` else the default. */
export async function insertMembers(em: Em, prefix: string, count: number, emailNotifications?: 'ALWAYS' | 'WHEN_AWAY' | 'NEVER'): Promise<void> {
  const column = emailNotifications ? ', email_notifications' : '';
  const value = emailNotifications ? `, '${emailNotifications}'` : '';
  await em.execute(
    `insert into member (id, email, email_key, password_hash, display_name${column}) ` +
      `select gen_random_uuid(), '${prefix}' || i || '@bench.example', '${prefix}' || i || '@bench.example', 'x', '${prefix} ' || i${value} ` +
      `from generate_series(1, ?) i`,
    [count],
  );
}

export async function insertCommunity(em: Em, slug: string, name: string): Promise<string> {
  const [row] = await em.execute<{ id: string }[]>(
    `insert into community (id, slug, name, description, topics) values (gen_random_uuid(), ?, ?, ?, '{reading}') returning id`,
    [slug, name, `${name}: a benchmark community`],
  );
  return row!.id;
}

/** Every member whose email is `like` joins the community, ACTIVE, with that notification preference. */
export async function joinCommunity(em: Em, communityId: string, emailLike: string, preference: 'REALTIME' | 'DAILY_DIGEST' | 'NONE'): Promise<void> {
  await em.execute(
    `insert into membership (id, member_id, community_id, status, notification_preference, joined_at) ` +
      `select gen_random_uuid(), id, ?, 'ACTIVE', ?, now() from member where email like ?`,
    [communityId, preference, emailLike],
  );
}
