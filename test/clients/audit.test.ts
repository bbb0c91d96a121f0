import { auditServer } from 'graphql-http';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('GraphQL over HTTP: the specification audit (graphql-http auditServer)', () => {
  it('passes every MUST and every SHOULD', async () => {
    const results = await auditServer({ url: server.url });
    const failed = results.filter((result) => result.status !== 'ok').map((result) => `${result.status} ${result.name}: ${'reason' in result ? result.reason : ''}`);
    expect(failed).toEqual([]);
    expect(results.filter((result) => result.status === 'ok').length).toBe(results.length);
  });
});

describe('status codes and media types', () => {
  const post = (body: string, headers: Record<string, string>) => fetch(server.url, { method: 'POST', headers, body });

  it('answers a broken document 200 to an application/json client and 400 to an application/graphql-response+json one', async () => {
    const body = JSON.stringify({ query: '{ viewer { ' });
    const legacy = await post(body, { 'content-type': 'application/json', accept: 'application/json' });
    expect(legacy.status).toBe(200);
    expect(((await legacy.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const modern = await post(body, { 'content-type': 'application/json', accept: 'application/graphql-response+json' });
    expect(modern.status).toBe(400);
    expect(modern.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
  });

  it('keeps 400 for a malformed request (no query) and refuses a body that is not JSON with 415', async () => {
    expect((await post(JSON.stringify({ variables: {} }), { 'content-type': 'application/json', accept: 'application/json' })).status).toBe(400);
    const form = await post('query={viewer{id}}', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(await form.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'BAD_USER_INPUT' } }] });
    expect((await post(JSON.stringify({ query: '{ viewer { id } }' }), { 'content-type': 'text/plain' })).status).toBe(415);
    // A large body of the wrong type is refused without reading it, and the client still gets the answer.
    const large = await post('x'.repeat(3_000_000), { 'content-type': 'text/plain' });
    expect(large.status).toBe(415);
    expect(large.headers.get('connection')).toBe('close');
  });

  it('refuses a subscription over HTTP before it runs (they are served over graphql-ws)', async () => {
    const response = await post(JSON.stringify({ query: 'subscription { notificationAdded { id } }' }), { 'content-type': 'application/json', accept: 'application/graphql-response+json' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors).toEqual([{ message: expect.stringContaining('graphql-ws'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
  });

  it('runs a plain GET query with no preflight header, and never a mutation over GET', async () => {
    const get = await fetch(`${server.url}?query=${encodeURIComponent('{ viewer { id } }')}`);
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { viewer: null } });
    const mutation = await fetch(`${server.url}?query=${encodeURIComponent('mutation { logIn(input: { email: "a@example.org", password: "not-a-password" }) { token } }')}`, { headers: { accept: 'application/json' } });
    expect(mutation.status).toBe(405);
  });
});
