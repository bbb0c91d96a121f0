import { startTestServer, type TestServer } from '../support/server';
import { captureMail, fanOutAll, record } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ EMAIL_DELAY_SECONDS: '3600' });
  captureMail(server);
});
afterAll(() => server.close());

const MEMBERS = 5_000;

describe('fan-out at scale', () => {
  it('a thread start in a community of 5,000 REALTIME members is one INSERT … SELECT, not a statement per member', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    await server.em().execute(
      `with made as (insert into member (id, email, email_key, password_hash, display_name) ` +
        `select gen_random_uuid(), 'scale-' || g || '-' || ? || '@example.org', 'scale-' || g || '-' || ? || '@example.org', 'x', 'Member ' || g ` +
        `from generate_series(1, ${MEMBERS}) g returning id) ` +
        `insert into membership (id, member_id, community_id, status, notification_preference, joined_at) ` +
        `select gen_random_uuid(), made.id, ?, 'ACTIVE', 'REALTIME', now() from made`,
      [community.community.id, community.community.id, community.community.id],
    );
    const thread = await server.factories.thread(community, author);
    // The 5,000 email jobs are per recipient by design: keep their worker out of the fan-out's statement count.
    await server.app.services.jobs.raw.offWork('notifications.email');
    // Every statement on the ORM's connection, background work included (the jobs' are not in server.queries).
    const connection = server.app.services.orm.em.getConnection();
    const execute = connection.execute.bind(connection);
    const statements: string[] = [];
    connection.execute = ((query: unknown, ...rest: unknown[]) => {
      statements.push(String(query));
      return (execute as (...args: unknown[]) => unknown)(query, ...rest);
    }) as typeof connection.execute;
    let eventId: string;
    try {
      eventId = await record(server, author.member.id, { type: 'ThreadStarted', communityId: community.community.id, threadId: thread.thread.id });
      await fanOutAll(server);
    } finally {
      connection.execute = execute;
    }

    const [made] = await server.em().execute<{ n: string }[]>('select count(*) as n from notification where event_id = ?', [eventId]);
    expect(Number(made!.n)).toBe(MEMBERS);
    const [emails] = await server.em().execute<{ n: string }[]>(`select count(*) as n from pgboss.job where name = 'notifications.email'`);
    expect(Number(emails!.n)).toBe(MEMBERS);
    // Every notification is made, pushed (its NotificationAdded row) and reported back by one statement.
    expect(statements.filter((sql) => /insert into notification/.test(sql))).toHaveLength(1);
    // Nothing per recipient: the whole run (recording, dispatching 5,000 pushes in batches, the job) stays small.
    expect(statements.length).toBeLessThan(300);
    expect(statements.length).toBeGreaterThan(3);
  }, 60_000);
});
