import { ReplyToThreadDocument, StartThreadDocument } from '../generated/graphql';
import { toGlobalId } from '../../src/shared/ids';
import { countRows, expectData, startTestServer, type TestServer } from '../support/server';
import { rawHeader, startSmtpSink, type SmtpSink } from '../support/smtp';
import type { BuiltMember } from '../support/factories';
import { fanOutAll, jobs, notificationsOf } from './support';

/** Notification email through the real mail transport, to a real SMTP server, and its one-click unsubscribe. */
let sink: SmtpSink;
let server: TestServer;
beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({ SMTP_URL: sink.url, MAIL_FROM: 'Hub <hub@example.org>', PUBLIC_URL: 'https://hub.example.org', EMAIL_DELAY_SECONDS: '3600' });
});
afterAll(async () => {
  await server.close();
  await sink.close();
});
beforeEach(() => {
  sink.clear();
  sink.reject = null;
});

const setEmail = (member: BuiltMember, value: string) => server.em().execute('update member set email_notifications = ? where id = ?', [value, member.member.id]);
const localUrl = (url: string) => url.replace('https://hub.example.org', server.app.url);
const oneClick = (url: string) =>
  fetch(localUrl(url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });

async function emailJobState(notificationId: string): Promise<string | undefined> {
  return (await jobs(server, 'notifications.email')).find((job) => job.data.notificationId === notificationId)?.state;
}

describe('notification email over SMTP', () => {
  it('a reply to an ALWAYS member arrives with text, escaped HTML, a link to the thread and one-click unsubscribe, which stops direct mail', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const replier = await server.factories.activeMember(community);
    await setEmail(author, 'ALWAYS');
    const thread = await server.factories.thread(community, author, { title: 'Rubrics & <peers>' });
    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Try this' } }, { token: replier.token }));
    await fanOutAll(server);
    const [mail] = await sink.waitFor(1);
    expect(sink.to(author.email)).toHaveLength(1);
    expect(mail!.subject).toBe(`${replier.member.displayName} replied to your thread “Rubrics & <peers>”`);
    expect(mail!.text).toContain(`https://hub.example.org/demo#c=${community.community.slug}&t=${encodeURIComponent(toGlobalId('Thread', thread.thread.id))}`);
    expect(mail!.html).toContain('Rubrics &amp; &lt;peers&gt;');
    expect(mail!.html).not.toContain('<peers>');
    const unsubscribe = rawHeader(mail!, 'List-Unsubscribe')!.replace(/^<|>$/g, '');
    expect(unsubscribe).toMatch(/^https:\/\/hub\.example\.org\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(rawHeader(mail!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    expect((await oneClick(unsubscribe)).status).toBe(200);
    const [row] = await server.em().execute<{ email_notifications: string }[]>('select email_notifications::text as email_notifications from member where id = ?', [author.member.id]);
    expect(row!.email_notifications).toBe('NEVER');
    // The next reply still reaches the inbox, but no mail is queued for it.
    sink.clear();
    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'And this' } }, { token: replier.token }));
    await fanOutAll(server);
    const notifications = await server.em().execute<{ id: string }[]>('select id from notification where recipient_id = ? order by created_at', [author.member.id]);
    expect(notifications).toHaveLength(2);
    expect(await emailJobState(notifications[1]!.id)).toBeUndefined();
  });

  it('REALTIME community mail: a new thread is mailed at once; its unsubscribe sets that membership to NONE (no more notifications)', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const member = await server.factories.activeMember(community);
    expectData(await server.gql(StartThreadDocument, { input: { communityId: community.id, title: 'Field trip', body: 'Who is in?' } }, { token: author.token }));
    await fanOutAll(server);
    await sink.waitFor(1);
    const [mail] = sink.to(member.email);
    expect(mail!.subject).toBe(`${author.member.displayName} started “Field trip” in ${community.community.name}`);
    expect((await oneClick(rawHeader(mail!, 'List-Unsubscribe')!.replace(/^<|>$/g, ''))).status).toBe(200);
    expect(await countRows(server, `select count(*) as n from membership where member_id = ? and notification_preference = 'NONE'`, member.member.id)).toBe(1);
    const started = expectData(await server.gql(StartThreadDocument, { input: { communityId: community.id, title: 'Second trip', body: '?' } }, { token: author.token }));
    await fanOutAll(server);
    const [{ id: eventId }] = await server.em().execute<{ id: string }[]>(`select id from domain_event where type = 'ThreadStarted' and payload->>'threadId' = ?`, [
      Buffer.from(started.startThread.id, 'base64url').toString().split(':')[1],
    ]);
    expect(await notificationsOf(server, eventId)).toEqual([]);
  });

  it('a failing SMTP server fails no command: the reply is made, the email job waits to retry, nothing is marked sent', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const replier = await server.factories.activeMember(community);
    await setEmail(author, 'ALWAYS');
    const thread = await server.factories.thread(community, author);
    sink.reject = { code: 451, message: 'Try again later' };
    const reply = await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Hello' } }, { token: replier.token });
    expect(reply.errors).toBeUndefined();
    await fanOutAll(server);
    const [notification] = await server.em().execute<{ id: string }[]>('select id from notification where recipient_id = ?', [author.member.id]);
    const deadline = Date.now() + 10_000;
    while ((await emailJobState(notification!.id)) !== 'retry' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await emailJobState(notification!.id)).toBe('retry');
    expect(sink.refused).toBeGreaterThanOrEqual(1);
    expect(await countRows(server, 'select count(*) as n from notification where id = ? and emailed_at is null', notification!.id)).toBe(1);
  });
});
