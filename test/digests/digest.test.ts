import { DateTime } from 'luxon';
import type { ParsedMail } from 'mailparser';
import { expectData, startTestApp, startTestServer, type TestServer } from '../support/server';
import { MembershipStatus, type BuiltMember } from '../support/factories';
import { UpdateMembershipDocument } from '../generated/graphql';
import { rawHeader as header, startSmtpSink, type SmtpSink } from '../support/smtp';
import { DIGEST_TEST_ENV, digestWorld } from './world';
import { runDigest, startDigestRun, DIGEST_BATCH_JOB } from '../../src/modules/digests/runDigest';
import { sendDigestBatch, STALE_CLAIM_MINUTES, type DigestBatch } from '../../src/modules/digests/commands/sendDigestBatch';
import { DigestFrequency } from '../../src/modules/digests/digest.types';
import { captureLogs } from '../support/logs';

let sink: SmtpSink;
let server: TestServer;
let world: ReturnType<typeof digestWorld>;
const ORG_TIME_ZONE = 'Asia/Tokyo';

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({ ...DIGEST_TEST_ENV, SMTP_URL: sink.url, ORG_TIME_ZONE });
  world = digestWorld(server);
});
afterAll(async () => {
  await server.close();
  await sink.close();
});
beforeEach(async () => {
  sink.reject = null;
  sink.acceptLimit = null;
  await world.newPeriod();
});

const run = (frequency: DigestFrequency = DigestFrequency.DAILY, now = new Date()) => runDigest(server.app.services, frequency, now);

