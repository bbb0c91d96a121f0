import { LogInDocument, SignUpDocument } from '../generated/graphql';
import { deleteRedisKeys, requireRedis, startPeerServer, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/redis';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { eventually } from '../support/live';
import { FACTORY_PASSWORD } from '../support/factories';
import { ask, limitHeaders, rateLimitOf, TEN_COMMUNITIES, TEN_COMMUNITIES_COST } from './http';

const PREFIX = uniqueRedisPrefix('ratelimit');
const ANONYMOUS_POINTS = 100;

let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  await requireRedis();
  a = await startTestServer({
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: PREFIX,
    RATE_LIMIT_POINTS: '300',
    RATE_LIMIT_ANONYMOUS_POINTS: String(ANONYMOUS_POINTS),
    AUTH_MAX_ATTEMPTS: '3',
    AUTH_MAX_FAILURES_PER_IP_PER_HOUR: '4',
    SIGNUPS_PER_IP_PER_HOUR: '2',
    TRUST_PROXY: 'true',
  });
  b = await startPeerServer(a, { TRUST_PROXY: 'true' });
  // Both count in Redis (until it is ready, each instance's insurance limiter would answer alone).
  await eventually(() => a.app.services.rateLimits.shared && b.app.services.rateLimits.shared);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await deleteRedisKeys(PREFIX);
});

const logIn = (server: TestServer, ip: string, email: string, password: string) =>
  server.gql(LogInDocument, { input: { email, password } }, { headers: { 'x-forwarded-for': ip } });

describe('limits shared by two instances through Redis', () => {
  it('spends one budget on both instances', async () => {
    const ip = '10.0.3.1';
    expect(limitHeaders(await ask(a, ip, TEN_COMMUNITIES)).used).toBe(TEN_COMMUNITIES_COST);
    expect(limitHeaders(await ask(b, ip, TEN_COMMUNITIES)).used).toBe(2 * TEN_COMMUNITIES_COST);
    const refused = await ask(a, ip, TEN_COMMUNITIES);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(refused.headers.get('retry-after')).toBe(String(refused.body.errors?.[0]?.extensions?.retryAfter));
    expect((await ask(b, ip, TEN_COMMUNITIES)).status).toBe(429);
    expect((await rateLimitOf(b, ip)).used).toBe(2 * TEN_COMMUNITIES_COST + 6);

    const member = await a.factories.member();
    expect((await rateLimitOf(a, ip, member.token)).used).toBe(6);
    expect((await rateLimitOf(b, ip, member.token)).used).toBe(12);
  });

  it('counts log-in attempts per account and IP across instances', async () => {
    const ip = '10.0.3.2';
    const member = await a.factories.member();
    expectError(await logIn(a, ip, member.email, 'wrong-password-1'), 'UNAUTHENTICATED');
    expectError(await logIn(b, ip, member.email, 'wrong-password-2'), 'UNAUTHENTICATED');
    expectError(await logIn(a, ip, member.email, 'wrong-password-3'), 'UNAUTHENTICATED');
    const limited = expectError(await logIn(b, ip, member.email, 'wrong-password-4'), 'RATE_LIMITED');
    expect(limited.extensions?.retryAfter).toBeGreaterThan(0);
    // Another address is counted apart.
    expectError(await logIn(b, '10.0.3.3', member.email, 'wrong-password-5'), 'UNAUTHENTICATED');
  });

  it('counts sign-ups per IP across instances', async () => {
    const ip = '10.0.3.4';
    const input = (n: number) => ({ input: { email: `shared-signup-${n}-${Date.now()}@example.org`, password: 'long enough password', displayName: `Signup ${n}` } });
    expectData(await a.gql(SignUpDocument, input(1), { headers: { 'x-forwarded-for': ip } }));
    expectData(await b.gql(SignUpDocument, input(2), { headers: { 'x-forwarded-for': ip } }));
    expectError(await a.gql(SignUpDocument, input(3), { headers: { 'x-forwarded-for': ip } }), 'RATE_LIMITED');
    expectData(await a.gql(SignUpDocument, input(4), { headers: { 'x-forwarded-for': '10.0.3.5' } }));
  });

  it('stops an IP that fails to log in to many accounts, even with a right password then', async () => {
    const ip = '10.0.3.6';
    for (let i = 0; i < 4; i++) {
      expectError(await logIn(i % 2 ? a : b, ip, `sprayed-${i}@example.org`, 'guessed-password'), 'UNAUTHENTICATED');
    }
    const member = await a.factories.member();
    const limited = expectError(await logIn(b, ip, member.email, FACTORY_PASSWORD), 'RATE_LIMITED');
    expect(limited.extensions?.retryAfter).toBeGreaterThan(0);
    expectError(await logIn(a, ip, `sprayed-9@example.org`, 'guessed-password'), 'RATE_LIMITED');
    // Other addresses are not affected.
    expectData(await logIn(a, '10.0.3.7', member.email, FACTORY_PASSWORD));
  });
});

describe('when Redis is away', () => {
  it('keeps serving and limiting from the in-memory insurance limiter', async () => {
    // Nothing listens on port 1: the connection is refused at once and ioredis keeps retrying in the background.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const alone = await startTestServer({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_ANONYMOUS_POINTS: String(ANONYMOUS_POINTS), TRUST_PROXY: 'true' });
    try {
      expect(alone.app.services.rateLimits.shared).toBe(false);
      const ip = '10.0.4.1';
      const started = Date.now();
      expect(limitHeaders(await ask(alone, ip, TEN_COMMUNITIES))).toMatchObject({ limit: ANONYMOUS_POINTS, used: TEN_COMMUNITIES_COST });
      expect(limitHeaders(await ask(alone, ip, TEN_COMMUNITIES)).used).toBe(2 * TEN_COMMUNITIES_COST);
      const refused = await ask(alone, ip, TEN_COMMUNITIES);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe(String(refused.body.errors?.[0]?.extensions?.retryAfter));
      // No request waited for Redis.
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await alone.close();
      warn.mockRestore();
    }
  });
});
