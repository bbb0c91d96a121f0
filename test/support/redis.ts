import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config';
import { startTestApp, type TestServer } from './server';

/** The Redis the suite runs against (`TEST_REDIS_URL`, default the local one). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** A key and channel prefix of its own for one test file, so files running in parallel never see each other. */
export const uniqueRedisPrefix = (name: string) => `practicehub-test:${name}:${process.pid}:${randomBytes(4).toString('hex')}:`;

/** Fails at once, with a clear message, when no Redis answers (rather than timing out test by test). */
export async function requireRedis(url = TEST_REDIS_URL): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 2_000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new Error(`These tests need Redis at ${url} (set TEST_REDIS_URL): ${(error as Error).message}`);
  } finally {
    probe.disconnect();
  }
}

/** Deletes every key under `prefix` (a test file's leftovers). */
export async function deleteRedisKeys(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * A second API instance on the same database as `first` (same config, so tokens signed by one are valid on the
 * other), with `env` overriding variables such as REDIS_URL. Closing it leaves the database to `first`.
 */
export async function startPeerServer(first: TestServer, env: Record<string, string> = {}): Promise<TestServer> {
  const config = loadConfig({
    DATABASE_URL: first.config.databaseUrl ?? '',
    JWT_SECRET: first.config.jwtSecret,
    PORT: '0',
    HOST: '127.0.0.1',
    MIGRATE_ON_START: 'false',
    SEED_ON_EMPTY: 'false',
    PASSWORD_HASH_COST: String(first.config.passwordHashCost),
    AUTH_MAX_ATTEMPTS: String(first.config.authMaxAttempts),
    SIGNUPS_PER_IP_PER_HOUR: String(first.config.signUpsPerIpPerHour),
    AUTH_MAX_FAILURES_PER_IP_PER_HOUR: String(first.config.authFailuresPerIpPerHour),
    RATE_LIMIT_POINTS: String(first.config.rateLimit.points),
    RATE_LIMIT_ANONYMOUS_POINTS: String(first.config.rateLimit.anonymousPoints),
    RATE_LIMIT_WINDOW_SECONDS: String(first.config.rateLimit.windowSeconds),
    WS_MAX_SUBSCRIPTIONS_PER_SOCKET: String(first.config.rateLimit.subscriptionsPerSocket),
    DATA_DIR: first.config.dataDir,
    ...(first.config.redisUrl ? { REDIS_URL: first.config.redisUrl, REDIS_PREFIX: first.config.redisPrefix } : {}),
    ...env,
  });
  return startTestApp(config, first.databaseName);
}
