/**
 * Notifications benchmark (`npm run bench:notify`), on a throw-away PostgreSQL database and an SMTP sink in a
 * process of its own:
 * 1. Command latency against the number of recipients: replies and new threads in a community of BENCH_BIG (5,000)
 *    REALTIME members and in one of 10, alternating; the fan-out (notifications and REALTIME mail) runs in jobs,
 *    so the commands should not care. Also how long the fan-out of one new thread to the big community takes.
 * 2. A daily digest for BENCH_DIGEST_MEMBERS (20,000) members over 5 communities with a day of activity, run by two
 *    API instances at once through the job queue: emails per second, and no member mailed twice.
 *
 * Environment (all optional): BENCH_DATABASE_URL, BENCH_DATABASE_NAME (default practicehub_bench_notify),
 * BENCH_BIG, BENCH_DIGEST_MEMBERS, BENCH_ROUNDS (latency rounds, default 40), BENCH_WRITE_RESULTS.
 */
import 'reflect-metadata';
import type { Em } from '../src/db/orm';
import { startDigestRun } from '../src/modules/digests/runDigest';
import { DigestFrequency } from '../src/modules/digests/digest.types';
import { toGlobalId } from '../src/shared/ids';
import type { App } from '../src/server/app';
import { serverVersion } from './support/database';
import { gql, insertCommunity, insertMembers, joinCommunity, startMailBench } from './support/mailBench';
import { describeMachine, fixed, table, type Machine } from './support/report';
import { CleanUps, runBenchmark } from './support/runner';
import { benchSettings } from './support/settings';
import type { SmtpSink } from './support/smtpSink';

const SECTION = '## Notifications and digests (npm run bench:notify)';
const log = (message: string) => console.log(`[bench:notify] ${message}`);
const cleanups = new CleanUps('bench:notify');

const env = process.env;
const BIG = Number(env.BENCH_BIG || 5_000);
const DIGEST_MEMBERS = Number(env.BENCH_DIGEST_MEMBERS || 20_000);
const ROUNDS = Number(env.BENCH_ROUNDS || 40);
const TARGET_EMAILS_PER_SECOND = 500;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

const REPLY = 'mutation ($input: ReplyInput!) { replyToThread(input: $input) { id } }';
const START = 'mutation ($input: StartThreadInput!) { startThread(input: $input) { id } }';

interface LatencyResults {
  reply: { small: number[]; big: number[] };
  thread: { small: number[]; big: number[] };
  fanoutMs: number;
  fanoutNotifications: number;
  fanoutEmails: number;
}

