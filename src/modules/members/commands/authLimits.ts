import { RateLimiterRes } from 'rate-limiter-flexible';
import type { CommandScope } from '../../../context';
import { rateLimited } from '../../../shared/errors';

/** Counts one sign-up or log-in attempt against its key; past the limit the caller gets RATE_LIMITED. */
export async function consumeAuthAttempt(scope: CommandScope, key: string, limiter: 'authLimiter' | 'signUpLimiter' = 'authLimiter'): Promise<void> {
  try {
    await scope.services[limiter].consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      scope.services.metrics.refused(limiter === 'authLimiter' ? 'auth' : 'signUp');
      throw rateLimited(Math.ceil(error.msBeforeNext / 1000));
    }
    throw error;
  }
}

/** A successful log-in forgets the failures counted for that account. */
export async function resetAuthAttempts(scope: CommandScope, key: string): Promise<void> {
  await scope.services.authLimiter.delete(key);
}