describe('the daily digest', () => {
  it('is one email per member covering all their DAILY communities, with only what they may read now', async () => {
    const open = await server.factories.community({ name: 'Open Practice' });
    const restricted = await server.factories.restrictedCommunity();
    const left = await server.factories.restrictedCommunity();
    const weekly = await server.factories.community({ name: 'Weekly Only' });
    const author = await world.member([
      [open, 'REALTIME'],
      [restricted, 'REALTIME'],
      [left, 'REALTIME'],
      [weekly, 'REALTIME'],
    ]);
    const reader = await world.member([
      [open, 'DAILY_DIGEST'],
      [restricted, 'DAILY_DIGEST'],
      [left, 'DAILY_DIGEST'],
      [weekly, 'WEEKLY_DIGEST'],
    ]);
    await world.leave(reader, left);
    // A PENDING request to join a RESTRICTED community, already set to the daily digest.
    const pending = await server.factories.restrictedCommunity();
    await world.join(author, pending, 'REALTIME');
    await server.factories.membership(reader, pending, { status: MembershipStatus.PENDING });
    expectData(await server.gql(UpdateMembershipDocument, { input: { communityId: pending.id, notificationPreference: 'DAILY_DIGEST' } }, { token: reader.token }));

    const thread = await world.thread(author, open, 'Rubrics <b>& peer review</b>');
    await world.reply(author, thread.id);
    await world.reply(author, thread.id);
    const restrictedThread = await world.thread(author, restricted, 'Members-only planning');
    const resource = await world.share(author, restricted, 'Assessment toolkit', 'https://example.org/toolkit');
    await world.thread(author, left, 'Secret after leaving');
    await world.thread(author, weekly, 'Only in the weekly digest');
    await world.thread(author, pending, 'Not yet approved');

    const result = await run();
    expect(result.claimed).toBe(true);
    const mails = sink.to(reader.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails as [ParsedMail];
    expect(mail.subject).toContain('daily');
    expect(mail.subject).toContain('2 communities');

    const text = mail.text!;
    const html = mail.html as string;
    expect(text).toContain('## Open Practice');
    expect(text).toContain('Rubrics <b>& peer review</b>');
    expect(text).toContain(`by ${author.member.displayName}`);
    expect(text).toContain('2 replies');
    expect(text).toContain(`https://hub.example.org/demo#c=${open.community.slug}&t=${encodeURIComponent(thread.id)}`);
    expect(text).toContain(`https://hub.example.org/demo#c=${restricted.community.slug}&t=${encodeURIComponent(restrictedThread.id)}`);
    expect(text).toContain('Assessment toolkit');
    expect(text).toContain(resource.url);
    // The RESTRICTED community the member left, and the WEEKLY one, are not in it.
    expect(text).not.toContain('Secret after leaving');
    expect(html).not.toContain('Secret after leaving');
    expect(text).not.toContain('Only in the weekly digest');
    expect(text).not.toContain('Not yet approved');

    // HTML: every value escaped, links to PUBLIC_URL.
    expect(html).toContain('Rubrics &lt;b&gt;&amp; peer review&lt;/b&gt;');
    expect(html).not.toContain('<b>& peer review');
    expect(html).toContain(`href="https://hub.example.org/demo#c=${open.community.slug}&amp;t=${encodeURIComponent(thread.id)}"`);

    // Times in the member's zone (none set: the organisation's), with the zone named.
    const started = DateTime.fromISO(thread.createdAt).setZone(ORG_TIME_ZONE).setLocale('en-US').toFormat('ccc d LLL yyyy, HH:mm');
    expect(text).toContain(`${started} Asia/Tokyo`);

    // One-click unsubscribe (RFC 8058) for this digest.
    expect(header(mail, 'List-Unsubscribe')).toMatch(/^<https:\/\/hub\.example\.org\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}>$/);
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.from?.text).toContain('no-reply@practicehub.localhost');
  });

  it('sends nothing to a member with nothing new (their own activity does not count), and records the period', async () => {
    const community = await server.factories.community();
    const quiet = await world.member([[community, 'DAILY_DIGEST']]);
    await world.thread(quiet, community, 'My own thread');
    const before = sink.messages.length;
    const result = await run();
    expect(result.claimed).toBe(true);
    expect(sink.to(quiet.email)).toHaveLength(0);
    expect(sink.messages.length).toBe(before);
    const deliveries = await world.deliveries(quiet);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.mailed).toBe(false);
  });

  it('runs once per period: a second call, a retried batch and a second instance send nothing twice', async () => {
    const community = await server.factories.community();
    const author = await world.member([[community, 'REALTIME']]);
    const readers = await Promise.all([1, 2, 3].map(() => world.member([[community, 'DAILY_DIGEST']])));
    await world.thread(author, community, 'Once only');

    // Two instances on one database, firing at the same moment.
    const second = await startTestApp(server.config, server.databaseName);
    try {
      const now = new Date();
      const results = await Promise.all([runDigest(server.app.services, DigestFrequency.DAILY, now), runDigest(second.app.services, DigestFrequency.DAILY, now)]);
      expect(results.map((r) => r.claimed).sort()).toEqual([false, true]);
      expect((await run(DigestFrequency.DAILY, now)).claimed).toBe(false);
    } finally {
      await second.close();
    }
    for (const reader of readers) expect(sink.to(reader.email)).toHaveLength(1);

    // A batch worked again (a retry after a crash) skips everyone already done.
    await world.newPeriod();
    const again = await startDigestRun(server.app.services, DigestFrequency.DAILY, new Date(), { enqueue: false });
    const ours = again.batches.filter((batch) => readers.some((reader) => batch.memberIds.includes(reader.member.id)));
    expect(ours.length).toBeGreaterThan(0);
    for (const batch of ours) expect((await sendDigestBatch(server.app.services, batch)).mailed).toBe(0);
    for (const reader of readers) expect(sink.to(reader.email)).toHaveLength(1);
  });

  it('starts the next digest where the previous one ended: only newer items', async () => {
    const community = await server.factories.community();
    const author = await world.member([[community, 'REALTIME']]);
    const reader = await world.member([[community, 'DAILY_DIGEST']]);
    const first = await world.thread(author, community, 'First day thread');
    const firstRun = new Date();
    await run(DigestFrequency.DAILY, firstRun);
    expect(sink.to(reader.email)).toHaveLength(1);

    await world.reply(author, first.id, 'A late reply');
    await world.thread(author, community, 'Second day thread');
    await world.share(author, community, 'Second day reading', 'https://example.org/second');
    const secondRun = new Date(Date.now() + 24 * 3600_000);
    await run(DigestFrequency.DAILY, secondRun);
    const mails = sink.to(reader.email);
    expect(mails).toHaveLength(2);
    const text = mails[1]!.text!;
    expect(text).toContain('Second day thread');
    expect(text).toContain('Second day reading');
    // The first thread is not new any more; its new reply is counted under "New replies".
    expect(text).not.toMatch(/New threads\n- First day thread/);
    expect(text).toMatch(/New replies\n- First day thread\n {2}1 new reply/);

    const deliveries = await world.deliveries(reader);
    expect(deliveries).toHaveLength(2);
    expect(deliveries[1]!.covered_from.getTime()).toBe(deliveries[0]!.covered_until.getTime());
    expect(deliveries[0]!.covered_until.getTime()).toBe(firstRun.getTime());
  });

  it('covers WEEKLY_DIGEST memberships in the weekly digest only', async () => {
    const community = await server.factories.community({ name: 'Weekly Circle' });
    const author = await world.member([[community, 'REALTIME']]);
    const reader = await world.member([[community, 'WEEKLY_DIGEST']]);
    await world.thread(author, community, 'A weekly topic');
    await run(DigestFrequency.DAILY);
    expect(sink.to(reader.email)).toHaveLength(0);
    await run(DigestFrequency.WEEKLY);
    const mails = sink.to(reader.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('weekly');
    expect(mails[0]!.text).toContain('A weekly topic');
  });
  it("shows times in the member's own time zone when they set one (Member.timeZone)", async () => {
    const hasColumn = (await server.em().execute(`select 1 from information_schema.columns where table_name = 'member' and column_name = 'time_zone'`)).length === 1;
    if (!hasColumn) {
      console.warn('member.time_zone is not in the schema yet: the member time zone digest test did not run');
      return;
    }
    const community = await server.factories.community();
    const author = await world.member([[community, 'REALTIME']]);
    const reader = await world.member([[community, 'DAILY_DIGEST']]);
    await server.em().execute(`update member set time_zone = 'Europe/Oslo' where id = ?`, [reader.member.id]);
    const thread = await world.thread(author, community, 'Zoned thread');
    await run();
    const text = sink.to(reader.email)[0]!.text!;
    const started = DateTime.fromISO(thread.createdAt).setZone('Europe/Oslo').setLocale('en-US').toFormat('ccc d LLL yyyy, HH:mm');
    expect(text).toContain(`${started} Europe/Oslo`);
    expect(text).not.toContain(ORG_TIME_ZONE);
  });
});

