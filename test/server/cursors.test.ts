import { badInputFields, expectData, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const ID = '00000000-0000-4000-8000-000000000000';
const cursor = (values: unknown[]) => Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');

/** Timestamps a crafted cursor may carry that PostgreSQL cannot hold or JavaScript would silently roll over. */
const BAD_TIMESTAMPS = [
  ['year 0000', '0000-01-01T00:00:00Z'],
  ['February 30', '2024-02-30T12:00:00Z'],
  ['hour 24', '2024-01-01T24:00:00Z'],
  ['month 13', '2024-13-01T00:00:00Z'],
  ['second 60', '2024-01-01T23:59:60Z'],
] as const;

/** Connections keyed on a timestamp, each with the shape of its cursor around the timestamp. */
const CONNECTIONS: [string, string, (at: string) => unknown[]][] = [
  ['Community.threads', 'query ($slug: String!, $after: String) { community(slug: $slug) { threads(after: $after) { totalCount edges { cursor } } } }', (at) => [false, at, ID]],
  ['Community.members', 'query ($slug: String!, $after: String) { community(slug: $slug) { members(after: $after) { totalCount edges { cursor } } } }', (at) => [at, ID]],
  ['Community.meetings', 'query ($slug: String!, $after: String) { community(slug: $slug) { meetings(after: $after) { totalCount edges { cursor } } } }', (at) => [at, ID]],
  ['Community.rituals', 'query ($slug: String!, $after: String) { community(slug: $slug) { rituals(after: $after) { totalCount edges { cursor } } } }', (at) => [at, ID]],
  ['Community.resources', 'query ($slug: String!, $after: String) { community(slug: $slug) { resources(after: $after) { totalCount edges { cursor } } } }', (at) => [at, ID]],
  ['Query.boardMeetings', 'query ($after: String) { boardMeetings(after: $after) { totalCount edges { cursor } } }', (at) => [at, ID]],
  ['Query.proposals', 'query ($after: String) { proposals(after: $after) { totalCount edges { cursor } } }', (at) => [at, ID]],
];

describe('keyset cursors with a timestamp out of range', () => {
  let slug: string;
  let token: string;
  beforeAll(async () => {
    const { community } = await server.factories.community();
    slug = community.slug;
    token = (await server.factories.staff()).token;
  });

  describe.each(CONNECTIONS)('%s', (_name, query, shape) => {
    it.each(BAD_TIMESTAMPS)('refuses a cursor at %s as BAD_USER_INPUT on after, never a database error', async (_label, at) => {
      const response = await server.raw({ query, variables: { slug, after: cursor(shape(at)) } }, { token });
      expect(badInputFields(response)).toEqual(['after']);
      expect(JSON.stringify(response)).not.toMatch(/out of range|date\/time|select|stack/i);
      expect(server.unexpectedErrors).toEqual([]);
    });

    it('still pages past a cursor at the edges of the range (year 0001 and 9999)', async () => {
      for (const at of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z']) {
        expectData(await server.raw({ query, variables: { slug, after: cursor(shape(at)) } }, { token }));
      }
      expect(server.unexpectedErrors).toEqual([]);
    });
  });
});
