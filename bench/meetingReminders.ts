/**
 * Meeting reminders benchmark (`npm run bench:meetings`), on a throw-away PostgreSQL database, two API instances
 * working the job queue and an SMTP sink in a process of its own. 10,000 reminders due in the same minute, twice:
 * 1. one meeting with BENCH_REMINDERS (10,000) members GOING: one reminder job fanning out to all of them;
 * 2. BENCH_MEETINGS (200) meetings with BENCH_REMINDERS / BENCH_MEETINGS members GOING each, all due at once: as many
 *    reminder jobs, worked by both instances side by side.
 * The meetings are scheduled through the API (which makes the reminder rows and queues their jobs for the due
 * time); the answers are written directly. Every member has `emailNotifications: ALWAYS`, so each reminder is an
 * in-app notification and an email. Measured from the due time to the last notification and to the last email;
 * checked: one notification per member, no member mailed twice, every reminder row sent once.
 *
 * Environment (all optional): BENCH_DATABASE_URL, BENCH_DATABASE_NAME (default practicehub_bench_meetings),
 * BENCH_REMINDERS, BENCH_MEETINGS, BENCH_WRITE_RESULTS, BENCH_DEBUG (progress every poll).
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import type { Em } from '../src/db/orm';
import { EMAIL_BATCH_SIZE } from '../src/modules/notifications/email/emailJob';
import { toGlobalId } from '../src/shared/ids';
import type { App } from '../src/server/app';
import { serverVersion } from './support/database';
import { gql, insertCommunity, insertMembers, joinCommunity, startMailBench } from './support/mailBench';
import { describeMachine, fixed, table, type Machine } from './support/report';
import { CleanUps, runBenchmark } from './support/runner';
import { benchSettings } from './support/settings';
import type { SmtpSink } from './support/smtpSink';

const SECTION = '## Meeting reminders (npm run bench:meetings)';
const log = (message: string) => console.log(`[bench:meetings] ${message}`);
const cleanups = new CleanUps('bench:meetings');

const REMINDERS = Number(process.env.BENCH_REMINDERS || 10_000);
const MEETINGS = Number(process.env.BENCH_MEETINGS || 200);
const TARGET_SECONDS = 60;

const SCHEDULE = 'mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }';

const count = async (em: Em, sql: string, params: unknown[] = []) => Number((await (em.fork() as Em).execute<{ n: string }[]>(sql, params))[0]!.n);

/** Members `<prefix><n>@bench.example`, ALWAYS emailed, ACTIVE in the community without community mail (NONE). */
async function insertAttendees(em: Em, prefix: string, total: number, communityId: string): Promise<void> {
  await insertMembers(em, prefix, total, 'ALWAYS');
  await joinCommunity(em, communityId, `${prefix}%`, 'NONE');
}

interface Scenario {
  name: string;
  meetings: number;
  reminders: number;
  notifications: number;
  distinctRecipients: number;
  emails: number;
  mailedTwice: number;
  rowsSent: number;
  notifiedSeconds: number;
  mailedSeconds: number;
}

