import type { OutgoingMail } from '../../src/mail/mailer';
import { ThreadKind } from '../../src/modules/discussions/thread.entity';
import { MarkNotificationsReadDocument } from '../generated/graphql';
import { toGlobalId } from '../../src/shared/ids';
import { expectData, startTestServer, type TestServer } from '../support/server';
import type { BuiltMember } from '../support/factories';
import { fanOutAll, jobs, jobsDone, notificationsOf, record } from './support';

const DELAY_SECONDS = 2;

let server: TestServer;
/** What the jobs handed to the mailer (the mail transport itself is tested with the mail work). */
const sent: OutgoingMail[] = [];
beforeAll(async () => {
  server = await startTestServer({ EMAIL_DELAY_SECONDS: String(DELAY_SECONDS), PUBLIC_URL: 'https://hub.example.org' });
  server.app.services.mailer = { send: async (mail) => void sent.push(mail), close: async () => undefined };
});
afterAll(() => server.close());
beforeEach(() => {
  sent.length = 0;
});
/** Mail to these members only (jobs of earlier tests may still be running). */
const sentTo = (...members: BuiltMember[]) => sent.filter((mail) => members.some((member) => member.member.id === mail.memberId));

const setEmail = (member: BuiltMember, value: string) => server.em().execute('update member set email_notifications = ? where id = ?', [value, member.member.id]);

/** A reply to `author`'s thread, fanned out; returns the notification made for the author. */
async function replyTo(author: BuiltMember, community: Awaited<ReturnType<TestServer['factories']['community']>>, title = 'Story time') {
  const thread = await server.factories.thread(community, author, { title });
  const replier = await server.factories.activeMember(community);
  const reply = await server.factories.post(thread, replier);
  const eventId = await record(server, replier.member.id, {
    type: 'PostAdded', communityId: community.community.id, threadId: thread.thread.id, postId: reply.post.id, parentPostId: null,
  });
  await fanOutAll(server);
  const [notification] = await notificationsOf(server, eventId);
  return { notification: notification!, thread, replier };
}

const emailJobOf = async (notificationId: string) => (await jobs(server, 'notifications.email')).filter((job) => job.data.notificationId === notificationId);

/** Waits until the notification's email job ran (completed), however often it was re-enqueued. */
async function emailJobsDone(notificationId: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const own = await emailJobOf(notificationId);
    if (own.length && own.every((job) => job.state === 'completed')) return;
    if (Date.now() > deadline) throw new Error(`email job of ${notificationId} not done: ${JSON.stringify(own)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('which notifications get an email job, and when', () => {
  it('WHEN_AWAY (the default): after EMAIL_DELAY_SECONDS; ALWAYS: at once; NEVER: none', async () => {
    const community = await server.factories.community();
    const away = await server.factories.activeMember(community);
    const always = await server.factories.activeMember(community);
    const never = await server.factories.activeMember(community);
    await setEmail(always, 'ALWAYS');
    await setEmail(never, 'NEVER');
    const before = Date.now();
    const [a, b, c] = [await replyTo(away, community), await replyTo(always, community), await replyTo(never, community)];
    const [awayJob] = await emailJobOf(a.notification.id);
    const [alwaysJob] = await emailJobOf(b.notification.id);
    expect(new Date(awayJob!.startAfter).getTime()).toBeGreaterThanOrEqual(before + DELAY_SECONDS * 1000 - 50);
    expect(new Date(alwaysJob!.startAfter).getTime()).toBeLessThan(before + DELAY_SECONDS * 1000);
    expect(await emailJobOf(c.notification.id)).toEqual([]);
  });

  it('community mail (NEW_THREAD, ANNOUNCEMENT) goes at once to REALTIME members, whatever their emailNotifications', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community);
    const member = await server.factories.activeMember(community);
    await setEmail(member, 'NEVER');
    const thread = await server.factories.thread(community, lead, { kind: ThreadKind.ANNOUNCEMENT, title: 'Annual <meeting> & vote' });
    const eventId = await record(server, lead.member.id, { type: 'ThreadStarted', communityId: community.community.id, threadId: thread.thread.id });
    await fanOutAll(server);
    const [notification] = await notificationsOf(server, eventId);
    const [job] = await emailJobOf(notification!.id);
    expect(new Date(job!.startAfter).getTime()).toBeLessThan(Date.now() + 1000);
    await emailJobsDone(notification!.id);
    expect(sentTo(member, lead)).toHaveLength(1);
    const mail = sentTo(member)[0]!;
    expect(mail).toMatchObject({ to: member.email, memberId: member.member.id, category: 'community:ANNOUNCEMENT' });
    expect(mail.subject).toBe(`Announcement in ${community.community.name}: “Annual <meeting> & vote”`);
    expect(mail.text).toContain(`https://hub.example.org/demo#c=${community.community.slug}&t=${encodeURIComponent(toGlobalId('Thread', thread.thread.id))}`);
    expect(mail.html).toContain('Annual &lt;meeting&gt; &amp; vote');
    expect(mail.html).not.toContain('<meeting>');
    expect(mail.unsubscribeUrl).toMatch(/^https:\/\/hub\.example\.org\/unsubscribe\//);
  });
});

