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
