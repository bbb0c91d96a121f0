import { Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { spenderOf } from './rateLimit.plugin';
import { RateLimit } from './rateLimit.types';

@Resolver()
export class RateLimitResolver {
  @Query(() => RateLimit, { description: 'The request budget after this request (which costs what its query costs, as on GitHub)' })
  async rateLimit(@Ctx() ctx: Context): Promise<RateLimit> {
    const state = ctx.rateLimit ?? (await ctx.services.rateLimits.peek(spenderOf(ctx)));
    return { limit: state.limit, cost: state.cost, remaining: state.remaining, resetAt: state.resetAt, used: state.used };
  }
}
