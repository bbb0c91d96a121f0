import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../config';
import { AppError } from '../shared/errors';
import { createLimiter, type LimiterStore } from './limiter';

/** One budget's state after a request: what `rateLimit` and the x-ratelimit-* headers report. */
export interface RateLimitState {
  limit: number;
  /** What this request cost (0 when it spent nothing, e.g. a request refused before it ran). */
  cost: number;
  used: number;
  remaining: number;
  resetAt: Date;
  /** Set when the request was refused: seconds until the budget has room again. */
  retryAfter?: number;
}

/** Whose budget a request spends: the signed-in account's, else its client IP's. */
export interface Spender {
  memberId: string | null;
  ip: string;
}

/** RATE_LIMITED, carrying the budget's state for the response headers. */
export class RateLimitedError extends AppError {
  constructor(readonly state: RateLimitState & { retryAfter: number }) {
    super('RATE_LIMITED', `Rate limit exceeded: this request costs ${state.cost} of ${state.remaining} points left; try again in ${state.retryAfter} s`, {
      retryAfter: state.retryAfter,
    });
  }
}

function stateOf(limit: number, cost: number, res: RateLimiterRes): RateLimitState {
  const used = Math.min(Math.max(res.consumedPoints, 0), limit);
  return { limit, cost, used, remaining: limit - used, resetAt: new Date(Date.now() + Math.max(res.msBeforeNext, 0)) };
}

/**
 * GitHub-style cost budgets: every operation spends its query cost (shared/queryLimits.ts) from a budget per account
 * (RATE_LIMIT_POINTS) or, anonymous, per client IP (RATE_LIMIT_ANONYMOUS_POINTS), per RATE_LIMIT_WINDOW_SECONDS.
 */
export class RateLimits {
  private readonly account: RateLimiterAbstract;
  private readonly anonymous: RateLimiterAbstract;

  constructor(
    private readonly store: LimiterStore,
    private readonly config: RateLimitConfig,
  ) {
    this.account = createLimiter(store, 'account', config.points, config.windowSeconds);
    this.anonymous = createLimiter(store, 'anonymous', config.anonymousPoints, config.windowSeconds);
  }

  /** True when the counts go to Redis right now (false: in memory, or the insurance limiter while Redis is away). */
  get shared(): boolean {
    return this.store.redis?.status === 'ready';
  }

  private budget(who: Spender): { limiter: RateLimiterAbstract; key: string; limit: number } {
    return who.memberId
      ? { limiter: this.account, key: who.memberId, limit: this.config.points }
      : { limiter: this.anonymous, key: who.ip, limit: this.config.anonymousPoints };
  }

  /** Spends `cost` points; over budget, throws RateLimitedError and spends nothing (the points are given back). */
  async spend(who: Spender, cost: number): Promise<RateLimitState> {
    const { limiter, key, limit } = this.budget(who);
    try {
      return stateOf(limit, cost, await limiter.consume(key, cost));
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const after = await limiter.reward(key, cost).catch(() => null);
      const state = stateOf(limit, cost, after ?? error);
      throw new RateLimitedError({ ...state, retryAfter: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) });
    }
  }

  /** The budget's state without spending anything. */
  async peek(who: Spender): Promise<RateLimitState> {
    const { limiter, key, limit } = this.budget(who);
    const res = await limiter.get(key);
    if (!res) return { limit, cost: 0, used: 0, remaining: limit, resetAt: new Date(Date.now() + this.config.windowSeconds * 1000) };
    return stateOf(limit, 0, res);
  }
}

/** The x-ratelimit-* headers (reset in UTC epoch seconds, as GitHub), plus Retry-After on a refusal. */
export function rateLimitHeaders(state: RateLimitState): [string, string][] {
  const headers: [string, string][] = [
    ['x-ratelimit-limit', String(state.limit)],
    ['x-ratelimit-remaining', String(state.remaining)],
    ['x-ratelimit-reset', String(Math.ceil(state.resetAt.getTime() / 1000))],
    ['x-ratelimit-used', String(state.used)],
  ];
  if (state.retryAfter !== undefined) headers.push(['retry-after', String(state.retryAfter)]);
  return headers;
}