describe('a failing SMTP server', () => {
  it('fails the batch job, which is retried; nothing is recorded as sent until the mail goes out, once', async () => {
    const community = await server.factories.community();
    const author = await world.member([[community, 'REALTIME']]);
    const reader = await world.member([[community, 'DAILY_DIGEST']]);
    await world.thread(author, community, 'Delivered after a retry');
    sink.reject = { code: 451, message: 'Try again later' };
    const errors = captureLogs();
    try {
      const started = await startDigestRun(server.app.services, DigestFrequency.DAILY, new Date(), { enqueue: true });
      expect(started.claimed).toBe(true);
      const boss = server.app.services.jobs.raw;
      const deadline = Date.now() + 15_000;
      let jobs = await boss.findJobs(DIGEST_BATCH_JOB);
      while (!jobs.some((job) => job.state === 'retry') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        jobs = await boss.findJobs(DIGEST_BATCH_JOB);
      }
      const failing = jobs.find((job) => job.state === 'retry');
      expect(failing).toBeDefined();
      expect(sink.refused).toBeGreaterThan(0);
      expect(sink.to(reader.email)).toHaveLength(0);
      expect(await world.deliveries(reader)).toHaveLength(0);
      expect(errors.includes('digests not sent')).toBe(true);

      sink.reject = null;
      const waitUntil = Date.now() + 25_000;
      while (sink.to(reader.email).length === 0 && Date.now() < waitUntil) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sink.to(reader.email)).toHaveLength(1);
      const completed = (await boss.findJobs(DIGEST_BATCH_JOB, { id: failing!.id }))[0]!;
      expect(completed.retryCount).toBeGreaterThan(0);
      const deliveries = await world.deliveries(reader);
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]!.mailed).toBe(true);
    } finally {
      errors.restore();
    }
  }, 60_000);
});

