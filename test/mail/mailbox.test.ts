import { startTestServer, type TestServer } from '../support/server';
import { DIGEST_TEST_ENV, digestWorld } from '../digests/world';
import { runDigest } from '../../src/modules/digests/runDigest';
import { DigestFrequency } from '../../src/modules/digests/digest.types';

/** With SMTP_URL unset, mail is kept in the local mailbox and read at /demo/mail. */
let server: TestServer;
let world: ReturnType<typeof digestWorld>;

beforeAll(async () => {
  server = await startTestServer(DIGEST_TEST_ENV);
  world = digestWorld(server);
});
afterAll(() => server.close());

const page = (path: string) => fetch(`${server.app.url}${path}`);

describe('the local mailbox', () => {
  it('starts empty', async () => {
    const response = await page('/demo/mail');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('No mail yet');
  });

  it('lists the mail newest first and shows one message: headers, text, and the HTML sandboxed and escaped', async () => {
    const community = await server.factories.community({ name: 'Mailbox Community' });
    const author = await world.member([[community, 'REALTIME']]);
    const first = await world.member([[community, 'DAILY_DIGEST']]);
    await world.thread(author, community, 'Hello <script>alert(1)</script> world');
    await runDigest(server.app.services, DigestFrequency.DAILY, new Date());
    await world.newPeriod();
    const later = await server.factories.community();
    const laterAuthor = await world.member([[later, 'REALTIME']]);
    const second = await world.member([[later, 'DAILY_DIGEST']]);
    await world.thread(laterAuthor, later, 'A later thread');
    await runDigest(server.app.services, DigestFrequency.DAILY, new Date());

    const list = await page('/demo/mail');
    expect(list.status).toBe(200);
    expect(list.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await list.text();
    expect(html).toContain(first.email);
    expect(html).toContain(second.email);
    expect(html.indexOf(second.email)).toBeLessThan(html.indexOf(first.email));
    expect(html.split('<tr><td>').length - 1).toBe(2);
    expect(html).toContain('Your daily PracticeHub digest');

    const [row] = await server.em().execute<{ id: string }[]>('select id from mail_message where member_id = ?', [first.member.id]);
    const message = await page(`/demo/mail/${row!.id}`);
    expect(message.status).toBe(200);
    const body = await message.text();
    expect(body).toContain('List-Unsubscribe-Post');
    expect(body).toContain('List-Unsubscribe=One-Click');
    expect(body).toContain('&lt;https://hub.example.org/unsubscribe/');
    // Text part, escaped into the page.
    expect(body).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt; world');
    // HTML part: inside a sandboxed iframe's srcdoc, escaped once more; no live script anywhere.
    expect(body).toMatch(/<iframe title="HTML part" sandbox="[^"]*" srcdoc="[^"]*Hello &amp;lt;script&amp;gt;/);
    expect(body).not.toContain('<script>');
    expect(body).not.toMatch(/sandbox="[^"]*allow-scripts/);
  });

  it('answers 404 for an unknown or malformed message id', async () => {
    expect((await page('/demo/mail/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await page('/demo/mail/not-an-id')).status).toBe(404);
  });

  it('still serves the demo page beside it', async () => {
    expect((await page('/demo')).status).toBe(200);
    expect((await page('/demo/nothing-here')).status).toBe(404);
  });
});
