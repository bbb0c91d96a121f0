import { Client } from 'pg';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { adminUrl } from '../support/database';
import { PresenceDocument } from '../generated/graphql';
import { captureLogs } from '../support/logs';
import { eventually, subscribe, trackSockets } from '../support/live';
import { startTestServer, type TestServer } from '../support/server';

/**
 * A socket connecting while the database is away (bench:faults saw this during a PostgreSQL restart): a signed-in
 * client whose member cannot be read is told to try again later (1013, which graphql-ws clients retry), not that
 * its token is refused (4403, which it is only when the token itself is bad).
 */
function closeCodeOf(server: TestServer, connectionParams: Record<string, unknown>): Promise<number> {
  return new Promise((resolve) => {
    const client = createClient({
      url: server.app.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams,
      retryAttempts: 0,
      lazy: false,
      on: { closed: (event) => resolve((event as { code: number }).code) },
      onNonLazyError: () => undefined,
    });
    client.subscribe({ query: 'subscription { notificationAdded { id } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
  });
}

async function dropDatabase(server: TestServer): Promise<void> {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`drop database "${server.databaseName}" with (force)`);
  await admin.end();
}

describe('connecting a socket while the database is away', () => {
  it('closes with 1013 Try Again Later for a valid token, and still with 4403 for a bad one', async () => {
    const server = await startTestServer();
    const logs = captureLogs();
    try {
      const { token } = await server.factories.member();
      // While the database is there, the same token connects.
      const url = server.app.url.replace(/^http/, 'ws') + '/graphql';
      const fine = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
      await new Promise<void>((resolve) => fine.on('connected', () => resolve()));
      await fine.dispose();

      await dropDatabase(server);

      expect(await closeCodeOf(server, { authorization: `Bearer ${token}` })).toBe(1013);
      expect(await closeCodeOf(server, { authorization: 'Bearer not-a-token' })).toBe(4403);
      expect(logs.includes('could not read the connecting member', 'warn')).toBe(true);
    } finally {
      logs.restore();
      await server.close().catch(() => undefined);
    }
  }, 30_000);
});

describe('a live subscription whose rights re-check meets a database that is away', () => {
  const open = trackSockets();

  it('ends with a masked INTERNAL_SERVER_ERROR, not FORBIDDEN "your access changed"', async () => {
    const server = await startTestServer();
    const logs = captureLogs();
    try {
      const community = await server.factories.community();
      const ann = await server.factories.activeMember(community);
      const bob = await server.factories.activeMember(community);
      const thread = await server.factories.thread(community, ann);
      const annWatch = subscribe(open(server, ann.token), PresenceDocument, { topicId: thread.id });
      await annWatch.next(1);
      const bobWatch = subscribe(open(server, bob.token), PresenceDocument, { topicId: thread.id });
      await annWatch.next(2);

      await dropDatabase(server);
      // Bob leaves: Ann's presence changes, and her rights are checked again before the new snapshot.
      bobWatch.unsubscribe();
      await eventually(() => annWatch.errors.length > 0, 10_000);
      expect(annWatch.errors[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      server.unexpectedErrors.length = 0;
    } finally {
      logs.restore();
      await server.close().catch(() => undefined);
    }
  }, 30_000);
});
