import { Client } from 'pg';
import { ReplyToThreadDocument, ShareResourceDocument, StartThreadDocument } from '../generated/graphql';
import { expectData, expectError, startTestServer, type GraphQLResponse, type TestServer } from '../support/server';
import { databaseUrl } from '../support/database';

/**
 * A split, merge or retirement holds the community row FOR UPDATE while it moves content. A new thread or resource
 * racing one waits for it and, if the community was retired meanwhile, is refused with nothing written, rather than
 * landing in the archive after the content moved on. Here a second connection plays the lifecycle transaction.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

async function holdCommunity(communityId: string) {
  const client = new Client({ connectionString: databaseUrl(server.databaseName) });
  await client.connect();
  await client.query('begin');
  await client.query('select id from community where id = $1 for update', [communityId]);
  return client;
}

/** Waits until some statement of this database is waiting for a lock (the write has reached the community row). */
async function someoneWaits(client: Client) {
  for (let i = 0; i < 200; i++) {
    const { rows } = await client.query(`select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'`, [server.databaseName]);
    if (rows[0].n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('The write never waited for the community lock');
}

const count = async (table: string, communityId: string) =>
  Number((await server.em().execute<{ n: string }[]>(`select count(*) as n from ${table} where community_id = ?`, [communityId]))[0]!.n);

describe('writes racing a lifecycle change', () => {
  it('a thread started while the community is being retired waits, then is refused and not stored', async () => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    const lifecycle = await holdCommunity(community.community.id);
    const started = server.gql(StartThreadDocument, { input: { communityId: community.id, title: 'Just in time?', body: 'Racing' } }, { token: member.token });
    await someoneWaits(lifecycle);
    await lifecycle.query(`update community set status = 'RETIRED', retired_at = now() where id = $1`, [community.community.id]);
    await lifecycle.query('commit');
    await lifecycle.end();
    const response: GraphQLResponse<unknown> = await started;
    expect(expectError(response, 'FORBIDDEN').message).toBe('This community is retired and read-only');
    expect(await count('thread', community.community.id)).toBe(0);
  });

  it('a resource shared meanwhile is refused the same way; once the lock is released unchanged, writes go through', async () => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    const input = { communityId: community.id, title: 'Rubric', url: 'https://example.org/rubric' };
    let lifecycle = await holdCommunity(community.community.id);
    const shared = server.gql(ShareResourceDocument, { input }, { token: member.token });
    await someoneWaits(lifecycle);
    await lifecycle.query(`update community set status = 'RETIRED' where id = $1`, [community.community.id]);
    await lifecycle.query('commit');
    await lifecycle.end();
    expect(expectError(await shared, 'FORBIDDEN').message).toBe('This community is retired and read-only');
    expect(await count('resource', community.community.id)).toBe(0);

    const open = await server.factories.community();
    const writer = await server.factories.activeMember(open);
    lifecycle = await holdCommunity(open.community.id);
    const thread = server.gql(StartThreadDocument, { input: { communityId: open.id, title: 'After the change', body: 'Fine' } }, { token: writer.token });
    await someoneWaits(lifecycle);
    await lifecycle.query('rollback');
    await lifecycle.end();
    expect(expectData(await thread).startThread.title).toBe('After the change');
    expect(await count('thread', open.community.id)).toBe(1);
  });

  it('a reply waiting for a thread that a merge is moving lands, and is announced, in the community the thread moved to', async () => {
    const [source, target] = [await server.factories.community(), await server.factories.community()];
    const member = await server.factories.activeMember(source);
    const thread = await server.factories.thread(source, member);
    const merge = new Client({ connectionString: databaseUrl(server.databaseName) });
    await merge.connect();
    await merge.query('begin');
    await merge.query('update thread set community_id = $1 where id = $2', [target.community.id, thread.thread.id]);
    const replied = server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Caught in the move' } }, { token: member.token });
    await someoneWaits(merge);
    await merge.query('commit');
    await merge.end();
    expect(expectData(await replied).replyToThread.body).toBe('Caught in the move');
    const [post] = await server.em().execute<{ community_id: string }[]>('select p.community_id from post p where p.body = ?', ['Caught in the move']);
    expect(post!.community_id).toBe(target.community.id);
    const [event] = await server.em().execute<{ community_id: string }[]>(`select community_id from domain_event where type = 'PostAdded' and payload->>'threadId' = ?`, [thread.thread.id]);
    expect(event!.community_id).toBe(target.community.id);
  });

  it('a reply sent while its community is being retired waits, then is refused and not stored', async () => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, member);
    const lifecycle = await holdCommunity(community.community.id);
    const replied = server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Into the archive?' } }, { token: member.token });
    await someoneWaits(lifecycle);
    await lifecycle.query(`update community set status = 'RETIRED', retired_at = now() where id = $1`, [community.community.id]);
    await lifecycle.query('commit');
    await lifecycle.end();
    expect(expectError(await replied, 'FORBIDDEN').message).toBe('This community is retired and read-only');
    expect(await count('post', community.community.id)).toBe(0);
  });
});

