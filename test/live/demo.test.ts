import type { Page } from 'playwright-core';
import type { BuiltMember } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';
import { signIn, startDemoBrowser, text, until, type DemoBrowser } from './demoBrowser';

/**
 * The demo page in a real browser (see demoBrowser.ts). Two members, each in a browser context of their own, follow
 * one thread: one types and replies, the other sees the typing indicator, who is here and the reply arrive without
 * reloading.
 */
/** Set to a path (e.g. /tmp/demo.png) to keep a screenshot of the reader's page at the end. */
const SCREENSHOT = process.env.DEMO_SCREENSHOT;

let server: TestServer;
let base: string;
let browser: DemoBrowser;

beforeAll(async () => {
  server = await startTestServer();
  base = server.app.url;
  browser = await startDemoBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const openPage = (name: string, problems: string[], options: { ignoreHttpErrors?: boolean } = {}) => browser.openPage(name, problems, options);

async function signInAndOpen(page: Page, member: BuiltMember, displayName: string, slug: string, threadTitle: string) {
  await page.goto(`${base}/demo`);
  await signIn(page, member, displayName);
  await page.locator(`[data-testid="community"][data-slug="${slug}"]`).click();
  await page.getByTestId('thread').filter({ hasText: threadTitle }).click();
  await page.getByTestId('thread-title').filter({ hasText: threadTitle }).waitFor();
}

describe('the demo page', () => {
  test('serves the page, its script, styles and the graphql-ws browser client; nothing else under /demo', async () => {
    const page = await fetch(`${base}/demo`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script src="/demo/graphql-ws.js"');
    // No demo data in this database: the login form is not pre-filled (test/server/demoPage.test.ts has the rest).
    expect(html).not.toContain('demo@practicehub.example');

    for (const [asset, type] of [
      ['/demo/app.js', /^text\/javascript/],
      ['/demo/style.css', /^text\/css/],
      ['/demo/graphql-ws.js', /^text\/javascript/],
    ] as const) {
      const response = await fetch(`${base}${asset}`);
      expect([asset, response.status]).toEqual([asset, 200]);
      expect(response.headers.get('content-type')).toMatch(type);
      expect((await response.text()).length).toBeGreaterThan(100);
    }
    expect(await (await fetch(`${base}/demo/graphql-ws.js`)).text()).toContain('graphqlWs');

    expect((await fetch(`${base}/demo/nope.js`)).status).toBe(404);
    expect((await fetch(`${base}/demo/../package.json`)).status).toBe(404);
    const post = await fetch(`${base}/demo`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    // Other paths still reach the API.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  test('two members on one thread: who is here, who is typing, and a reply arriving live', async () => {
    const community = await server.factories.community({ name: 'Solo school librarians' });
    const alice = await server.factories.member({ displayName: 'Alice Reader' });
    const bob = await server.factories.member({ displayName: 'Bob Writer' });
    await server.factories.membership(alice, community);
    await server.factories.membership(bob, community);
    const thread = await server.factories.thread(community, alice, { title: 'How do you plan a week alone?', body: 'Share your routine.' });
    await server.factories.post(thread, alice, { body: 'I start with a list on Monday.' });

    const problems: string[] = [];
    const reader = await openPage('alice', problems);
    const writer = await openPage('bob', problems);
    // Both at once: each page's first presence snapshot may or may not include the other, and whichever came
    // second must be pushed to the first (a change between a subscriber's first snapshot and its listener must
    // not be lost).
    await Promise.all([
      signInAndOpen(reader, alice, 'Alice Reader', community.community.slug, 'How do you plan a week alone?'),
      signInAndOpen(writer, bob, 'Bob Writer', community.community.slug, 'How do you plan a week alone?'),
    ]);
    await reader.getByTestId('post').filter({ hasText: 'I start with a list on Monday.' }).waitFor();
    await until(() => text(reader, 'live-status'), 'live');

    // Both are here, and each page says so.
    await until(() => text(reader, 'presence-count'), '2');
    await until(() => text(writer, 'presence-count'), '2');
    expect(await text(reader, 'presence-names')).toContain('Bob Writer');
    expect(await text(reader, 'presence-names')).toContain('Alice Reader (you)');

    // Bob types: Alice sees it (and Bob does not see himself typing).
    const reply = 'Time-blocking <b>Fridays</b> & "office hours" works for me';
    await writer.getByTestId('reply-body').pressSequentially(reply.slice(0, 12), { delay: 15 });
    await reader.getByTestId('typing').filter({ hasText: 'Bob Writer is typing' }).waitFor();
    expect(await text(writer, 'typing')).toBe('');

    // Bob sends: the reply appears on Alice's page without a reload, as text (never markup), and the typing
    // indicator goes away.
    await writer.getByTestId('reply-body').fill(reply);
    await writer.getByTestId('reply-send').click();
    const arrived = reader.getByTestId('post').filter({ hasText: reply });
    await arrived.waitFor({ timeout: 5_000 });
    expect(await arrived.getByTestId('post-body').textContent()).toBe(reply);
    expect(await reader.locator('#posts b').count()).toBe(0);
    await until(() => text(reader, 'typing'), '');
    expect(await reader.getByTestId('post').count()).toBe(2);

    // Bob's own page shows his reply once (from the mutation and the event, deduplicated) and an empty box.
    await writer.getByTestId('post').filter({ hasText: reply }).waitFor();
    expect(await writer.getByTestId('post').count()).toBe(2);
    expect(await writer.getByTestId('reply-body').inputValue()).toBe('');

    expect(await reader.getByTestId('thread').filter({ hasText: 'How do you plan a week alone?' }).textContent()).toContain('2 replies');
    if (SCREENSHOT) await reader.screenshot({ path: SCREENSHOT, fullPage: true });

    // Bob leaves: Alice's count drops back to 1.
    await writer.context().close();
    await until(() => text(reader, 'presence-count'), '1', 10_000);

    expect(problems).toEqual([]);
  });
  test('without presence and typing on the server, the page says so and still follows replies live', async () => {
    // Plays a server that lacks presence, setTyping and TypingChanged: the page's operations are renamed on the
    // wire so the API rejects those parts exactly as a server without them would (GRAPHQL_VALIDATION_FAILED).
    const community = await server.factories.community();
    const alice = await server.factories.member({ displayName: 'Alice Reader' });
    const bob = await server.factories.member({ displayName: 'Bob Writer' });
    await server.factories.membership(alice, community);
    await server.factories.membership(bob, community);
    const thread = await server.factories.thread(community, alice, { title: 'A quiet thread' });

    const problems: string[] = [];
    const page = await openPage('degraded', problems, { ignoreHttpErrors: true });
    await page.routeWebSocket(/\/graphql$/, (socket) => {
      const api = socket.connectToServer();
      socket.onMessage((message) => {
        api.send(
          typeof message === 'string'
            ? message.replace('presence(topicId', 'presenceNotHere(topicId').replace('... on TypingChanged', '... on TypingNotHere')
            : message,
        );
      });
    });
    await page.route(/\/graphql$/, async (route) => {
      const body = route.request().postData() ?? '';
      await route.continue(body.includes('setTyping(') ? { postData: body.replace('setTyping(input', 'setTypingNotHere(input') } : {});
    });
    await signInAndOpen(page, alice, 'Alice Reader', community.community.slug, 'A quiet thread');

    await page.getByTestId('notice').filter({ hasText: 'Who is here is unavailable' }).waitFor();
    await page.getByTestId('notice').filter({ hasText: 'Typing indicators are not available' }).waitFor();
    expect(await text(page, 'presence-names')).toContain('presence unavailable');

    // Typing does not break anything; a reply from elsewhere still arrives live, and one from here still sends.
    await page.getByTestId('reply-body').pressSequentially('Hello', { delay: 10 });
    await page.getByTestId('notice').filter({ hasText: 'cannot share that you are typing' }).waitFor();
    const response = await server.raw(
      { query: 'mutation ($input: ReplyInput!) { replyToThread(input: $input) { id } }', variables: { input: { threadId: thread.id, body: 'Bob, from another client' } } },
      { token: bob.token },
    );
    expect(response.errors).toBeUndefined();
    await page.getByTestId('post').filter({ hasText: 'Bob, from another client' }).waitFor();
    await page.getByTestId('reply-send').click();
    await page.getByTestId('post').filter({ hasText: 'Hello' }).waitFor();
    expect(await page.getByTestId('post').count()).toBe(2);
    expect(problems).toEqual([]);
  });
});
