import { EventReads, type StreamAccess, type Subscriber } from '../../src/realtime/eventReads';
import { forbidden, notFound } from '../../src/shared/errors';
import { startTestServer, type TestServer } from '../support/server';

/**
 * The rights check before each live event (bench:faults saw this during a PostgreSQL restart): a check that fails
 * because the database is away is not a refusal. Before, it was read as "no", and the subscriber was told FORBIDDEN
 * "You can no longer follow this; your access changed", which a client takes as final; now the error propagates
 * (the subscriber gets a masked INTERNAL_SERVER_ERROR and can resume with `since`).
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const subscriber: Subscriber = { viewer: null, streamId: '00000000-0000-4000-8000-000000000000', groupKey: null, execution: null };
const access = (check: StreamAccess['check']): StreamAccess => ({ kind: 'thread', check, build: async () => null });

describe('EventReads.allowed', () => {
  it('propagates a check that failed for want of the database instead of answering no', async () => {
    const reads = new EventReads(server.app.services);
    const outage = access(async () => {
      throw new Error('Connection terminated unexpectedly');
    });
    await expect(reads.allowed(outage, subscriber)).rejects.toThrow('Connection terminated unexpectedly');
  });

  it('still answers no to a refusal raised on purpose, and to a plain no', async () => {
    await expect(new EventReads(server.app.services).allowed(access(async () => Promise.reject(forbidden('No.'))), subscriber)).resolves.toBe(false);
    await expect(new EventReads(server.app.services).allowed(access(async () => Promise.reject(notFound('Thread'))), subscriber)).resolves.toBe(false);
    await expect(new EventReads(server.app.services).allowed(access(async () => false), subscriber)).resolves.toBe(false);
    await expect(new EventReads(server.app.services).allowed(access(async () => true), subscriber)).resolves.toBe(true);
  });
});
