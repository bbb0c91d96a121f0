import { readFileSync } from 'node:fs';
import { buildSchema, parse, print } from 'graphql';
import { ReplyToThreadDocument, ThreadActivityDocument } from '../generated/graphql';
import { eventually, subscribe, trackSockets } from '../support/live';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { checkQueryLimits } from '../../src/shared/queryLimits';
import { threadTopic } from '../../src/realtime/events';
import { ask, limitHeaders, RATE_LIMIT, rateLimitOf, TEN_COMMUNITIES, TEN_COMMUNITIES_COST } from './http';

const ACCOUNT_POINTS = 300;
const ANONYMOUS_POINTS = 100;
const RATE_LIMIT_COST = 6;

let server: TestServer;
const openOn = trackSockets();
beforeAll(async () => {
  server = await startTestServer({
    RATE_LIMIT_POINTS: String(ACCOUNT_POINTS),
    RATE_LIMIT_ANONYMOUS_POINTS: String(ANONYMOUS_POINTS),
    RATE_LIMIT_WINDOW_SECONDS: '3600',
    WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '3',
    // Each test is a client of its own address.
    TRUST_PROXY: 'true',
  });
});
afterAll(() => server.close());

/** What a threadActivity subscription costs, as the API computes it from the published schema. */
const subscriptionCost = checkQueryLimits(
  buildSchema(readFileSync('schema/schema.graphql', 'utf8')),
  parse(print(ThreadActivityDocument)),
  { maxDepth: 100, maxCost: 1_000_000, maxAliases: 100, maxTokens: 100_000 },
  { threadId: 'x' },
);

async function threadWorld() {
  const community = await server.factories.community({ visibility: 'OPEN' as never });
  const author = await server.factories.activeMember(community);
  const reader = await server.factories.activeMember(community);
  const thread = await server.factories.thread(community, author);
  return { author, reader, thread };
}

const budgetOf = (memberId: string) => server.app.services.rateLimits.peek({ memberId, ip: 'unused' });

