import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Context } from '../../../context';
import { rateLimited } from '../../../shared/errors';

/** Counts one sign-up or log-in attempt against its key; past the limit the caller gets RATE_LIMITED. */
export async function consumeAuthAttempt(ctx: Context, key: string, limiter: 'authLimiter' | 'signUpLimiter' = 'authLimiter'): Promise<void> {
  try {
    await ctx.services[limiter].consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw rateLimited(Math.ceil(error.msBeforeNext / 1000));
    throw error;
  }
}

/** A successful log-in forgets the failures counted for that account. */
export async function resetAuthAttempts(ctx: Context, key: string): Promise<void> {
  await ctx.services.authLimiter.delete(key);
}
