/** Budgets no bench reaches: the benches measure the API, not its rate limits (test/limits tests those). */
export const BENCH_UNLIMITED: Record<string, string> = {
  RATE_LIMIT_POINTS: '1000000000',
  RATE_LIMIT_ANONYMOUS_POINTS: '1000000000',
  AUTH_MAX_FAILURES_PER_IP_PER_HOUR: '1000000',
  SIGNUPS_PER_IP_PER_HOUR: '1000000',
};