async function measureLatency(app: App, sink: SmtpSink): Promise<LatencyResults> {
  const em = app.services.orm.em.fork() as Em;
  await insertMembers(em, 'big', BIG);
  await insertMembers(em, 'small', 10);
  await insertMembers(em, 'actor', 2);
  const big = await insertCommunity(em, 'bench-big', 'Big community');
  const small = await insertCommunity(em, 'bench-small', 'Small community');
  for (const [community, like] of [
    [big, 'big%'],
    [small, 'small%'],
    [big, 'actor%'],
    [small, 'actor%'],
  ] as const) {
    await joinCommunity(em, community, like, 'REALTIME');
  }
  const [author, replier] = await em.execute<{ id: string }[]>(`select id from member where email like 'actor%' order by email`);
  const authorToken = await app.services.tokens.issue(author!.id);
  const replierToken = await app.services.tokens.issue(replier!.id);
  const threads: Record<'big' | 'small', string> = { big: '', small: '' };
  for (const [key, community] of [
    ['big', big],
    ['small', small],
  ] as const) {
    const { data } = await gql(app, authorToken, START, {
      input: { communityId: toGlobalId('Community', community), title: `Welcome to ${key}`, body: 'Say hello', kind: 'DISCUSSION' },
    });
    threads[key] = data.startThread!.id;
  }
  const results: LatencyResults = { reply: { small: [], big: [] }, thread: { small: [], big: [] }, fanoutMs: 0, fanoutNotifications: 0, fanoutEmails: 0 };
  // Warm up both paths, then alternate the order each round so neither side always goes first.
  for (let round = -3; round < ROUNDS; round += 1) {
    const order = round % 2 ? (['big', 'small'] as const) : (['small', 'big'] as const);
    for (const key of order) {
      const { ms } = await gql(app, replierToken, REPLY, { input: { threadId: threads[key], body: `Reply ${round}` } });
      if (round >= 0) results.reply[key].push(ms);
    }
  }
  for (let round = -2; round < Math.max(10, ROUNDS / 4); round += 1) {
    const order = round % 2 ? (['big', 'small'] as const) : (['small', 'big'] as const);
    for (const key of order) {
      const community = key === 'big' ? big : small;
      const { ms } = await gql(app, replierToken, START, {
        input: { communityId: toGlobalId('Community', community), title: `Question ${round}`, body: 'What do you think?', kind: 'DISCUSSION' },
      });
      if (round >= 0) results.thread[key].push(ms);
    }
  }
  // One more thread in the big community, alone, timed to the last notification and the last email.
  log('waiting for the earlier fan-out to finish');
  await waitForQuiet(app, sink);
  log('fan-out of one thread to the big community');
  await sink.reset();
  const started = Date.now();
  const { data } = await gql(app, replierToken, START, {
    input: { communityId: toGlobalId('Community', big), title: 'The fan-out one', body: 'Everyone hears this', kind: 'DISCUSSION' },
  });
  const threadId = data.startThread!.id;
  const [, uuid] = Buffer.from(threadId, 'base64url').toString('utf8').split(':');
  const expected = BIG + 1; // every big member and the author (the replier started it)
  for (;;) {
    const [row] = await (em.fork() as Em).execute<{ count: string }[]>(`select count(*) from notification where subject_id = ?`, [uuid]);
    const stats = await sink.stats();
    results.fanoutNotifications = Number(row!.count);
    results.fanoutEmails = stats.count;
    if (results.fanoutNotifications >= expected && stats.count >= expected) {
      results.fanoutMs = stats.last - started;
      break;
    }
    if (Date.now() - started > 300_000) throw new Error(`fan-out incomplete after 300 s: ${results.fanoutNotifications} notifications, ${stats.count} emails`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return results;
}

/** Waits until the queue has nothing left to do now (no job active or due) and the sink stopped receiving. */
async function waitForQuiet(app: App, sink: SmtpSink): Promise<void> {
  let previous = -1;
  for (;;) {
    const [row] = await (app.services.orm.em.fork() as Em).execute<{ count: string }[]>(
      // Delayed jobs (WHEN_AWAY emails of replies) wait EMAIL_DELAY_SECONDS: not work to wait for.
      `select count(*) from pgboss.job where state = 'active' or (state in ('created', 'retry') and start_after <= now())`,
    );
    const { count } = await sink.stats();
    if (Number(row!.count) === 0 && count === previous) return;
    previous = count;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

interface DigestResults {
  members: number;
  emails: number;
  recipients: number;
  repeated: number;
  seconds: number;
  perSecond: number;
  claimedBy: number;
}

async function measureDigest(one: App, two: App, sink: SmtpSink): Promise<DigestResults> {
  const em = one.services.orm.em.fork() as Em;
  await insertMembers(em, 'digest', DIGEST_MEMBERS);
  const communities: string[] = [];
  for (let c = 1; c <= 5; c += 1) communities.push(await insertCommunity(em, `bench-digest-${c}`, `Digest community ${c}`));
  // Each member in one to three of the five communities, by their number.
  await em.execute(
    `insert into membership (id, member_id, community_id, status, notification_preference, joined_at) ` +
      `select gen_random_uuid(), m.id, c.id, 'ACTIVE', 'DAILY_DIGEST', now() - interval '30 days' ` +
      `from (select id, row_number() over (order by email) as n from member where email like 'digest%') m ` +
      `join (select id, row_number() over (order by slug) as k from community where slug like 'bench-digest-%') c ` +
      `on c.k = 1 + (m.n % 5) or (m.n % 3 = 0 and c.k = 1 + ((m.n + 2) % 5)) or (m.n % 7 = 0 and c.k = 1 + ((m.n + 4) % 5))`,
  );
  // A day of activity: 40 threads with replies and 15 resources per community, by its members.
  await em.execute(
    `insert into thread (id, community_id, author_id, title, body, kind, reply_count, created_at, last_activity_at) ` +
      `select gen_random_uuid(), c.id, (select member_id from membership where community_id = c.id offset t limit 1), ` +
      `'Thread ' || t || ' about reading', 'What works for you?', 'DISCUSSION', t % 9, now() - (t || ' minutes')::interval * 20, now() - (t || ' minutes')::interval * 10 ` +
      `from community c cross join generate_series(1, 40) t where c.slug like 'bench-digest-%'`,
  );
  await em.execute(
    `insert into resource (id, community_id, shared_by_id, title, url, description, kind, created_at) ` +
      `select gen_random_uuid(), c.id, (select member_id from membership where community_id = c.id offset 100 + r limit 1), ` +
      `'Resource ' || r, 'https://example.org/resource/' || r, 'A useful link', 'LINK', now() - (r || ' minutes')::interval * 30 ` +
      `from community c cross join generate_series(1, 15) r where c.slug like 'bench-digest-%'`,
  );
  log('digest data seeded');
  const [{ members }] = (await em.execute(`select count(distinct member_id) as members from membership where notification_preference = 'DAILY_DIGEST'`)) as { members: string }[];
  await waitForQuiet(one, sink);
  await sink.reset();
  const now = new Date();
  const started = Date.now();
  // The schedule fires on both instances at once: one claims the period, both work its batch jobs.
  const runs = await Promise.all([one, two].map((app) => startDigestRun(app.services, DigestFrequency.DAILY, now, { enqueue: true })));
  const expected = Number(members);
  for (;;) {
    const stats = await sink.stats('digest');
    if (stats.count >= expected) break;
    if (Date.now() - started > 600_000) throw new Error(`digest incomplete after 600 s: ${stats.count} of ${expected}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await waitForQuiet(one, sink);
  const stats = await sink.stats('digest');
  const seconds = (stats.last - started) / 1000;
  return {
    members: expected,
    emails: stats.count,
    recipients: stats.recipients,
    repeated: stats.repeated,
    seconds,
    perSecond: stats.count / seconds,
    claimedBy: runs.filter((run) => run.claimed).length,
  };
}

interface Results {
  machine: Machine;
  latency: LatencyResults;
  digest: DigestResults;
}

runBenchmark<Results>({
  name: 'bench:notify',
  budgetSeconds: 1_800,
  writeResults: benchSettings().writeResults,
  cleanUp: () => cleanups.run(),
  async run() {
    const settings = { ...benchSettings(), databaseName: process.env.BENCH_DATABASE_NAME?.trim() || 'practicehub_bench_notify' };
    const machine = describeMachine(await serverVersion(settings.adminUrl));
    // Cron expressions that do not fire during the run: the benchmark starts the digest itself.
    const { sink, startInstance } = await startMailBench(settings, cleanups, {
      dataDir: '/tmp/practicehub-bench-notify',
      env: { DIGEST_DAILY_CRON: '0 0 1 1 *', DIGEST_WEEKLY_CRON: '0 0 1 1 *' },
    });
    const one = await startInstance();
    log(`latency: ${BIG} REALTIME members against 10, ${ROUNDS} rounds`);
    const latency = await measureLatency(one, sink);
    const two = await startInstance();
    log(`digest: ${DIGEST_MEMBERS} members over 5 communities, two instances`);
    const digest = await measureDigest(one, two, sink);
    return { machine, latency, digest };
  },
  report({ machine, latency, digest }) {
    const p = (values: number[]) => `${fixed(percentile(values, 50))} / ${fixed(percentile(values, 95))}`;
    const ratio = (big: number[], small: number[]) => fixed(percentile(big, 50) / percentile(small, 50), 2);
    const latencyTable = table(
      ['command', `p50 / p95 ms, ${BIG} REALTIME members`, 'p50 / p95 ms, 10 members', 'p50 ratio'],
      [
        ['replyToThread', p(latency.reply.big), p(latency.reply.small), ratio(latency.reply.big, latency.reply.small)],
        ['startThread', p(latency.thread.big), p(latency.thread.small), ratio(latency.thread.big, latency.thread.small)],
      ],
    );
    const met = digest.perSecond >= TARGET_EMAILS_PER_SECOND && digest.repeated === 0 && digest.emails === digest.members;
    const summary = [
      `replyToThread p50 ${fixed(percentile(latency.reply.big, 50))} ms (big) vs ${fixed(percentile(latency.reply.small, 50))} ms (small)`,
      `startThread p50 ${fixed(percentile(latency.thread.big, 50))} ms (big) vs ${fixed(percentile(latency.thread.small, 50))} ms (small)`,
      `fan-out of one thread to ${BIG}: ${latency.fanoutNotifications} notifications and ${latency.fanoutEmails} emails in ${fixed(latency.fanoutMs / 1000, 2)} s`,
      `digest: ${digest.emails} emails for ${digest.members} members in ${fixed(digest.seconds, 1)} s = ${fixed(digest.perSecond, 0)}/s, ${digest.repeated} mailed twice, period claimed by ${digest.claimedBy} of 2 instances`,
    ];
    const body = [
      `Machine: ${machine.cpu} × ${machine.cpuCount}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, ${machine.postgres.split(' on ')[0]}.`,
      `Command: \`npm run bench:notify\` (BENCH_BIG=${BIG}, BENCH_DIGEST_MEMBERS=${DIGEST_MEMBERS}, BENCH_ROUNDS=${ROUNDS}); SMTP sink in a separate process on loopback.`,
      '',
      '### Command latency against the number of recipients',
      '',
      `Sequential mutations over HTTP, alternating between the two communities; fan-out jobs run in the same process meanwhile.`,
      '',
      latencyTable,
      '',
      `The fan-out of one new thread to the ${BIG}-member community (run alone): ${latency.fanoutNotifications} in-app notifications and ${latency.fanoutEmails} REALTIME emails, the last email ${fixed(latency.fanoutMs / 1000, 2)} s after the command returned.`,
      '',
      '### Daily digest, two instances',
      '',
      table(
        ['members', 'emails', 'distinct recipients', 'mailed twice', 'seconds', 'emails/s', 'target'],
        [[String(digest.members), String(digest.emails), String(digest.recipients), String(digest.repeated), fixed(digest.seconds, 1), fixed(digest.perSecond, 0), `≥ ${TARGET_EMAILS_PER_SECOND}/s: ${met ? 'met' : 'NOT met'}`]],
      ),
      '',
      `Both instances started the run for the same period at once (as a schedule firing on both); ${digest.claimedBy} claimed it, and both worked its batch jobs.`,
    ].join('\n');
    return { summary, heading: SECTION, body };
  },
});
