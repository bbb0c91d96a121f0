import type { OutgoingMail } from '../../src/mail/mailer';
import { startTestServer, type TestServer } from '../support/server';
import type { BuiltMember } from '../support/factories';

/**
 * The email job works its jobs in batches (one fetch of up to EMAIL_BATCH_SIZE): every rule is still decided per
 * recipient, each job settles on its own, and the reads are per batch, not per email.
 */
const DELAY_SECONDS = 3600;
let server: TestServer;
const sent: OutgoingMail[] = [];
/** Addresses whose next send fails (once each). */
const failNext = new Set<string>();
beforeAll(async () => {
  server = await startTestServer({ EMAIL_DELAY_SECONDS: String(DELAY_SECONDS), PUBLIC_URL: 'https://hub.example.org' });
  server.app.services.mailer = {
    send: async (mail) => {
      if (failNext.delete(mail.to)) throw new Error('421 Service not available, try again later');
      sent.push(mail);
    },
    close: async () => undefined,
  };
});
afterAll(() => server.close());
beforeEach(() => {
  sent.length = 0;
  failNext.clear();
});

type Community = Awaited<ReturnType<TestServer['factories']['community']>>;
const sentTo = (member: BuiltMember) => sent.filter((mail) => mail.memberId === member.member.id);
const setEmail = (member: BuiltMember, value: string) => server.em().execute('update member set email_notifications = ? where id = ?', [value, member.member.id]);

/** A notification made as the fan-out makes it (the email job reads only the row). */
async function notify(member: BuiltMember, kind: string, community: Community, subject: { type: string; id: string }): Promise<string> {
  const [row] = await server.em().execute<{ id: string }[]>(
    `insert into notification (id, recipient_id, kind, community_id, subject_type, subject_id, title) values (gen_random_uuid(), ?, ?, ?, ?, ?, ?) returning id`,
    [member.member.id, kind, community.community.id, subject.type, subject.id, `About ${subject.type}`],
  );
  return row!.id;
}

/** Enqueues the email jobs in one statement, so one fetch of the worker takes them all. */
const enqueue = (ids: string[]) => server.app.services.jobs.sendMany('notifications.email', ids.map((notificationId) => ({ data: { notificationId } })));

interface JobRow {
  id: string;
  notification_id: string;
  state: string;
  start_after: Date;
}
const jobsOf = (ids: string[]) =>
  server.em().execute<JobRow[]>(
    `select id, data->>'notificationId' as notification_id, state::text as state, start_after from pgboss.job where name = 'notifications.email' and data->>'notificationId' = any(?::text[])`,
    [`{${ids.join(',')}}`],
  );

