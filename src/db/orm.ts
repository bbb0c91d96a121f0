import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { PgliteDriver } from '@mikro-orm/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { EntityManager } from '@mikro-orm/postgresql';
import { entities } from './entities';
import { migrationsList } from './migrations';
import { TagsText } from '../modules/search/searchVectors';

export type Orm = MikroORM;
/** Both drivers share the PostgreSQL SQL entity manager. */
export type Em = EntityManager;

export interface OrmSettings {
  /** PostgreSQL URL, or null for the embedded PGlite cluster in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  /** Called with each SQL statement (for statement counts in tests and benchmarks). */
  onQuery?: (sql: string) => void;
  logQueries?: boolean;
  poolMax?: number;
  /**
   * PostgreSQL `statement_timeout` of every pooled connection, in ms (0: none). PostgreSQL cancels a statement that
   * runs longer (error 57014) and the connection stays usable. PGlite does not enforce it (one in-process backend
   * with no timer signal), so it is not set there.
   */
  statementTimeoutMs?: number;
}

export function ormOptions(settings: OrmSettings): Partial<Options> {
  const logging = settings.onQuery || settings.logQueries;
  const common: Partial<Options> = {
    entities,
    // SQL functions the schema needs (generated search columns use tags_text).
    routines: [TagsText],
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    migrations: {
      migrationsList,
      path: join(__dirname, 'migrations'),
      pathTs: join(__dirname, 'migrations'),
      tableName: 'mikro_orm_migrations',
      snapshot: false,
      emit: 'ts',
      silent: true,
    },
    // Entities are read through our own per-request DataLoaders; keep MikroORM's lazy loading explicit.
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    debug: logging ? ['query'] : false,
    colors: false,
    logger: (message: string) => {
      if (settings.onQuery) settings.onQuery(message);
      if (settings.logQueries) console.log(message);
    },
  };
  if (settings.databaseUrl) {
    return {
      ...common,
      driver: PostgreSqlDriver,
      clientUrl: settings.databaseUrl,
      pool: { max: settings.poolMax ?? 10 },
      // A request that cannot get a connection fails after 10 s instead of waiting forever.
      driverOptions: {
        connectionTimeoutMillis: 10_000,
        ...(settings.statementTimeoutMs ? { statement_timeout: settings.statementTimeoutMs } : {}),
      },
    };
  }
  // PGlite loads contrib extensions only when the instance is created; the migrations then `create extension` them
  // (pg_trgm: name similarity in the duplicate-need check).
  return { ...common, driver: PgliteDriver, dbName: join(settings.dataDir, 'pglite'), driverOptions: { extensions: { pg_trgm } } };
}

export async function createOrm(settings: OrmSettings): Promise<Orm> {
  // PGlite keeps its cluster in a folder that must exist.
  if (!settings.databaseUrl && settings.dataDir) mkdirSync(settings.dataDir, { recursive: true });
  return MikroORM.init(ormOptions(settings));
}

/** Any 64-bit number unique to this application: the advisory lock that serialises migrations across instances. */
const MIGRATION_LOCK = 734_912_001;

/**
 * Applies pending migrations inside one transaction that first takes a Postgres advisory lock, so two instances
 * starting at once against one database do not race: the second waits, then finds nothing left to do.
 */
export async function migrate(orm: Orm): Promise<string[]> {
  // The migrator creates its bookkeeping table on first use through its own connection; do that before taking the
  // lock (PGlite has a single connection and would otherwise wait on itself). Two instances racing to create it:
  // the loser simply tries again and finds it.
  await orm.migrator.getPending().catch(() => orm.migrator.getPending());
  const em = orm.em.fork() as Em;
  return em.transactional(async (tem) => {
    // A migration (an index on a large table) or the wait for another instance's lock may outlast the request
    // statement timeout: none inside this transaction.
    await tem.execute('set local statement_timeout = 0');
    await tem.execute(`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    const applied = await orm.migrator.up({ transaction: tem.getTransactionContext() });
    return applied.map((m) => m.name);
  });
}
