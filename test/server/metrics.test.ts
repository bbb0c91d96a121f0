import { CommunitiesDocument, LogInDocument, ThreadActivityDocument, ViewerDocument } from '../generated/graphql';
import { FACTORY_PASSWORD } from '../support/factories';
import { socketClient, subscribe, type SocketClient } from '../support/live';
import { expectError, startTestServer, type TestServer } from '../support/server';
import { ROLE_TERMS_JOB } from '../../src/modules/governance/roles/roleTerms.background';

/** The value of one series of the exposition text (labels in any order), or undefined when it is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const own = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => own[key] === value)) return Number(match[3]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  let server: TestServer;
  const sockets: SocketClient[] = [];
  beforeAll(async () => {
    server = await startTestServer({ AUTH_MAX_ATTEMPTS: '2', WS_MAX_SOCKETS_PER_IP: '2' });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.dispose()));
    await server.close();
  });

  const scrape = async () => {
    const response = await fetch(`${server.app.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  it('shows requests, durations and errors by operation and code, sockets, subscriptions, queue depth and refusals', async () => {
    const member = await server.factories.member();
    const community = await server.factories.community();
    const thread = await server.factories.thread(community, member);
    for (let i = 0; i < 3; i++) await server.gql(CommunitiesDocument, {});
    await server.gql(ViewerDocument, {}, { token: member.token });
    expectError(await server.raw({ query: '{ viewer { passwordHash } }' }), 'GRAPHQL_VALIDATION_FAILED');
    expectError(await server.gql(ViewerDocument, {}, { token: 'not-a-token' }), 'UNAUTHENTICATED');
    // Two wrong passwords use up the attempts; the third attempt is refused.
    for (let i = 0; i < 2; i++) expectError(await server.gql(LogInDocument, { input: { email: member.email, password: 'wrong password' } }), 'UNAUTHENTICATED');
    expectError(await server.gql(LogInDocument, { input: { email: member.email, password: FACTORY_PASSWORD } }), 'RATE_LIMITED');
    // One socket with a live subscription, one idle, a third refused (two per IP).
    const live = socketClient(server, member.token);
    sockets.push(live, socketClient(server, member.token));
    const subscription = subscribe(live, ThreadActivityDocument, { threadId: thread.id });
    const refused = socketClient(server, member.token);
    sockets.push(refused);
    expect(await refused.closed).toBe(4429);
    // A job waiting for later.
    await server.app.services.jobs.send(ROLE_TERMS_JOB, {}, { startAfter: new Date(Date.now() + 3_600_000) });

    let text = '';
    const deadline = Date.now() + 5_000;
    do {
      text = await scrape();
      if (sample(text, 'practicehub_live_subscriptions') === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (Date.now() < deadline);
    expect(subscription.errors).toEqual([]);

    expect(sample(text, 'practicehub_graphql_requests_total', { operation: 'Communities', type: 'query' })).toBe(3);
    expect(sample(text, 'practicehub_graphql_requests_total', { operation: 'Viewer', type: 'query' })).toBe(1);
    expect(sample(text, 'practicehub_graphql_requests_total', { operation: 'LogIn', type: 'mutation' })).toBe(3);
    // A document that does not validate never resolves an operation.
    expect(sample(text, 'practicehub_graphql_requests_total', { operation: 'anonymous', type: 'none' })).toBe(1);
    expect(sample(text, 'practicehub_graphql_request_duration_seconds_count', { operation: 'Communities' })).toBe(3);
    const sum = sample(text, 'practicehub_graphql_request_duration_seconds_sum', { operation: 'Communities' })!;
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(30);
    expect(sample(text, 'practicehub_graphql_request_duration_seconds_bucket', { operation: 'Communities', le: '+Inf' })).toBe(3);

    expect(sample(text, 'practicehub_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    // The bad token, and the two wrong passwords.
    expect(sample(text, 'practicehub_graphql_errors_total', { code: 'UNAUTHENTICATED' })).toBe(3);
    expect(sample(text, 'practicehub_graphql_errors_total', { code: 'RATE_LIMITED' })).toBe(1);
    expect(sample(text, 'practicehub_graphql_errors_total', { code: 'INTERNAL_SERVER_ERROR' })).toBeUndefined();

    expect(sample(text, 'practicehub_rate_limit_refusals_total', { limit: 'auth' })).toBe(1);
    expect(sample(text, 'practicehub_rate_limit_refusals_total', { limit: 'socketsPerIp' })).toBe(1);
    expect(sample(text, 'practicehub_websocket_connections')).toBe(2);
    expect(sample(text, 'practicehub_live_subscriptions')).toBe(1);
    expect(sample(text, 'practicehub_job_queue_depth', { queue: ROLE_TERMS_JOB, state: 'created' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'practicehub_job_queue_depth', { queue: ROLE_TERMS_JOB, state: 'retry' })).toBe(0);
    // The process' own metrics come along.
    expect(sample(text, 'practicehub_process_resident_memory_bytes')).toBeGreaterThan(0);

    // The subscription ends: the gauge follows.
    subscription.unsubscribe();
    const after = Date.now() + 5_000;
    while (sample(await scrape(), 'practicehub_live_subscriptions') !== 0 && Date.now() < after) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sample(await scrape(), 'practicehub_live_subscriptions')).toBe(0);
  });
});
