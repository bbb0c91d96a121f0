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

/** Refuses a log-in from an IP that already failed too often this hour, whichever emails it tried. */
export async function checkFailedLogIns(scope: CommandScope, ip: string): Promise<void> {
  const limiter = scope.services.failedLogInLimiter;
  const res = await limiter.get(`ip:${ip}`);
  if (res && res.consumedPoints >= limiter.points) {
    scope.services.metrics.refused('failedLogInsPerIp');
    throw rateLimited(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
  }
}

/** Counts a failed log-in against its IP (the refusal comes with the next attempt). */
export async function countFailedLogIn(scope: CommandScope, ip: string): Promise<void> {
  await scope.services.failedLogInLimiter.consume(`ip:${ip}`).catch((error: unknown) => {
    if (!(error instanceof RateLimiterRes)) throw error;
  });
}
