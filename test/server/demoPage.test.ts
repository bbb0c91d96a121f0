import { DEMO_EMAIL, DEMO_PASSWORD } from '../../src/db/seed/demo';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  // SEED_ON_EMPTY is off: a deployment whose database holds no demo data.
  server = await startTestServer();
});
afterAll(() => server.close());

const demoPage = async (path = '/demo') => {
  const response = await fetch(`${server.app.url}${path}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  return response.text();
};

describe('the demo page login form', () => {
  it('is empty while the database has no demo member, and offers the demo login once it has one', async () => {
    for (const path of ['/demo', '/demo/']) {
      const html = await demoPage(path);
      expect(html).toContain('id="login-form"');
      expect(html).toContain('id="email" name="email" type="email" autocomplete="username" aria-label="Email" value=""');
      expect(html).toContain('id="password" name="password" type="password" autocomplete="current-password" aria-label="Password" value=""');
      expect(html).not.toContain(DEMO_EMAIL);
      expect(html).not.toContain(DEMO_PASSWORD);
    }
    // Another member changes nothing: only the demo member means demo data.
    await server.factories.member();
    expect(await demoPage()).not.toContain(DEMO_EMAIL);

    await server.factories.member({ email: DEMO_EMAIL });
    for (const path of ['/demo', '/demo/']) {
      const html = await demoPage(path);
      expect(html).toContain(`value="${DEMO_EMAIL}"`);
      expect(html).toContain(`value="${DEMO_PASSWORD}"`);
    }
  });
});
