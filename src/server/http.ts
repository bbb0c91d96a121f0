import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Em } from '../db/orm';
import type { Context, Services } from '../context';
import { createContext } from '../context';
import { answerStatus, postContentTypeAccepted, wellFormed } from './graphqlOverHttp';
import { defaultErrorLogger, type ErrorLogger } from '../shared/errorBoundary';
import { rateLimitHeaders } from '../limits/rateLimits';
import { logger, withLogScope } from '../logging/logger';

const MAX_BODY_BYTES = 1_000_000;

class BodyTooLarge extends Error {}

/**
 * The request body as text; past MAX_BODY_BYTES it rejects with BodyTooLarge and keeps nothing more. The rest
 * is still read and discarded (never `req.destroy()`: a reset connection loses the 413 the client should get).
 */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * A refusal of the body itself (413 too large, 415 not JSON) with the contract's JSON, then the connection closes
 * (`connection: close`): the unread rest of the body is discarded, never parsed as a next request. Node ends the
 * socket once the response is written.
 */
function refuseBody(req: IncomingMessage, res: ServerResponse, status: 413 | 415, message: string): void {
  req.resume();
  res.shouldKeepAlive = false;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] }));
}

/** The client's address; behind a trusted proxy, the first X-Forwarded-For entry. */
function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/** Context creation failures (a bad token) answer as GraphQL errors with the contract's code, never a stack. */
function contextErrorBody(error: unknown): { status: number; body: unknown } | null {
  const extensions = (error as { extensions?: Record<string, unknown> }).extensions;
  if (!extensions || typeof extensions.code !== 'string') return null;
  const { http, ...rest } = extensions as { http?: { status?: number }; code: string };
  return {
    status: http?.status ?? (rest.code === 'UNAUTHENTICATED' ? 401 : 400),
    body: { errors: [{ message: (error as Error).message, extensions: rest }] },
  };
}

export interface HttpOptions {
  apollo: ApolloServer<Context>;
  services: Services;
  /** Extra routes (the demo page later); return true when handled. */
  routes?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;
  /** Where unexpected failures are reported (Apollo's own errors go to the same logger through its plugin). */
  errorLogger?: ErrorLogger;
}

/**
 * Plain `node:http`: `/graphql` (POST and GET), `/healthz`, `/readyz`. The graphql-ws server attaches to the
 * same server's upgrade event, so HTTP and sockets share the port.
 */
export interface HttpServer {
  server: Server;
  /** Resolves once no request is in flight. */
  drained(): Promise<void>;
}

export function createHttpServer({ apollo, services, routes, errorLogger = defaultErrorLogger }: HttpOptions): HttpServer {
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  const done = () => {
    inFlight -= 1;
    if (inFlight === 0) {
      for (const wake of waiters) wake();
      waiters = [];
    }
  };
  const server = createServer(async (req, res) => {
    inFlight += 1;
    res.once('close', done);
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === '/readyz') {
        const ready = await (services.orm.em.fork() as Em)
          .execute('select 1')
          .then(() => true, () => false);
        return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable' });
      }
      if (routes && (await routes(req, res))) return;
      if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'Not found' });
      if (req.method !== 'GET' && req.method !== 'POST') {
        res.setHeader('allow', 'GET, POST');
        return sendJson(res, 405, { error: 'Method not allowed' });
      }

      const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
      res.setHeader('x-request-id', requestId);
      const ip = clientIp(req, services.config.trustProxy);
      // Answers Apollo never sees (a body that is not JSON, a bad token) report the client IP's budget, unspent.
      const reportAnonymousBudget = async () => {
        const state = await services.rateLimits.peek({ memberId: null, ip }).catch(() => null);
        if (state) for (const [name, value] of rateLimitHeaders(state)) res.setHeader(name, value);
      };
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      let body: unknown = undefined;
      if (req.method === 'POST') {
        if (!postContentTypeAccepted(req)) {
          await reportAnonymousBudget();
          return refuseBody(req, res, 415, 'Send the request body as application/json');
        }
        const raw = await readBody(req);
        try {
          body = raw ? JSON.parse(raw) : undefined;
        } catch {
          await reportAnonymousBudget();
          return sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } }] });
        }
      }

      let contextError: unknown = null;
      // Every line logged while the request runs carries its id.
      const result = await withLogScope({ requestId }, () => apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method!, headers, search: url.search, body },
        context: async () => {
          try {
            return await createContext(services, { authorization: req.headers.authorization, ip, requestId });
          } catch (error) {
            contextError = error;
            throw error;
          }
        },
      }));
      if (contextError) {
        const contextFailure = contextErrorBody(contextError);
        if (contextFailure) {
          services.metrics.countError((contextError as { extensions: { code: string } }).extensions.code);
          await reportAnonymousBudget();
          return sendJson(res, contextFailure.status, contextFailure.body);
        }
        // Not the client's doing (the database failing while a token's member is read): logged, answered masked.
        errorLogger({ requestId, error: contextError });
        services.metrics.countError('INTERNAL_SERVER_ERROR');
        return sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] });
      }

      for (const [key, value] of result.headers) res.setHeader(key, value);
      res.statusCode = answerStatus(result.status ?? 200, result.headers.get('content-type'), wellFormed(req.method!, body, url.searchParams));
      if (result.body.kind === 'complete') {
        res.end(result.body.string);
      } else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (error) {
      if (error instanceof BodyTooLarge) return refuseBody(req, res, 413, 'Request body too large');
      logger.error({ err: error }, '[http] unexpected error');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    }
  });
  return {
    server,
    drained: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
  };
}
