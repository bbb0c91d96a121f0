import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { AppError } from '../shared/errors';

/**
 * The GraphQL-over-HTTP rules our transport adds to Apollo's.
 *
 * CSRF: the API authenticates with bearer tokens only, never cookies, so a cross-site request cannot act as anyone.
 * Apollo's csrfPrevention is therefore off (it refused stock GET clients such as urql); what stays is the spec's own
 * rule that a POST body is JSON, which a cross-site form cannot send without a preflight.
 */
export function postContentTypeAccepted(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type === 'application/graphql-response+json';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** GET parameters as the spec reads them: `variables` and `extensions` are JSON strings. */
function getParams(search: URLSearchParams): Record<string, unknown> | null {
  const params: Record<string, unknown> = {};
  for (const key of ['query', 'operationName', 'variables', 'extensions']) {
    const value = search.get(key);
    if (value === null) continue;
    if (key === 'variables' || key === 'extensions') {
      try {
        params[key] = JSON.parse(value);
      } catch {
        return null;
      }
    } else params[key] = value;
  }
  return params;
}

/** A well-formed request: a string `query`, and `operationName`, `variables`, `extensions` of the right shapes if given. */
export function wellFormed(method: string, body: unknown, search: URLSearchParams): boolean {
  const params = method === 'GET' ? getParams(search) : isObject(body) ? body : null;
  if (!params || typeof params.query !== 'string') return false;
  if (params.operationName != null && typeof params.operationName !== 'string') return false;
  if (params.variables != null && !isObject(params.variables)) return false;
  if (params.extensions != null && !isObject(params.extensions)) return false;
  return true;
}

/**
 * The status of an answer: a client that accepts only `application/json` (the legacy media type) gets 200 for every
 * well-formed request, its errors in the body (parse, validation, variable coercion, query limits), as the spec
 * asks; with `application/graphql-response+json` the 4xx stay. Malformed requests keep their 4xx either way.
 */
export function answerStatus(status: number, responseContentType: string | undefined, isWellFormed: boolean): number {
  if (status !== 400 || !isWellFormed) return status;
  return (responseContentType ?? '').toLowerCase().startsWith('application/json') ? 200 : status;
}

/**
 * Subscriptions are served over graphql-ws on the same URL; one sent over HTTP would run as a query and fail inside
 * execution. It is refused before anything runs, as the client's mistake.
 */
export function subscriptionsOverSocketsOnly(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'subscription') {
            throw new AppError('GRAPHQL_VALIDATION_FAILED', 'Subscriptions are served over graphql-ws (a WebSocket on this URL), not over HTTP', { http: { status: 400 } });
          }
        },
      };
    },
  };
}
