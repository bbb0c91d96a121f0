import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import type { OnCost } from '../shared/queryLimits';
import { RateLimitedError, rateLimitHeaders, type Spender } from './rateLimits';

export const spenderOf = (ctx: Pick<Context, 'viewer' | 'ip'>): Spender => ({ memberId: ctx.viewer?.id ?? null, ip: ctx.ip });

/** Given to queryLimitsPlugin: each accepted operation spends its cost before it runs; over budget it is refused. */
export const spendQueryCost: OnCost<Context> = async (cost, { contextValue }) => {
  try {
    contextValue.rateLimit = await contextValue.services.rateLimits.spend(spenderOf(contextValue), cost);
  } catch (error) {
    if (error instanceof RateLimitedError) {
      contextValue.rateLimit = error.state;
      contextValue.services.metrics.refused('budget');
    }
    throw error;
  }
};

/**
 * Every answer carries the budget's x-ratelimit-* headers (and Retry-After when refused); a request that never ran
 * (a syntax or validation error) spent nothing and reports the budget as it is.
 */
export function rateLimitHeadersPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const state = contextValue.rateLimit ?? (await contextValue.services.rateLimits.peek(spenderOf(contextValue)).catch(() => null));
          if (!state) return;
          for (const [name, value] of rateLimitHeaders(state)) response.http.headers.set(name, value);
        },
      };
    },
  };
}
