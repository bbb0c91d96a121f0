import { CommunityFeedDocument } from '../generated/graphql';
import { expectData, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(() => server.close());

it('measures', async () => {
  const f = server.factories;
  const c = await f.community();
  const a = await f.activeMember(c);
  const b = await f.activeMember(c);
  for (let i = 0; i < 8; i++) {
    const t = await f.thread(c, i % 2 ? a : b);
    await f.post(t, a); await f.post(t, b);
  }
  for (const first of [5, 50]) {
    server.queries.length = 0;
    expectData(await server.gql(CommunityFeedDocument, { slug: c.community.slug, first }, { token: a.token }));
    console.log(first, server.queries.length, server.queries.join('\n'));
  }
});