async function runScenario(apps: App[], sink: SmtpSink, staffToken: string, communityId: string, name: string, prefix: string, meetings: number): Promise<Scenario> {
  const [one] = apps;
  const em = one!.services.orm.em.fork() as Em;
  await insertAttendees(em, prefix, REMINDERS, communityId);
  // Every reminder falls due at the same instant, far enough ahead for the scheduling below.
  const dueAt = new Date(Math.ceil((Date.now() + 20_000 + meetings * 150) / 1000) * 1000);
  const startsAt = new Date(dueAt.getTime() + 60 * 60_000).toISOString();
  const ids: string[] = [];
  for (let i = 0; i < meetings; i += 1) {
    const { data } = await gql(apps[i % apps.length]!, staffToken, SCHEDULE, {
      input: { communityId: toGlobalId('Community', communityId), kind: 'MEETUP', title: `${name} ${i + 1}`, startsAt, reminderMinutesBefore: [60] },
    });
    ids.push(Buffer.from(data.scheduleMeeting!.id, 'base64url').toString().split(':')[1]!);
  }
  // Members spread evenly over the meetings, each GOING to one.
  await em.execute(
    `insert into meeting_rsvp (id, meeting_id, member_id, status) ` +
      `select gen_random_uuid(), (?::uuid[])[1 + (m.n % ?)], m.id, 'GOING' from (select id, row_number() over (order by email) as n from member where email like ?) m`,
    [`{${ids.join(',')}}`, meetings, `${prefix}%`],
  );
  await sink.reset();
  const wait = dueAt.getTime() - Date.now();
  if (wait < 1_000) throw new Error(`setup took too long: the reminders fell due ${-wait} ms before it finished`);
  log(`${name}: ${meetings} meetings, ${REMINDERS} members GOING; reminders due in ${fixed(wait / 1000)} s`);
  const subject = `subject_id = any(?::uuid[]) and kind = 'MEETING_REMINDER'`;
  let notifiedAt = 0;
  for (;;) {
    const notified = await count(em, `select count(*) as n from notification where ${subject}`, [`{${ids.join(',')}}`]);
    if (notified >= REMINDERS && !notifiedAt) notifiedAt = Date.now();
    const stats = await sink.stats(prefix);
    if (process.env.BENCH_DEBUG) log(`t=${Date.now() - dueAt.getTime()} notified=${notified} emails=${stats.count}`);
    if (notifiedAt && stats.count >= REMINDERS) break;
    if (Date.now() - dueAt.getTime() > 900_000) throw new Error(`${name}: after 900 s, ${notified} notifications and ${stats.count} emails of ${REMINDERS}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Settle: anything sent twice would arrive now.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const stats = await sink.stats(prefix);
  const params = [`{${ids.join(',')}}`];
  return {
    name,
    meetings,
    reminders: REMINDERS,
    notifications: await count(em, `select count(*) as n from notification where ${subject}`, params),
    distinctRecipients: await count(em, `select count(distinct recipient_id) as n from notification where ${subject}`, params),
    emails: stats.count,
    mailedTwice: stats.repeated,
    rowsSent: await count(em, 'select count(*) as n from meeting_reminder where meeting_id = any(?::uuid[]) and sent_at is not null', params),
    notifiedSeconds: (notifiedAt - dueAt.getTime()) / 1000,
    mailedSeconds: (stats.last - dueAt.getTime()) / 1000,
  };
}

interface Results {
  machine: Machine;
  scenarios: Scenario[];
  /** The 1-minute load average before and after (other work on the machine skews the figures). */
  load: [number, number];
}

runBenchmark<Results>({
  name: 'bench:meetings',
  budgetSeconds: 2_400,
  writeResults: benchSettings().writeResults,
  cleanUp: () => cleanups.run(),
  async run() {
    const settings = { ...benchSettings(), databaseName: process.env.BENCH_DATABASE_NAME?.trim() || 'practicehub_bench_meetings' };
    const machine = describeMachine(await serverVersion(settings.adminUrl));
    const loadBefore = loadavg()[0]!;
    // Schedules that do not fire during the run: the reminders' own jobs are what is measured.
    const never = '0 0 1 1 *';
    const { sink, startInstance } = await startMailBench(settings, cleanups, {
      dataDir: '/tmp/practicehub-bench-meetings',
      env: { DIGEST_DAILY_CRON: never, DIGEST_WEEKLY_CRON: never, MEETING_REMINDERS_CRON: never, ANNUAL_MEETINGS_CRON: never },
    });
    const one = await startInstance();
    const two = await startInstance();
    const em = one.services.orm.em.fork() as Em;
    const [staff] = await em.execute<{ id: string }[]>(
      "insert into member (id, email, email_key, password_hash, display_name, org_role) values (gen_random_uuid(), 'staff@bench.example', 'staff@bench.example', 'x', 'Bench staff', 'STAFF') returning id",
    );
    const communityId = await insertCommunity(em, 'bench-meetings', 'Meetings');
    const token = await one.services.tokens.issue(staff!.id);
    const scenarios = [
      await runScenario([one, two], sink, token, communityId, 'One meeting', 'one', 1),
      await runScenario([one, two], sink, token, communityId, 'Many meetings', 'many', MEETINGS),
    ];
    return { machine, scenarios, load: [loadBefore, loadavg()[0]!] };
  },
  report({ machine, scenarios, load }) {
    // The target covers the in-app reminders and their emails alike: all within TARGET_SECONDS of the due time, once
    // each. Each is reported on its own.
    const once = (s: Scenario) => s.notifications === s.reminders && s.distinctRecipients === s.reminders && s.rowsSent === s.meetings;
    const inApp = (s: Scenario) => (once(s) && s.notifiedSeconds <= TARGET_SECONDS ? 'met' : 'NOT met');
    const mailed = (s: Scenario) => (s.emails === s.reminders && s.mailedTwice === 0 && s.mailedSeconds <= TARGET_SECONDS ? 'met' : 'NOT met');
    const perSecond = (s: Scenario) => fixed(s.emails / Math.max(s.mailedSeconds, 0.001), 0);
    const summary = scenarios.map(
      (s) =>
        `${s.name}: ${s.notifications} notifications (${s.distinctRecipients} members) in ${fixed(s.notifiedSeconds, 2)} s (${inApp(s)}); ` +
        `${s.emails} emails in ${fixed(s.mailedSeconds, 2)} s after the due time = ${perSecond(s)}/s (${mailed(s)}), ${s.mailedTwice} mailed twice, ${s.rowsSent}/${s.meetings} reminders sent`,
    );
    const body = [
      `Machine: ${machine.cpu} × ${machine.cpuCount}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, ${machine.postgres.split(' on ')[0]}.`,
      `Command: \`npm run bench:meetings\` (BENCH_REMINDERS=${REMINDERS}, BENCH_MEETINGS=${MEETINGS}); two API instances on one database both working the queue; SMTP sink in a separate process on loopback.`,
      `Date: ${new Date().toISOString()}; load average (1 min) ${fixed(load[0], 2)} before and ${fixed(load[1], 2)} after the run (the run itself loads both cores; other work on the machine slows the email part most).`,
      '',
      `${REMINDERS.toLocaleString('en-US')} reminders due in the same second, each an in-app MEETING_REMINDER and an email (every member has emailNotifications ALWAYS). ` +
        'The meetings are scheduled through `scheduleMeeting`, which makes the reminder rows and queues one job per reminder for its due time; answers are written directly. ' +
        'Seconds are from the due time to the last notification committed and to the last email received. The target (all sent within ' +
        `${TARGET_SECONDS} s, once each) covers both the in-app reminders and their emails.`,
      '',
      table(
        ['scenario', 'reminder jobs', 'notifications', 'members', 'all notified (s)', `in-app ≤ ${TARGET_SECONDS} s, once each`, 'emails', 'mailed twice', 'all mailed (s)', 'emails/s', `emails ≤ ${TARGET_SECONDS} s`],
        scenarios.map((s) => [
          s.name,
          String(s.meetings),
          String(s.notifications),
          String(s.distinctRecipients),
          fixed(s.notifiedSeconds, 2),
          inApp(s),
          String(s.emails),
          String(s.mailedTwice),
          fixed(s.mailedSeconds, 2),
          perSecond(s),
          mailed(s),
        ]),
      ),
      '',
      'The in-app notifications of one reminder are made by one INSERT … SELECT keyed by (event, recipient, kind) in the transaction that claims the reminder row, so the notified time is the claim plus that statement. ' +
        `The emails are the shared notification email jobs, worked ${EMAIL_BATCH_SIZE} at a time per instance: per batch one statement each reads the notifications, their recipients, ` +
        "their memberships, the communities and the meetings (every recipient's rights, preferences and time zone still checked on their own), one claims the batch, " +
        'and the mails go out side by side over the pooled SMTP connections. Composing and writing each message (nodemailer) is now most of the email time.',
    ].join('\n');
    return { summary, heading: SECTION, body };
  },
});
