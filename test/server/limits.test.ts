import { CommunityFeedDocument } from '../generated/graphql';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('query limits', () => {
  it('refuses a deeply nested query as QUERY_TOO_COMPLEX before running any SQL', async () => {
    const deep = `{ communities { edges { node { threads { edges { node { community { threads { edges { node { community { threads { edges { node { id } } } } } } } } } } } } } } }`;
    server.queries.length = 0;
    const response = await server.raw({ query: deep });
    expectError(response, 'QUERY_TOO_COMPLEX');
    expect(response.data ?? null).toBeNull();
    expect(server.queries).toEqual([]);
  });

  it('weighs connections by first: a 100 x 100 nested page is refused, the normal feed is not', async () => {
    const community = await server.factories.community();
    const heavy = `{ community(slug: "${community.community.slug}") { threads(first: 100) { edges { node { posts(first: 100) { edges { node { id body author { displayName } } } } } } } } }`;
    expectError(await server.raw({ query: heavy }), 'QUERY_TOO_COMPLEX');
    expectData(await server.gql(CommunityFeedDocument, { slug: community.community.slug, first: 50 }));
  });

  it('weighs plain lists by what they can return: mentorMatches by input.first, nodes by the number of ids', async () => {
    const nested = 'memberships(first: 100) { edges { node { community { threads(first: 10) { edges { node { id } } } } } } }';
    const matches = (first: number) => `{ mentorMatches(input: { topics: ["cataloguing"], first: ${first} }) { score mentor { ${nested} } } }`;
    server.queries.length = 0;
    expectError(await server.raw({ query: matches(50) }), 'QUERY_TOO_COMPLEX');
    expect(server.queries).toEqual([]);
    // One match's worth of the same shape is within the budget: the refusal above is the multiplication.
    expect((await server.raw({ query: matches(1) })).errors?.map((e) => e.extensions?.code) ?? []).not.toContain('QUERY_TOO_COMPLEX');

    const nodes = `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Community { threads(first: 100) { edges { node { id title } } } } } }`;
    const ids = (count: number) => Array.from({ length: count }, (_, i) => `not-an-id-${i}`);
    expectError(await server.raw({ query: nodes, variables: { ids: ids(40) } }), 'QUERY_TOO_COMPLEX');
    expect((await server.raw({ query: nodes, variables: { ids: ids(2) } })).errors?.map((e) => e.extensions?.code) ?? []).not.toContain('QUERY_TOO_COMPLEX');
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: viewer { id }`).join(' ');
    expectError(await server.raw({ query: `{ ${aliases} }` }), 'QUERY_TOO_COMPLEX');
  });

  it('refuses a document with too many tokens', async () => {
    const fields = Array.from({ length: 2500 }, () => '__typename').join(' ');
    expectError(await server.raw({ query: `{ ${fields} }` }), 'QUERY_TOO_COMPLEX');
  });

  it('keeps introspection on for clients and tools', async () => {
    const response = await server.raw({ query: '{ __schema { queryType { name } } }' });
    expect(response.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('request body limit', () => {
  /** A POST over the 1 MB limit through a real socket; the answer must arrive, not a reset connection. */
  async function oversizedPost(bytes: number) {
    const query = `{ viewer { id } } # ${'x'.repeat(bytes)}`;
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    return { status: response.status, connection: response.headers.get('connection'), body: (await response.json()) as unknown };
  }

  it.each([
    ['just over the limit', 1_000_100],
    ['ten times the limit', 10_000_000],
  ])('answers a body %s with 413 and the contract JSON, then closes the connection', async (_label, bytes) => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(await oversizedPost(bytes)).toEqual({
        status: 413,
        connection: 'close',
        body: { errors: [{ message: 'Request body too large', extensions: { code: 'BAD_USER_INPUT' } }] },
      });
    }
    // The server is still fine for the next request.
    expect(expectData(await server.raw({ query: '{ __typename }' }))).toEqual({ __typename: 'Query' });
  });
});
