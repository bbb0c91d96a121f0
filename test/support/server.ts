import 'reflect-metadata';
import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { loadConfig, type Config } from '../../src/config';
import { migrationsList } from '../../src/db/migrations';
import type { Em } from '../../src/db/orm';
import { startApp, type App } from '../../src/server/app';
import { createTestDatabase, templateName } from './database';
import { Factories } from './factories';

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
}

export interface TestServer {
  app: App;
  url: string;
  databaseName: string;
  config: Config;
  factories: Factories;
  /** SQL statements executed since the last reset. */
  queries: string[];
  /** Errors the boundary masked as INTERNAL_SERVER_ERROR; a test that provokes one on purpose clears it. */
  unexpectedErrors: unknown[];
  /**
   * Called synchronously as soon as each SQL statement has returned, before the server goes on: a test that blocks
   * here (a synchronous psql) changes the database at an exact point between two statements of one request.
   */
  afterStatement: ((sql: string) => void) | null;
  em(): Em;
  /** Sends a typed operation; `token` signs the request in. */
  gql<R, V>(document: TypedDocumentNode<R, V>, variables?: V, options?: { token?: string | null; headers?: Record<string, string> }): Promise<GraphQLResponse<R>>;
  /** Sends a raw query string (for malformed or hostile documents). */
  raw(body: unknown, options?: { token?: string | null; headers?: Record<string, string> }): Promise<GraphQLResponse<Record<string, unknown>>>;
  close(): Promise<void>;
}

/** Starts the real API on a fresh PostgreSQL database of its own (one per test file, so files run in parallel). */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const database = await createTestDatabase(templateName(migrationsList));
  const config = loadConfig({
    DATABASE_URL: database.url,
    JWT_SECRET: TEST_JWT_SECRET,
    PORT: '0',
    HOST: '127.0.0.1',
    MIGRATE_ON_START: 'false',
    SEED_ON_EMPTY: 'false',
    PASSWORD_HASH_COST: '1024',
    AUTH_MAX_ATTEMPTS: '10000',
    SIGNUPS_PER_IP_PER_HOUR: '10000',
    // Budgets no other test reaches; test/limits/ sets small ones.
    AUTH_MAX_FAILURES_PER_IP_PER_HOUR: '100000',
    RATE_LIMIT_POINTS: '1000000000',
    RATE_LIMIT_ANONYMOUS_POINTS: '1000000000',
    DATA_DIR: '/tmp/practicehub-test',
    // Warnings and errors only: a line per request would bury the test output.
    LOG_LEVEL: 'warn',
    ...env,
  });
  try {
    return await startTestApp(config, database.name, async () => {
      await database.drop();
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/**
 * Starts the API with `config` and wraps it as a TestServer (SQL log, masked-error log, request helpers,
 * factories). `afterClose` runs once the app has stopped (dropping the database of the file that owns it).
 */
export async function startTestApp(config: Config, databaseName: string, afterClose: () => Promise<void> = async () => undefined): Promise<TestServer> {
  const queries: string[] = [];
  const unexpected: unknown[] = [];
  let afterStatement: TestServer['afterStatement'] = null;
  const app = await startApp(config, {
    onQuery: (line) => {
      // Background work (the event dispatcher, jobs) runs on its own schedule: not part of any request's statements.
      if (!/^\[query\]/.test(line) || line.startsWith('[query] (background)')) return;
      queries.push(line);
      afterStatement?.(line);
    },
    errorLogger: ({ error }) => unexpected.push(error),
  });
  const url = `${app.url}/graphql`;

  async function post(body: unknown, options: { token?: string | null; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const json = (await response.json()) as Omit<GraphQLResponse<unknown>, 'status'>;
    return { status: response.status, ...json };
  }

  const server: TestServer = {
    app,
    url,
    databaseName,
    config,
    queries,
    unexpectedErrors: unexpected,
    get afterStatement() {
      return afterStatement;
    },
    set afterStatement(hook) {
      afterStatement = hook;
    },
    factories: undefined as unknown as Factories,
    em: () => app.services.orm.em.fork() as Em,
    gql: (document, variables, options) =>
      post({ query: print(document as DocumentNode), variables }, options) as Promise<GraphQLResponse<never>>,
    raw: (body, options) => post(body, options) as Promise<GraphQLResponse<Record<string, unknown>>>,
    async close() {
      await app.close();
      await afterClose();
      if (unexpected.length) {
        // An INTERNAL_SERVER_ERROR in a test is a bug even when the test asserted on the masked response.
        console.warn(`Unexpected server errors (${url}):`, unexpected);
      }
    },
  };
  server.factories = new Factories(server);
  return server;
}

/** Asserts the response failed with one error of the given contract code, and returns that error. */
export function expectError<R>(response: GraphQLResponse<R>, code: string) {
  const errors = response.errors ?? [];
  if (!errors.some((e) => e.extensions?.code === code)) {
    throw new Error(`Expected a ${code} error, got ${JSON.stringify(response)}`);
  }
  return errors.find((e) => e.extensions?.code === code)!;
}

/** Returns `data`, failing loudly (with the errors) when the response has any. */
export function expectData<R>(response: GraphQLResponse<R>): R {
  if (response.errors?.length || !response.data) throw new Error(`Expected data, got ${JSON.stringify(response)}`);
  return response.data;
}

/** Asserts BAD_USER_INPUT and returns the fields its `fieldErrors` name, in order (a field failing two rules twice). */
export function badInputFields(response: GraphQLResponse<unknown>): string[] {
  return ((expectError(response, 'BAD_USER_INPUT').extensions?.fieldErrors ?? []) as { field: string }[]).map((e) => e.field);
}

/** As badInputFields, each field once. */
export const distinctBadInputFields = (response: GraphQLResponse<unknown>): string[] => [...new Set(badInputFields(response))];

/** `select count(*) as n …` run on the test's database, as a number (for "nothing was stored" checks). */
export async function countRows(server: TestServer, sql: string, ...params: unknown[]): Promise<number> {
  const [row] = await server.em().execute<{ n: string | number }[]>(sql, params);
  return Number(row!.n);
}