/** Waits until no job of these notifications is due or running (a retry or a deferred copy waits for later). */
async function settled(ids: string[]): Promise<JobRow[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const jobs = await jobsOf(ids);
    const busy = jobs.filter((job) => job.state === 'active' || (job.state === 'created' && new Date(job.start_after).getTime() <= Date.now()));
    if (jobs.length >= ids.length && !busy.length) return jobs;
    if (Date.now() > deadline) throw new Error(`email jobs not settled: ${JSON.stringify(jobs)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function emailedAt(id: string): Promise<Date | null> {
  const [row] = await server.em().execute<{ emailed_at: Date | null }[]>('select emailed_at from notification where id = ?', [id]);
  return row!.emailed_at;
}

describe('the email job in batches', () => {
  it('decides every rule per recipient within one batch: membership preference, emailNotifications, rights, deleted posts, WHEN_AWAY, sent once', async () => {
    const open = await server.factories.community();
    const restricted = await server.factories.restrictedCommunity();
    const author = await server.factories.activeMember(open);
    await server.factories.membership(author, restricted);
    const openThread = await server.factories.thread(open, author);
    const restrictedThread = await server.factories.thread(restricted, author);
    const deletedPost = await server.factories.post(openThread, author);
    await server.em().execute('update post set deleted_at = now() where id = ?', [deletedPost.post.id]);

    const realtime = await server.factories.activeMember(open);
    const digest = await server.factories.activeMember(open);
    await server.em().execute(`update membership set notification_preference = 'DAILY_DIGEST' where member_id = ?`, [digest.member.id]);
    const insider = await server.factories.activeMember(restricted);
    const leaver = await server.factories.activeMember(restricted);
    await server.em().execute(`update membership set status = 'LEFT' where member_id = ?`, [leaver.member.id]);
    const never = await server.factories.activeMember(open);
    const ofDeleted = await server.factories.activeMember(open);
    const away = await server.factories.activeMember(open);
    const mailedBefore = await server.factories.activeMember(open);
    for (const member of [insider, leaver, ofDeleted, mailedBefore]) await setEmail(member, 'ALWAYS');
    await setEmail(never, 'NEVER');

    const thread = (t: typeof openThread) => ({ type: 'Thread', id: t.thread.id });
    const ids = {
      realtime: await notify(realtime, 'NEW_THREAD', open, thread(openThread)),
      digest: await notify(digest, 'NEW_THREAD', open, thread(openThread)),
      insider: await notify(insider, 'REPLY_TO_THREAD', restricted, thread(restrictedThread)),
      leaver: await notify(leaver, 'REPLY_TO_THREAD', restricted, thread(restrictedThread)),
      never: await notify(never, 'REPLY_TO_THREAD', open, thread(openThread)),
      ofDeleted: await notify(ofDeleted, 'REPLY_TO_POST', open, { type: 'Post', id: deletedPost.post.id }),
      away: await notify(away, 'REPLY_TO_THREAD', open, thread(openThread)),
      mailedBefore: await notify(mailedBefore, 'REPLY_TO_THREAD', open, thread(openThread)),
    };
    await server.em().execute('update notification set emailed_at = now() where id = ?', [ids.mailedBefore]);
    await enqueue(Object.values(ids));
    const jobs = await settled(Object.values(ids));

    expect(sent.map((mail) => mail.memberId).sort()).toEqual([realtime.member.id, insider.member.id].sort());
    expect(sentTo(insider)[0]).toMatchObject({ to: insider.email, category: 'notification:REPLY_TO_THREAD' });
    expect(await emailedAt(ids.realtime)).not.toBeNull();
    expect(await emailedAt(ids.insider)).not.toBeNull();
    for (const skipped of [ids.digest, ids.leaver, ids.never, ids.ofDeleted, ids.away]) expect(await emailedAt(skipped)).toBeNull();
    // WHEN_AWAY, not yet due: its job completed and a copy waits for the delay.
    const awayJobs = jobs.filter((job) => job.notification_id === ids.away);
    expect(awayJobs.map((job) => job.state).sort()).toEqual(['completed', 'created']);
    const deferred = awayJobs.find((job) => job.state === 'created')!;
    expect(new Date(deferred.start_after).getTime()).toBeGreaterThan(Date.now() + (DELAY_SECONDS - 60) * 1000);
    expect(jobs.filter((job) => job.notification_id !== ids.away).every((job) => job.state === 'completed')).toBe(true);
  });

  it('a failed send releases its own claim only and fails its own job only, which is retried and then sent once', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const members = [];
    for (let i = 0; i < 5; i += 1) members.push(await server.factories.activeMember(community));
    const ids: string[] = [];
    for (const member of members) ids.push(await notify(member, 'NEW_THREAD', community, { type: 'Thread', id: thread.thread.id }));
    const failing = members[2]!;
    failNext.add(failing.email);
    await enqueue(ids);
    const jobs = await settled(ids);

    const failingJob = jobs.find((job) => job.notification_id === ids[2])!;
    expect(failingJob.state).toBe('retry');
    expect(jobs.filter((job) => job !== failingJob).map((job) => job.state)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(await emailedAt(ids[2]!)).toBeNull();
    for (const [i, member] of members.entries()) {
      expect(sentTo(member)).toHaveLength(i === 2 ? 0 : 1);
      if (i !== 2) expect(await emailedAt(ids[i]!)).not.toBeNull();
    }
    // The retry (brought forward from its backoff) sends it; the others are not sent again.
    await server.em().execute('update pgboss.job set start_after = now() where id = ?', [failingJob.id]);
    const deadline = Date.now() + 15_000;
    while ((await jobsOf([ids[2]!]))[0]!.state !== 'completed' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await jobsOf([ids[2]!]))[0]!.state).toBe('completed');
    for (const member of members) expect(sentTo(member)).toHaveLength(1);
    expect(await emailedAt(ids[2]!)).not.toBeNull();
  });

  it('a batch costs a few statements, not several per email', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const MEMBERS = 60;
    await server.em().execute(
      `with made as (insert into member (id, email, email_key, password_hash, display_name) ` +
        `select gen_random_uuid(), 'batch-' || g || '-' || ? || '@example.org', 'batch-' || g || '-' || ? || '@example.org', 'x', 'Member ' || g ` +
        `from generate_series(1, ${MEMBERS}) g returning id) ` +
        `insert into membership (id, member_id, community_id, status, notification_preference, joined_at) ` +
        `select gen_random_uuid(), made.id, ?, 'ACTIVE', 'REALTIME', now() from made`,
      [community.community.id, community.community.id, community.community.id],
    );
    const rows = await server.em().execute<{ id: string }[]>(
      `insert into notification (id, recipient_id, kind, community_id, subject_type, subject_id, title) ` +
        `select gen_random_uuid(), member_id, 'NEW_THREAD', community_id, 'Thread', ?, 'A new thread' from membership where community_id = ? and member_id <> ? returning id`,
      [thread.thread.id, community.community.id, author.member.id],
    );
    // Every statement on the ORM's connection, background work included (pg-boss's own are on its pool).
    const connection = server.app.services.orm.em.getConnection();
    const execute = connection.execute.bind(connection);
    const statements: string[] = [];
    connection.execute = ((query: unknown, ...rest: unknown[]) => {
      statements.push(String(query));
      return (execute as (...args: unknown[]) => unknown)(query, ...rest);
    }) as typeof connection.execute;
    try {
      await enqueue(rows.map((row) => row.id));
      await settled(rows.map((row) => row.id));
    } finally {
      connection.execute = execute;
    }
    expect(sent).toHaveLength(MEMBERS);
    expect(new Set(sent.map((mail) => mail.to)).size).toBe(MEMBERS);
    const own = statements.filter((sql) => !sql.includes('pgboss.job')); // this test's polling
    expect(own.filter((sql) => /update notification set emailed_at = now\(\)/.test(sql))).toHaveLength(1);
    // Per batch: the notifications, their recipients, a statement per kind of read, the claim (one email took about seven).
    expect(own.length).toBeLessThan(15);
  });
});