describe('a batch that dies, expires or runs twice', () => {
  /** A community with `count` DAILY readers and something new, and the batches (of a fresh run) that hold them. */
  const setUp = async (count: number) => {
    const community = await server.factories.community();
    const author = await world.member([[community, 'REALTIME']]);
    const readers = await Promise.all(Array.from({ length: count }, () => world.member([[community, 'DAILY_DIGEST']])));
    await world.thread(author, community, 'Sent exactly once');
    const run = await startDigestRun(server.app.services, DigestFrequency.DAILY, new Date(), { enqueue: false });
    const batches = run.batches.filter((batch) => readers.some((reader) => batch.memberIds.includes(reader.member.id)));
    expect(batches.length).toBeGreaterThan(0);
    return { readers, batches };
  };
  const sendAll = (batches: DigestBatch[]) => Promise.all(batches.map((batch) => sendDigestBatch(server.app.services, batch)));
  const mailsTo = (readers: { email: string }[]) => readers.map((reader) => sink.to(reader.email).length);
  const waitFor = async (check: () => Promise<boolean>) => {
    const deadline = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  it('a mail server failing after some mails: those are recorded at once, the retry sends only the others, once each', async () => {
    const { readers, batches } = await setUp(5);
    const errors = captureLogs();
    try {
      sink.acceptLimit = sink.messages.length + 2;
      await expect(sendAll(batches)).rejects.toThrow('digest mails failed');
      expect(mailsTo(readers).sort()).toEqual([0, 0, 0, 1, 1]);
      for (const reader of readers) {
        const deliveries = await world.deliveries(reader);
        // Sent: recorded as mailed. Refused: the claim is given back, for the retry.
        if (sink.to(reader.email).length) expect(deliveries.map((d) => d.mailed)).toEqual([true]);
        else expect(deliveries).toHaveLength(0);
      }
      expect(errors.includes('3 of 5 digests not sent')).toBe(true);

      sink.acceptLimit = null;
      const retried = await sendAll(batches);
      expect(retried.reduce((sum, result) => sum + result.mailed, 0)).toBe(3);
      expect(mailsTo(readers)).toEqual([1, 1, 1, 1, 1]);
      for (const reader of readers) expect((await world.deliveries(reader)).map((d) => d.mailed)).toEqual([true]);
      // Worked once more (the job retried after all): nothing.
      expect((await sendAll(batches)).reduce((sum, result) => sum + result.mailed, 0)).toBe(0);
      expect(mailsTo(readers)).toEqual([1, 1, 1, 1, 1]);
    } finally {
      errors.restore();
    }
  });

  it('a worker dying mid-batch, its job handed to another: nothing sent twice; its unsent claims are taken over once stale', async () => {
    const { readers, batches } = await setUp(4);
    const services = server.app.services;
    const send = services.mailer.send.bind(services.mailer);
    const dead: (() => void)[] = [];
    let calls = 0;
    // The first worker sends two mails, then hangs (dies) before sending the others.
    const ours = new Set(readers.map((reader) => reader.member.id));
    const mailer = jest.spyOn(services.mailer, 'send').mockImplementation(async (mail) => {
      if (ours.has(mail.memberId) && calls++ >= 2) await new Promise<void>((_resolve, reject) => dead.push(() => reject(new Error('worker died'))));
      return send(mail);
    });
    const errors = captureLogs();
    const warnings = errors;
    const first = Promise.allSettled(batches.map((batch) => sendDigestBatch(services, batch)));
    try {
      const mailedRows = async () => (await Promise.all(readers.map((reader) => world.deliveries(reader)))).flat().filter((d) => d.mailed === true).length;
      await waitFor(async () => (await mailedRows()) === 2 && dead.length === 2);
      mailer.mockRestore();
      expect(mailsTo(readers).sort()).toEqual([0, 0, 1, 1]);

      // pg-boss expires the job and another worker takes it: it sends nothing already sent, nor what is claimed.
      await expect(sendAll(batches)).rejects.toThrow('claimed by another worker');
      expect(mailsTo(readers).sort()).toEqual([0, 0, 1, 1]);
      const claimed = readers.filter((reader) => !sink.to(reader.email).length);
      for (const reader of claimed) expect((await world.deliveries(reader)).map((d) => d.mailed)).toEqual([null]);
      expect(warnings.includes('2 digests are being sent by another worker')).toBe(true);

      // Later retries, once the dead worker's claims are older than STALE_CLAIM_MINUTES, send them: once.
      await server
        .em()
        .execute(`update digest_delivery set created_at = created_at - interval '${STALE_CLAIM_MINUTES + 1} minutes' where mailed is null and member_id = any(?::uuid[])`, [
          `{${claimed.map((reader) => reader.member.id).join(',')}}`,
        ]);
      const retried = await sendAll(batches);
      expect(retried.reduce((sum, result) => sum + result.mailed, 0)).toBe(2);
      expect(mailsTo(readers)).toEqual([1, 1, 1, 1]);
      for (const reader of claimed) {
        const [delivery, ...more] = await world.deliveries(reader);
        expect(more).toHaveLength(0);
        expect(delivery!.mailed).toBe(true);
        expect(delivery!.covered_until.toISOString()).toBe(batches[0]!.until);
        expect(sink.to(reader.email)[0]!.text).toContain('Sent exactly once');
      }
    } finally {
      for (const die of dead) die();
      const settled = await first;
      errors.restore();
      warnings.restore();
      mailer.mockRestore();
      expect(settled.every((result) => result.status === 'rejected')).toBe(true);
    }
    // The dead worker's sends failing at last gives back none of the claims it lost.
    expect(mailsTo(readers)).toEqual([1, 1, 1, 1]);
    for (const reader of readers) expect((await world.deliveries(reader)).map((d) => d.mailed)).toEqual([true]);
  });

  it('a claimed digest not sent yet does not move the next digest forward', async () => {
    const { readers, batches } = await setUp(1);
    const [reader] = readers as [BuiltMember];
    const until = new Date(Date.now() + 3600_000).toISOString();
    // A claim with a far-out span (as a worker leaves it before it sends), for a later period.
    await server.em().execute(
      `insert into digest_delivery (member_id, frequency, period_key, covered_from, covered_until, mailed) values (?, 'DAILY', 'digest:DAILY:claimed-elsewhere', ?, ?, null)`,
      [reader.member.id, until, until],
    );
    await sendAll(batches);
    const mailed = (await world.deliveries(reader)).filter((d) => d.mailed !== null);
    expect(mailed).toHaveLength(1);
    expect(sink.to(reader.email)).toHaveLength(1);
    expect(sink.to(reader.email)[0]!.text).toContain('Sent exactly once');
  });

  it('the same batch worked twice at once (a job expired while still running) mails each member once', async () => {
    const { readers, batches } = await setUp(6);
    const warnings = captureLogs();
    try {
      const results = await Promise.allSettled([sendAll(batches), sendAll(batches)]);
      expect(results.some((result) => result.status === 'fulfilled')).toBe(true);
      for (const result of results) if (result.status === 'rejected') expect(String(result.reason)).toContain('claimed by another worker');
    } finally {
      warnings.restore();
    }
    expect(mailsTo(readers)).toEqual([1, 1, 1, 1, 1, 1]);
    expect((await sendAll(batches)).reduce((sum, result) => sum + result.mailed, 0)).toBe(0);
    expect(mailsTo(readers)).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
