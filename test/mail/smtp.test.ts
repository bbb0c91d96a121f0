import { startTestServer, type TestServer } from '../support/server';
import { rawHeader, startSmtpSink, type SmtpSink } from '../support/smtp';
import { DIGEST_TEST_ENV } from '../digests/world';
import { formatTime, renderMail } from '../../src/mail/render';
import { unsubscribeUrl } from '../../src/mail/unsubscribe';
import type { OutgoingMail } from '../../src/mail/mailer';

let sink: SmtpSink;
let server: TestServer;

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({ ...DIGEST_TEST_ENV, SMTP_URL: sink.url, MAIL_FROM: 'Hub <hub@example.org>' });
});
afterAll(async () => {
  await server.close();
  await sink.close();
});
beforeEach(() => {
  sink.clear();
  sink.reject = null;
});

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  const url = unsubscribeUrl(server.config, { memberId: '6f1c1d1e-8a3b-4c55-9d1e-0a1b2c3d4e5f', scope: { kind: 'direct' } });
  const { text, html } = renderMail(server.config, {
    heading: 'A reply to "Rubrics & <peers>"',
    paragraphs: ['Ada replied.'],
    action: { label: 'Open the thread', href: 'https://hub.example.org/demo#c=x' },
    reason: 'You started this thread.',
    unsubscribeUrl: url,
    unsubscribeLabel: 'Stop these emails',
  });
  return { to: 'reader@example.org', subject: 'New reply', text, html, unsubscribeUrl: url, category: 'notification:REPLY_TO_THREAD', memberId: '6f1c1d1e-8a3b-4c55-9d1e-0a1b2c3d4e5f', ...overrides };
}

describe('the SMTP transport', () => {
  it('sends a text and an HTML part from MAIL_FROM, with the one-click unsubscribe headers', async () => {
    const outgoing = mail({ headers: { 'X-Extra': 'kept' } });
    await server.app.services.mailer.send(outgoing);
    const [received] = await sink.waitFor(1);
    expect(received!.from?.value).toEqual([{ name: 'Hub', address: 'hub@example.org' }]);
    expect(received!.subject).toBe('New reply');
    expect(received!.text).toContain('A reply to "Rubrics & <peers>"');
    expect(received!.text).toContain('Stop these emails: https://hub.example.org/unsubscribe/');
    expect(received!.html).toContain('A reply to &quot;Rubrics &amp; &lt;peers&gt;&quot;');
    expect(received!.html).toContain('href="https://hub.example.org/demo#c=x"');
    expect(rawHeader(received!, 'List-Unsubscribe')).toBe(`<${outgoing.unsubscribeUrl}>`);
    expect(rawHeader(received!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(rawHeader(received!, 'X-Extra')).toBe('kept');
    expect(rawHeader(received!, 'X-PracticeHub-Category')).toBe('notification:REPLY_TO_THREAD');
  });

  it.each([
    [451, 'Try again later'],
    [550, 'Mailbox unavailable'],
  ])('throws when the server refuses with %i (the calling job retries)', async (code, message) => {
    sink.reject = { code, message };
    await expect(server.app.services.mailer.send(mail())).rejects.toThrow(new RegExp(String(code)));
    expect(sink.refused).toBe(1);
    expect(sink.messages).toHaveLength(0);
  });

  it('sends many mails at once over pooled connections', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => server.app.services.mailer.send(mail({ to: `reader${i}@example.org` }))));
    expect(await sink.waitFor(50)).toHaveLength(50);
    expect(new Set(sink.messages.map((m) => m.headers.get('message-id'))).size).toBe(50);
  });
});

describe('rendering', () => {
  it("shows times in the member's time zone, named, and in the organisation's by default or for an unknown zone", () => {
    const at = new Date('2026-12-02T14:30:00Z');
    const config = { orgTimeZone: 'America/Chicago' };
    expect(formatTime(config, at, 'Asia/Tokyo')).toBe('Wed 2 Dec 2026, 23:30 Asia/Tokyo');
    expect(formatTime(config, at, 'Europe/Oslo')).toBe('Wed 2 Dec 2026, 15:30 Europe/Oslo');
    expect(formatTime(config, at)).toBe('Wed 2 Dec 2026, 08:30 America/Chicago');
    expect(formatTime(config, at, 'Not/AZone')).toBe('Wed 2 Dec 2026, 08:30 America/Chicago');
  });
});
