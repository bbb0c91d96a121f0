import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Where limiters keep their counts: Redis (shared by every instance) when there is one, else this process. */
export interface LimiterStore {
  redis: Redis | null;
  /** REDIS_PREFIX: every limiter key is `<prefix>ratelimit:<name>:<key>`. */
  prefix: string;
}

/**
 * A fixed-window limiter of `points` per `durationSeconds`. With Redis it is shared by all instances; while Redis
 * is not ready (down, reconnecting, not yet connected) an in-memory insurance limiter with the same budget answers
 * at once, so the API keeps serving with per-instance counts until Redis is back.
 */
export function createLimiter(store: LimiterStore, name: string, points: number, durationSeconds: number): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix: name, points, duration: durationSeconds });
  if (!store.redis) return memory;
  return new RateLimiterRedis({
    storeClient: store.redis,
    keyPrefix: `${store.prefix}ratelimit:${name}`,
    points,
    duration: durationSeconds,
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
}
