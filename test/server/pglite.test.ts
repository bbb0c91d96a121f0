import { useEmbeddedApp } from '../support/embedded';
import { CommunitiesDocument, CommunityActivitySinceDocument, JoinCommunityDocument, LogInDocument, SearchDocument, StartThreadDocument } from '../generated/graphql';
import { socketClient, subscribe } from '../support/live';
import type { TestServer } from '../support/server';

/** Smoke test of the zero-setup default: no DATABASE_URL means embedded PGlite, migrated and seeded on start. */
describe('the embedded PGlite database', () => {
  const embedded = useEmbeddedApp('practicehub-pglite-');
  const gql = embedded.gql.bind(embedded);

  it('migrates, loads the demo communities and lets the demo member log in and join', async () => {
    expect(embedded.demo).not.toBeNull();
    const listed = await gql(CommunitiesDocument, {});
    expect(listed.errors).toBeUndefined();
    // The five demo communities and the one the demo's approved proposal founded (src/db/seed/governance/proposals.ts).
    expect(listed.data.communities.totalCount).toBe(6);
    const login = await gql(LogInDocument, { input: embedded.demo });
    expect(login.errors).toBeUndefined();
    const open = listed.data.communities.edges.find((e: { node: { visibility: string } }) => e.node.visibility === 'OPEN').node;
    const joined = await gql(JoinCommunityDocument, { input: { communityId: open.id } }, login.data.logIn.token);
    expect(joined.errors).toBeUndefined();
    expect(joined.data.joinCommunity.status).toBe('ACTIVE');
  });

  it('numbers live events per stream and replays them with since', async () => {
    const login = await gql(LogInDocument, { input: embedded.demo });
    const token = login.data.logIn.token as string;
    const listed = await gql(CommunitiesDocument, {});
    const open = listed.data.communities.edges.find((e: { node: { visibility: string } }) => e.node.visibility === 'OPEN').node;
    await gql(JoinCommunityDocument, { input: { communityId: open.id } }, token);
    for (const title of ['First on PGlite', 'Second on PGlite']) {
      const started = await gql(StartThreadDocument, { input: { communityId: open.id, title, body: 'Logged, then replayed' } }, token);
      expect(started.errors).toBeUndefined();
    }
    await embedded.app.services.events.settled();

    const socket = socketClient({ url: `${embedded.app.url}/graphql` } as TestServer, token);
    try {
      const replayed = subscribe(socket, CommunityActivitySinceDocument, { communityId: open.id, since: '0' });
      const events = (await replayed.next(2)).map((e) => e.communityActivity);
      const threads = events.filter((e) => e.__typename === 'ThreadStarted');
      expect(threads.map((e) => (e as { thread: { title: string } }).thread.title)).toEqual(['First on PGlite', 'Second on PGlite']);
      const cursors = events.map((e) => Number(e.cursor));
      expect(cursors).toEqual(cursors.map((_, i) => cursors[0]! + i));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await gql(StartThreadDocument, { input: { communityId: open.id, title: 'Live on PGlite', body: 'After the replay' } }, token);
      const [live] = (await replayed.next(events.length + 1)).slice(-1).map((e) => e.communityActivity);
      expect(live).toMatchObject({ __typename: 'ThreadStarted', cursor: String(cursors.at(-1)! + 1), thread: { title: 'Live on PGlite' } });
      expect(replayed.errors).toEqual([]);
    } finally {
      await socket.dispose();
    }
  });

  it('searches with PostgreSQL full text: stemmed matches, highlighted snippets, restricted content hidden', async () => {
    const found = await gql(SearchDocument, { query: 'chromebooks charging', first: 10 });
    expect(found.errors).toBeUndefined();
    const { edges, totalCount } = found.data.search;
    expect(totalCount).toBeGreaterThan(0);
    const top = edges[0];
    expect(top.node).toMatchObject({ __typename: 'Thread', title: 'Chromebook carts: overnight charging and checkout?' });
    const marked = top.snippet.highlights.map((h: { start: number; length: number }) => top.snippet.text.slice(h.start, h.start + h.length).toLowerCase());
    expect(marked).toEqual(expect.arrayContaining(['chromebook', 'charging']));

    // Only the restricted diversity community talks about sensitivity readers: nothing for an anonymous viewer.
    const hidden = await gql(SearchDocument, { query: '"sensitivity reader"' });
    expect(hidden.errors).toBeUndefined();
    expect(hidden.data.search).toMatchObject({ totalCount: 0, edges: [] });
    const restricted = (await gql(CommunitiesDocument, {})).data.communities.edges.find((e: { node: { visibility: string } }) => e.node.visibility === 'RESTRICTED').node;
    const refused = await gql(SearchDocument, { query: 'reader', communityId: restricted.id });
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });
});