describe('cost-based rate limits over HTTP', () => {
  it('puts the budget in headers on every answer; requests that never ran spend nothing', async () => {
    const ip = '10.0.1.1';
    const first = await ask(server, ip, RATE_LIMIT);
    const before = Math.floor(Date.now() / 1000);
    expect(limitHeaders(first)).toEqual({ limit: ANONYMOUS_POINTS, used: RATE_LIMIT_COST, remaining: ANONYMOUS_POINTS - RATE_LIMIT_COST, reset: expect.any(Number) });
    expect(limitHeaders(first).reset).toBeGreaterThan(before);
    expect(limitHeaders(first).reset).toBeLessThanOrEqual(before + 3600 + 1);

    const syntax = await ask(server, ip, '{ rateLimit {');
    expect(syntax.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const invalid = await ask(server, ip, '{ noSuchField }');
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const badToken = await ask(server, ip, RATE_LIMIT, { token: 'not-a-token' });
    expect(badToken.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const notJson = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: '{' });
    expect(notJson.status).toBe(400);
    for (const answer of [syntax, invalid, badToken, { status: notJson.status, headers: notJson.headers, body: {} }]) {
      expect(limitHeaders(answer)).toMatchObject({ limit: ANONYMOUS_POINTS, used: RATE_LIMIT_COST, remaining: ANONYMOUS_POINTS - RATE_LIMIT_COST });
    }

    // A request that runs and fails (a refused log-in) spends its cost and still reports it.
    const refused = await ask(server, ip, 'mutation { logIn(input: { email: "nobody@example.org", password: "wrong-password" }) { token } }');
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(limitHeaders(refused).used).toBeGreaterThan(RATE_LIMIT_COST);
  });

  it('rateLimit reports the budget after this request, which costs what its query costs', async () => {
    const ip = '10.0.1.2';
    const first = await ask(server, ip, RATE_LIMIT);
    const field = first.body.data!.rateLimit as { limit: number; cost: number; remaining: number; resetAt: string; used: number };
    expect(field).toEqual({ limit: ANONYMOUS_POINTS, cost: RATE_LIMIT_COST, used: RATE_LIMIT_COST, remaining: ANONYMOUS_POINTS - RATE_LIMIT_COST, resetAt: expect.any(String) });
    expect(Math.ceil(Date.parse(field.resetAt) / 1000)).toBe(limitHeaders(first).reset);
    const second = await rateLimitOf(server, ip);
    expect(second).toMatchObject({ cost: RATE_LIMIT_COST, used: 2 * RATE_LIMIT_COST, remaining: ANONYMOUS_POINTS - 2 * RATE_LIMIT_COST });
    // One fixed window: the reset does not move with each request.
    expect(Math.abs(Date.parse(second.resetAt) - Date.parse(field.resetAt))).toBeLessThan(1_500);
  });

  it('weighs a search by the work it does whatever its page: a bare count costs 50 points and more, so a burst is refused', async () => {
    const ip = '10.0.1.9';
    const bare = '{ search(query: "cataloguing", first: 1) { totalCount } }';
    const first = await ask(server, ip, bare);
    expect(first.body.errors).toBeUndefined();
    expect(limitHeaders(first).used).toBeGreaterThanOrEqual(50);
    const second = await ask(server, ip, bare);
    expect(second.status).toBe(429);
    expect(second.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('spends the query cost: an expensive query spends more than a cheap one', async () => {
    const ip = '10.0.1.3';
    const expensive = await ask(server, ip, TEN_COMMUNITIES);
    expect(expensive.body.errors).toBeUndefined();
    expect(limitHeaders(expensive).used).toBe(TEN_COMMUNITIES_COST);
    expect(await rateLimitOf(server, ip)).toMatchObject({ cost: RATE_LIMIT_COST, used: TEN_COMMUNITIES_COST + RATE_LIMIT_COST });
  });

  it('refuses a request over budget as RATE_LIMITED with retryAfter and Retry-After, before it runs and without spending', async () => {
    const ip = '10.0.1.4';
    for (let i = 0; i < 2; i++) expect((await ask(server, ip, TEN_COMMUNITIES)).status).toBe(200);
    server.queries.length = 0;
    const refused = await ask(server, ip, TEN_COMMUNITIES);
    expect(refused.status).toBe(429);
    expect(refused.body.data ?? null).toBeNull();
    const error = refused.body.errors?.[0];
    expect(error?.extensions?.code).toBe('RATE_LIMITED');
    const retryAfter = error?.extensions?.retryAfter as number;
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(refused.headers.get('retry-after')).toBe(String(retryAfter));
    expect(limitHeaders(refused)).toMatchObject({ used: 2 * TEN_COMMUNITIES_COST, remaining: ANONYMOUS_POINTS - 2 * TEN_COMMUNITIES_COST });
    expect(server.queries).toEqual([]);
    // The refusal is counted for Prometheus.
    const metrics = await (await fetch(`${server.app.url}/metrics`)).text();
    expect(metrics).toMatch(/^practicehub_rate_limit_refusals_total\{limit="budget"\} [1-9]/m);
    // What is left still buys a cheaper query.
    expect(await rateLimitOf(server, ip)).toMatchObject({ used: 2 * TEN_COMMUNITIES_COST + RATE_LIMIT_COST });
    expect((await ask(server, ip, RATE_LIMIT)).headers.get('retry-after')).toBeNull();
  });

  it('gives each account its own budget wherever it comes from, and anonymous requests one per IP', async () => {
    const [one, two] = [await server.factories.member(), await server.factories.member()];
    const ip = '10.0.1.5';
    expect(limitHeaders(await ask(server, ip, TEN_COMMUNITIES, { token: one.token }))).toMatchObject({ limit: ACCOUNT_POINTS, used: TEN_COMMUNITIES_COST });
    expect(await rateLimitOf(server, ip, two.token)).toMatchObject({ limit: ACCOUNT_POINTS, used: RATE_LIMIT_COST });
    expect(await rateLimitOf(server, ip)).toMatchObject({ limit: ANONYMOUS_POINTS, used: RATE_LIMIT_COST });
    expect(await rateLimitOf(server, '10.0.1.6')).toMatchObject({ limit: ANONYMOUS_POINTS, used: RATE_LIMIT_COST });
    expect(await rateLimitOf(server, '10.0.1.7', one.token)).toMatchObject({ limit: ACCOUNT_POINTS, used: TEN_COMMUNITIES_COST + RATE_LIMIT_COST });
  });
});

describe('rate limits on sockets', () => {
  it('a subscription spends its cost when it starts', async () => {
    const { reader, thread } = await threadWorld();
    expect(subscriptionCost).toBeGreaterThan(1);
    subscribe(openOn(server, reader.token), ThreadActivityDocument, { threadId: thread.id });
    await eventually(() => server.app.services.events.listenerCount(threadTopic(thread.thread.id)) === 1);
    expect(await rateLimitOf(server, '10.0.2.1', reader.token)).toMatchObject({ used: subscriptionCost + RATE_LIMIT_COST });
  });

  it('refuses a subscription over budget with RATE_LIMITED and retryAfter, and the socket stays open', async () => {
    const { reader, thread } = await threadWorld();
    let remaining = ACCOUNT_POINTS;
    while (remaining >= subscriptionCost) {
      const query = remaining - TEN_COMMUNITIES_COST >= subscriptionCost ? TEN_COMMUNITIES : RATE_LIMIT;
      remaining = limitHeaders(await ask(server, '10.0.2.2', query, { token: reader.token })).remaining;
    }
    const socket = openOn(server, reader.token);
    const refused = subscribe(socket, ThreadActivityDocument, { threadId: thread.id });
    await refused.ended;
    expect(refused.errors[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect((refused.errors[0]?.extensions as { retryAfter?: number }).retryAfter).toBeGreaterThan(0);
    expect((await budgetOf(reader.member.id)).remaining).toBe(remaining);
    const race = await Promise.race([socket.closed, new Promise((resolve) => setTimeout(() => resolve('open'), 200))]);
    expect(race).toBe('open');
  });

  it('caps live subscriptions per socket: over the cap only that subscription is refused', async () => {
    const { author, reader, thread } = await threadWorld();
    const topic = threadTopic(thread.thread.id);
    const socket = openOn(server, reader.token);
    const live = [1, 2, 3].map(() => subscribe(socket, ThreadActivityDocument, { threadId: thread.id }));
    await eventually(() => server.app.services.events.listenerCount(topic) === 3);
    const over = subscribe(socket, ThreadActivityDocument, { threadId: thread.id });
    await over.ended;
    expect(over.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED' }) })]);

    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Still live' } }, { token: author.token }));
    for (const subscription of live) expect((await subscription.next(1))[0]!.threadActivity).toMatchObject({ __typename: 'PostAdded' });

    // Completing one makes room for another.
    live[0]!.unsubscribe();
    await eventually(() => server.app.services.events.listenerCount(topic) === 2);
    const again = subscribe(socket, ThreadActivityDocument, { threadId: thread.id });
    await eventually(() => server.app.services.events.listenerCount(topic) === 3);
    expect(again.errors).toEqual([]);
  });
});
