import type { TestServer } from '../support/server';

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** POSTs a query as the client at `ip` (the servers here trust X-Forwarded-For), signed in with `token` when given. */
export async function ask(server: TestServer, ip: string, query: string, options: { token?: string; variables?: Record<string, unknown> } = {}): Promise<RawAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-forwarded-for': ip };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(server.url, { method: 'POST', headers, body: JSON.stringify({ query, variables: options.variables }) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as RawAnswer['body'] };
}

export const RATE_LIMIT = '{ rateLimit { limit cost remaining resetAt used } }';

export interface RateLimitField {
  limit: number;
  cost: number;
  remaining: number;
  resetAt: string;
  used: number;
}

export async function rateLimitOf(server: TestServer, ip: string, token?: string): Promise<RateLimitField> {
  const answer = await ask(server, ip, RATE_LIMIT, { token });
  if (answer.body.errors) throw new Error(JSON.stringify(answer.body));
  return answer.body.data!.rateLimit as RateLimitField;
}

/** The x-ratelimit-* headers as numbers. */
export function limitHeaders(answer: RawAnswer) {
  const read = (name: string) => {
    const value = answer.headers.get(name);
    if (value === null) throw new Error(`No ${name} header (status ${answer.status})`);
    return Number(value);
  };
  return { limit: read('x-ratelimit-limit'), remaining: read('x-ratelimit-remaining'), reset: read('x-ratelimit-reset'), used: read('x-ratelimit-used') };
}

/** `{ communities(first: 10) { edges { node { id name } } } }` costs 1 + 10 × (edges 1 + node (1 + 2)) = 41. */
export const TEN_COMMUNITIES = '{ communities(first: 10) { edges { node { id name } } } }';
export const TEN_COMMUNITIES_COST = 41;
