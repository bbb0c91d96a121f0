import { Client } from 'pg';
import { CommunitiesDocument } from '../generated/graphql';
import { loadConfig } from '../../src/config';
import { databaseUrl } from '../support/database';
import { expectData, expectError, startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/server';

describe('the statement timeout', () => {
  it('defaults to 10 s and can be turned off', () => {
    expect(loadConfig({ JWT_SECRET: TEST_JWT_SECRET, DATA_DIR: '/tmp/practicehub-test' }).statementTimeoutMs).toBe(10_000);
    expect(loadConfig({ JWT_SECRET: TEST_JWT_SECRET, DATA_DIR: '/tmp/practicehub-test', STATEMENT_TIMEOUT_MS: '0' }).statementTimeoutMs).toBe(0);
    expect(() => loadConfig({ JWT_SECRET: TEST_JWT_SECRET, DATA_DIR: '/tmp/practicehub-test', STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(/STATEMENT_TIMEOUT_MS/);
  });

  describe('on PostgreSQL', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ STATEMENT_TIMEOUT_MS: '300' });
    });
    afterAll(() => server.close());

    it('is set on the connections the requests use', async () => {
      const [row] = await server.em().execute<{ statement_timeout: string }[]>('show statement_timeout');
      expect(row!.statement_timeout).toBe('300ms');
    });

    it('ends a statement that runs too long as a clean, logged INTERNAL_SERVER_ERROR; the connections stay usable', async () => {
      await server.factories.community();
      // Another session holds the community table: the request's select waits on the lock, as a slow statement
      // would, until PostgreSQL cancels it.
      const blocker = new Client({ connectionString: databaseUrl(server.databaseName) });
      await blocker.connect();
      try {
        await blocker.query('begin');
        await blocker.query('lock table community in access exclusive mode');
        const started = Date.now();
        // More requests at once than the pool has connections: every one is cancelled, none waits for ever.
        const responses = await Promise.all(Array.from({ length: 12 }, () => server.gql(CommunitiesDocument, {})));
        expect(Date.now() - started).toBeLessThan(10_000);
        for (const response of responses) {
          const error = expectError(response, 'INTERNAL_SERVER_ERROR');
          expect(error.message).toBe('Internal server error');
          expect(error.extensions?.requestId).toEqual(expect.any(String));
          expect(JSON.stringify(response)).not.toMatch(/statement timeout|cancel|select|stack/i);
        }
        // Each was logged with the driver's reason (query_canceled).
        expect(server.unexpectedErrors.length).toBeGreaterThanOrEqual(12);
        for (const error of server.unexpectedErrors) expect(error).toMatchObject({ code: '57014' });
        server.unexpectedErrors.length = 0;
      } finally {
        await blocker.query('rollback');
        await blocker.end();
      }
      // The same pool serves the next requests (more of them than it has connections).
      for (let i = 0; i < 12; i++) {
        expect(expectData(await server.gql(CommunitiesDocument, {})).communities.totalCount).toBeGreaterThanOrEqual(1);
      }
    });
  });
});
