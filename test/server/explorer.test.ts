import { startDemoBrowser, type DemoBrowser } from '../live/demoBrowser';
import { startTestServer, type TestServer } from '../support/server';

/** Every `src` and `href` of the page, as written. */
const assetUrls = (html: string) => [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]!);

describe('the GraphQL explorer (GraphiQL from our own routes)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('answers a browser GET /graphql with a page whose every asset is same-origin and served', async () => {
    const page = await fetch(server.url, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<div id="graphiql">');
    const urls = assetUrls(html);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    const start = await (await fetch(`${server.app.url}/graphiql/start.js`)).text();
    const workers = ['editor', 'graphql', 'json'].map((name) => `/graphiql/${name}.worker.js`);
    expect(start).toContain("'/graphiql/' + name + '.worker.js'");
    for (const url of [...urls, ...workers]) {
      // Paths on this server: no scheme, no protocol-relative host.
      expect(url).toMatch(/^\/(?!\/)/);
      const asset = await fetch(`${server.app.url}${url}`);
      expect({ url, status: asset.status }).toEqual({ url, status: 200 });
      expect(asset.headers.get('content-type')).toMatch(/^text\/(javascript|css)/);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(200);
    }
    expect(html).not.toMatch(/https?:\/\//);
    expect(start).not.toMatch(/https?:\/\//);
  });

  it('answers a browser navigating to a query (GraphiQL keeps it in the address) with the page', async () => {
    const page = await fetch(`${server.url}?query=${encodeURIComponent('{ viewer { id } }')}`, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('still answers GraphQL: a GET query (also from a client that accepts HTML too), a POST, and unknown assets are 404', async () => {
    const query = encodeURIComponent('{ viewer { id } }');
    const get = await fetch(`${server.url}?query=${query}`, { headers: { accept: 'application/json' } });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { viewer: null } });
    const fromBrowser = await fetch(`${server.url}?query=${query}`, { headers: { accept: 'text/html,application/json;q=0.9' } });
    expect(await fromBrowser.json()).toEqual({ data: { viewer: null } });
    expect((await server.raw({ query: '{ viewer { id } }' })).data).toEqual({ viewer: null });
    expect((await fetch(`${server.app.url}/graphiql/../package.json`)).status).toBe(404);
    expect((await fetch(`${server.app.url}/graphiql/yoga-graphiql.es.js`)).status).toBe(404);
  });

  describe('in a browser', () => {
    let browser: DemoBrowser;
    beforeAll(async () => {
      browser = await startDemoBrowser();
    }, 60_000);
    afterAll(() => browser?.close());

    it('loads with no request leaving the server, and runs a query', async () => {
      await server.factories.community({ name: 'Explorer Circle' });
      const problems: string[] = [];
      const page = await browser.openPage('graphiql', problems);
      page.setDefaultTimeout(20_000);
      const elsewhere: string[] = [];
      const seen: string[] = [];
      page.on('request', (request) => {
        const url = request.url();
        seen.push(url.slice(server.app.url.length));
        if (!url.startsWith(server.app.url) && !/^(data|blob):/.test(url)) elsewhere.push(url);
      });
      // Monaco starts its GraphQL worker lazily (after the editor); on a loaded machine that can come after the answer.
      const graphqlWorker = page.waitForRequest((request) => request.url().endsWith('/graphiql/graphql.worker.js'), { timeout: 30_000 });
      await page.goto(server.url);
      await page.locator('.graphiql-container').first().waitFor();
      await page.locator('.monaco-editor').first().waitFor();
      await page.locator('.graphiql-execute-button').click();
      await page.locator('.graphiql-response').filter({ hasText: 'Explorer Circle' }).waitFor();
      await graphqlWorker;
      expect(elsewhere).toEqual([]);
      // Monaco's language workers come from our routes too (the GraphQL one validates and completes the query).
      expect(seen).toEqual(expect.arrayContaining(['/graphiql/graphiql.js', '/graphiql/graphiql.css', '/graphiql/graphql.worker.js']));
      expect(problems).toEqual([]);
    }, 60_000);
  });
});

describe('in production', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'production' });
  });
  afterAll(() => server.close());

  it('serves no explorer page and no explorer assets', async () => {
    const page = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).not.toMatch(/text\/html/);
    expect(await page.text()).not.toMatch(/<html|graphiql/i);
    expect((await fetch(`${server.app.url}/graphiql/graphiql.js`)).status).toBe(404);
    const query = encodeURIComponent('{ viewer { id } }');
    expect(await (await fetch(`${server.url}?query=${query}`)).json()).toEqual({ data: { viewer: null } });
  });
});
