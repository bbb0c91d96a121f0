import { ReplyToThreadDocument, ThreadActivityDocument } from '../generated/graphql';
import { eventually, subscribe, trackSockets } from '../support/live';
import { deleteRedisKeys, requireRedis, startPeerServer, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/redis';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';
import type { StoredEvent } from '../../src/events/dispatcher';
import { pruneEventLogs } from '../../src/events/prune';

const PREFIX = uniqueRedisPrefix('outbox');
const open = trackSockets();

let server: TestServer;
const peers: TestServer[] = [];
beforeAll(async () => {
  await requireRedis();
  server = await startTestServer({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: PREFIX });
});
afterEach(async () => {
  server.app.services.dispatcher.failBeforeDelivery = null;
  await Promise.all(peers.splice(0).map((peer) => peer.close()));
});
afterAll(async () => {
  await server.close();
  await deleteRedisKeys(PREFIX);
});

async function world() {
  const community = await server.factories.community();
  const author = await server.factories.activeMember(community);
  const replier = await server.factories.activeMember(community);
  const thread = await server.factories.thread(community, author);
  return { community, author, replier, thread };
}

const reply = (token: string, threadId: string, body: string) => server.gql(ReplyToThreadDocument, { input: { threadId, body } }, { token });

async function outboxRows(threadId: string) {
  return server
    .em()
    .execute<{ type: string; dispatched_at: Date | null }[]>(`select type, dispatched_at from domain_event where payload->>'threadId' = ? order by id`, [threadId]);
}

describe('the domain event outbox', () => {
  it('writes the event in the command’s transaction and delivers it once dispatched', async () => {
    const { replier, thread } = await world();
    const watcher = subscribe(open(server, replier.token), ThreadActivityDocument, { threadId: thread.id });
    await eventually(() => server.app.services.events.listenerCount(`thread:${thread.thread.id}`) === 1);
    expectData(await reply(replier.token, thread.id, 'First!'));
    await watcher.next(1);
    expect(watcher.events[0]!.threadActivity.__typename).toBe('PostAdded');
    await server.app.services.dispatcher.settled();
    const rows = await outboxRows(thread.thread.id);
    expect(rows.map((row) => row.type)).toEqual(['PostAdded']);
    expect(rows[0]!.dispatched_at).not.toBeNull();
  });

  it('loses nothing when the process dies between the commit and the delivery: the next instance to start delivers it', async () => {
    const { replier, thread } = await world();
    const watcher = subscribe(open(server, replier.token), ThreadActivityDocument, { threadId: thread.id });
    await eventually(() => server.app.services.events.listenerCount(`thread:${thread.thread.id}`) === 1);

    // The publisher fails after the reply committed, as if the process died there; then it is gone for good.
    const dispatcher = server.app.services.dispatcher;
    dispatcher.failBeforeDelivery = () => {
      throw new Error('simulated crash before delivery');
    };
    const response = await reply(replier.token, thread.id, 'Committed, not yet delivered');
    expectData(response);
    await dispatcher.settled();
    await dispatcher.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(watcher.events).toEqual([]);
    expect(await outboxRows(thread.thread.id)).toEqual([{ type: 'PostAdded', dispatched_at: null }]);

    // A restart: a new instance on the same database and Redis drains what was left, and the subscriber gets it.
    peers.push(await startPeerServer(server));
    await watcher.next(1);
    const [event] = watcher.events;
    expect(event!.threadActivity).toMatchObject({ __typename: 'PostAdded', post: { body: 'Committed, not yet delivered' } });
    const [row] = await outboxRows(thread.thread.id);
    expect(row!.dispatched_at).not.toBeNull();
    await dispatcher.start();
  });

  it('records nothing and delivers nothing for a change whose transaction does not commit', async () => {
    const { replier, thread } = await world();
    const watcher = subscribe(open(server, replier.token), ThreadActivityDocument, { threadId: thread.id });
    await eventually(() => server.app.services.events.listenerCount(`thread:${thread.thread.id}`) === 1);
    // The commit itself fails, after the event row was written: a deferred trigger of this test's database refuses
    // this thread's events at COMMIT time.
    await server.em().execute(
      `create or replace function refuse_test_commit() returns trigger language plpgsql as $$ begin ` +
        `if new.payload->>'threadId' = '${thread.thread.id}' then raise exception 'commit refused by the test'; end if; return null; end $$`,
    );
    await server.em().execute(
      'create constraint trigger refuse_test_commit after insert on domain_event deferrable initially deferred for each row execute function refuse_test_commit()',
    );
    const response = await reply(replier.token, thread.id, 'Never committed');
    expectError(response, 'INTERNAL_SERVER_ERROR');
    server.unexpectedErrors.length = 0;
    await server.em().execute('drop trigger refuse_test_commit on domain_event');
    await server.app.services.dispatcher.drain();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await outboxRows(thread.thread.id)).toEqual([]);
    expect(watcher.events).toEqual([]);
    const [{ count }] = await server.em().execute<{ count: string }[]>('select count(*) from post where thread_id = ?', [thread.thread.id]);
    expect(Number(count)).toBe(0);
  });

  it('hands each event to the consumers of exactly one of two instances', async () => {
    const { community, thread } = await world();
    const repliers = await Promise.all(Array.from({ length: 6 }, () => server.factories.activeMember(community)));
    const peer = await startPeerServer(server);
    peers.push(peer);
    const seen: string[] = [];
    const consumer = { name: 'test-recorder', consume: async (_em: unknown, events: StoredEvent[]) => void seen.push(...events.filter((e) => e.type === 'PostAdded').map((e) => e.id)) };
    server.app.services.dispatcher.add(consumer);
    peer.app.services.dispatcher.add(consumer);
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? peer : server).gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: `reply ${i}` } }, { token: repliers[i % 6]!.token })),
    );
    responses.forEach((response) => expectData(response));
    await Promise.all([server.app.services.dispatcher.drain(), peer.app.services.dispatcher.drain()]);
    await Promise.all([server.app.services.dispatcher.settled(), peer.app.services.dispatcher.settled()]);
    const rows = await server.em().execute<{ id: string }[]>(`select id from domain_event where type = 'PostAdded' and payload->>'threadId' = ?`, [thread.thread.id]);
    expect(rows).toHaveLength(30);
    const mine = rows.map((row) => String(row.id)).sort();
    const handled = seen.filter((id) => mine.includes(id)).sort();
    expect(handled).toEqual(mine);
  });

  it('prunes dispatched events past their retention, never one still waiting for dispatch', async () => {
    const em = server.em();
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const rows = await em.execute<{ id: string }[]>(
      `insert into domain_event (type, payload, created_at, dispatched_at) values ('MemberSignedUp', '{}', ?, ?), ('MemberSignedUp', '{}', ?, null), ('MemberSignedUp', '{}', now(), now()) returning id`,
      [old, old, old],
    );
    // The undispatched one must not be dispatched by the running dispatcher before the prune looks.
    await em.transactional(async (tem) => {
      await tem.execute(`select 1 from domain_event where id = ? for update`, [rows[1]!.id]);
      await pruneEventLogs(server.em());
    });
    const left = await server.em().execute<{ id: string }[]>(`select id from domain_event where id in (?, ?, ?) order by id`, rows.map((row) => row.id));
    expect(left.map((row) => String(row.id))).toEqual([String(rows[1]!.id), String(rows[2]!.id)]);
  });
});