describe('the email job re-checks when it runs', () => {
  it('WHEN_AWAY: sends a notification still unread after the delay, once', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const { notification, replier } = await replyTo(author, community);
    await emailJobsDone(notification.id);
    expect(sentTo(author, replier).map((mail) => [mail.to, mail.category, mail.subject])).toEqual([
      [author.email, 'notification:REPLY_TO_THREAD', `${replier.member.displayName} replied to your thread “Story time”`],
    ]);
    const [row] = await server.em().execute<{ emailed_at: Date | null }[]>('select emailed_at from notification where id = ?', [notification.id]);
    expect(row!.emailed_at).not.toBeNull();
  });

  it('WHEN_AWAY: sends nothing for a notification read within the delay', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const { notification } = await replyTo(author, community);
    expectData(await server.gql(MarkNotificationsReadDocument, { input: { ids: [toGlobalId('Notification', notification.id)] } }, { token: author.token }));
    await emailJobsDone(notification.id);
    expect(sentTo(author)).toEqual([]);
  });

  it('WHEN_AWAY: sends nothing when, within the delay, the member chose NEVER or lost the right to read it', async () => {
    const open = await server.factories.community();
    const switcher = await server.factories.activeMember(open);
    const restricted = await server.factories.restrictedCommunity();
    const leaver = await server.factories.activeMember(restricted);
    const control = await server.factories.activeMember(restricted);
    const first = await replyTo(switcher, open);
    const second = await replyTo(leaver, restricted);
    const third = await replyTo(control, restricted);
    await setEmail(switcher, 'NEVER');
    await server.em().execute(`update membership set status = 'LEFT' where member_id = ? and community_id = ?`, [leaver.member.id, restricted.community.id]);
    for (const { notification } of [first, second, third]) await emailJobsDone(notification.id);
    expect(sentTo(switcher, leaver, control).map((mail) => mail.to)).toEqual([control.email]);
  });

  it('community mail: sends nothing once the membership is no longer REALTIME', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const digest = await server.factories.activeMember(community);
    const realtime = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    // Made while both were REALTIME; the email job runs after one switched to a digest.
    const made = await Promise.all(
      [digest, realtime].map(async (member) => {
        const [row] = await server.em().execute<{ id: string }[]>(
          `insert into notification (id, recipient_id, kind, actor_id, community_id, subject_type, subject_id, title) ` +
            `values (gen_random_uuid(), ?, 'NEW_THREAD', ?, ?, 'Thread', ?, 'A new thread') returning id`,
          [member.member.id, author.member.id, community.community.id, thread.thread.id],
        );
        return row!.id;
      }),
    );
    await server.em().execute(`update membership set notification_preference = 'DAILY_DIGEST' where member_id = ? and community_id = ?`, [digest.member.id, community.community.id]);
    for (const notificationId of made) await server.app.services.jobs.send('notifications.email', { notificationId });
    for (const notificationId of made) await emailJobsDone(notificationId);
    expect(sentTo(author, digest, realtime).map((mail) => mail.to)).toEqual([realtime.email]);
  });
});
