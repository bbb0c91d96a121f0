import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { GraphQLError, parse, validate, getOperationAST, getVariableValues, type DocumentNode, type GraphQLSchema } from 'graphql';
import { WebSocketServer } from 'ws';
import { wrap } from '@mikro-orm/core';
import type { Em } from '../db/orm';
import { authenticateWithExpiry, scopeFor, type Services } from '../context';
import { Member } from '../modules/members/member.entity';
import { defaultErrorLogger, formatError } from '../shared/errorBoundary';
import { checkQueryLimits } from '../shared/queryLimits';
import { AppError } from '../shared/errors';
import { RateLimitedError, type RateLimitState } from '../limits/rateLimits';
import { CLOSE_FORBIDDEN, CLOSE_SLOW_CONSUMER, CLOSE_TOO_MANY_SOCKETS, CLOSE_TRY_AGAIN_LATER } from './closeCodes';
import { liveSubscribe } from './liveSubscribe';
import { Follower } from './follower';
import { clientResult, SocketSink } from './socketSink';
import { serveGraphqlWs, type Connection } from './wsTransport';
import { logger, withLogScope } from '../logging/logger';

const MAX_MESSAGE_BYTES = 100_000;
const MAX_CACHED_DOCUMENTS = 500;

export { CLOSE_SLOW_CONSUMER, CLOSE_TOO_MANY_SOCKETS };

/**
 * A socket keeps its member for as long as it is open: detached from the EntityManager that read it, whose identity
 * map and unit of work would otherwise stay with every idle socket (each operation gets an EntityManager of its own).
 */
function detached(em: Em, member: Member): Member {
  em.clear();
  (wrap(member, true) as unknown as { __em?: unknown }).__em = undefined;
  return member;
}

/** Counts open sockets per key (member or IP). */
class SocketCounter {
  private readonly counts = new Map<string, number>();
  add(key: string): number {
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count;
  }
  remove(key: string): void {
    const count = (this.counts.get(key) ?? 1) - 1;
    if (count <= 0) this.counts.delete(key);
    else this.counts.set(key, count);
  }
}

/** A thrown error as the client sees it (masked like every HTTP error); graphql-ws wraps what a stream throws. */
function masked(thrown: GraphQLError, requestId: string | undefined) {
  const error = thrown.originalError ?? thrown;
  const extensions = error instanceof GraphQLError ? error.extensions : {};
  const formatted = formatError({ message: error.message, extensions }, error);
  if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR') defaultErrorLogger({ error, requestId });
  return formatted;
}

const MALFORMED = Symbol('malformed authorization');

/**
 * `connectionParams.authorization`, its key in any letter case (like an HTTP header). Absent or null: anonymous
 * (null). Anything but a string, or the key given twice in different cases: MALFORMED, never silently anonymous.
 */
function authorizationParam(params: Readonly<Record<string, unknown>> | undefined): string | null | typeof MALFORMED {
  if (!params || typeof params !== 'object') return null;
  const keys = Object.keys(params).filter((key) => key.toLowerCase() === 'authorization');
  if (keys.length === 0) return null;
  if (keys.length > 1) return MALFORMED;
  const value = params[keys[0]!];
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : MALFORMED;
}

/**
 * graphql-ws (`graphql-transport-ws`) on the HTTP server's port and path. The token comes in
 * `connectionParams.authorization` (the key in any case); a bad or expired one, or a value that is not a string,
 * is refused at connection_init (close 4403), never treated as anonymous. Every operation gets its own context, and the same limits and error masking as HTTP.
 */
export function attachWebSockets(server: Server, schema: GraphQLSchema, services: Services): { close(): Promise<void>; stats(): { sockets: number; subscriptions: number } } {
  // No permessage-deflate: it would cost each socket its own zlib state (and CPU per message) for small messages.
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  // The HTTP server's own errors (a port in use) reach startApp, which reports them; ws re-emits them here.
  wss.on('error', () => undefined);
  const limits = services.config.sockets;
  const documents = new Map<string, { query: string; document: DocumentNode }>();
  const perIp = new SocketCounter();
  const perMember = new SocketCounter();
  const operationContext = (connection: Connection, id: string, rateLimit?: RateLimitState) => {
    // A short random id (crypto.randomUUID builds its string from ~20 pieces, kept per idle subscription).
    const requestId = randomBytes(12).toString('base64url');
    connection.requestIds.set(id, requestId);
    return {
      ...scopeFor(services, connection.viewer, services.orm.em.fork() as Em, { ip: connection.ip, requestId }),
      socket: connection.socket,
      rateLimit,
    };
  };
  /** Closes the socket when its token expires (timers longer than Node's maximum are re-armed). */
  const closeAtExpiry = (connection: Connection, expiresAt: Date) => {
    connection.expiresAt = expiresAt;
    const arm = () => {
      const left = expiresAt.getTime() - Date.now();
      if (left <= 0) return connection.close(CLOSE_FORBIDDEN, 'Token expired; sign in again');
      connection.expiry = setTimeout(arm, Math.min(left, 2 ** 31 - 1));
      connection.expiry.unref();
    };
    arm();
  };
  /** Null when the socket's member may go on; else the error for this operation, the socket being closed (4403). */
  const recheckViewer = async (connection: Connection): Promise<GraphQLError | null> => {
    if (!connection.viewer) return null;
    const expired = connection.expiresAt !== null && connection.expiresAt.getTime() <= Date.now();
    let current: Member | null = null;
    try {
      const em = services.orm.em.fork() as Em;
      const found = expired ? null : await em.findOne(Member, { id: connection.viewer.id });
      current = found && detached(em, found);
    } catch (error) {
      // The database is away: this operation fails (the client retries), the socket and its member stay.
      logger.warn({ reason: error instanceof Error ? error.message : String(error) }, '[ws] could not re-read the member');
      return new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    }
    if (current) {
      connection.viewer = current;
      return null;
    }
    const message = expired ? 'Token expired; sign in again' : 'This account no longer exists';
    connection.close(CLOSE_FORBIDDEN, message);
    return new AppError('UNAUTHENTICATED', message);
  };
  const transport = serveGraphqlWs(
    wss,
    {
      schema,
      onConnect: async (ctx) => {
        const connection = ctx.extra;
        const authorization = authorizationParam(ctx.connectionParams);
        // A malformed value (a number, an object, two spellings of the key) is refused like a bad token: 4403.
        if (authorization === MALFORMED) return false;
        try {
          const em = services.orm.em.fork() as Em;
          const signedIn = await authenticateWithExpiry(services, authorization, em);
          connection.viewer = signedIn ? detached(em, signedIn.viewer) : null;
          if (signedIn) closeAtExpiry(connection, signedIn.expiresAt);
        } catch (error) {
          // A bad or expired token: 4403. The member could not be read (the database is away): 1013 Try Again
          // Later, which clients retry, rather than a refusal that says the token is wrong.
          if (error instanceof AppError) return false;
          logger.warn({ reason: error instanceof Error ? error.message : String(error) }, '[ws] could not read the connecting member');
          connection.close(CLOSE_TRY_AGAIN_LATER, 'Try again later');
          return false;
        }
        const memberId = connection.viewer?.id;
        if (memberId) {
          connection.memberId = memberId;
          if (perMember.add(memberId) > limits.perMember) {
            services.metrics.refused('socketsPerMember');
            connection.close(CLOSE_TOO_MANY_SOCKETS, 'Too many connections for this account');
            return false;
          }
        }
        return true;
      },
      context: (ctx, id) => operationContext(ctx.extra, id),
      // What the subscription logs while it starts carries its request id.
      subscribe: (args) => {
        const requestId = (args.contextValue as { requestId: string }).requestId;
        return withLogScope({ requestId }, () => {
          logger.info({ operation: getOperationAST(args.document, args.operationName)?.name?.value ?? null }, 'subscription started');
          return liveSubscribe(args);
        });
      },
      onComplete: (ctx, id) => {
        const requestId = ctx.extra.requestIds.get(id);
        ctx.extra.requestIds.delete(id);
        if (requestId) logger.info({ requestId }, 'subscription ended');
      },
      // Thread and community streams write their own results to the socket (prepared once for all subscribers).
      onOperation: (ctx, id, _payload, args, result) => {
        if (result instanceof Follower) result.sendTo(new SocketSink(ctx.extra.socket, ctx.extra.raw, id, limits.maxBufferedBytes), args);
      },
      onSubscribe: async (ctx, id, payload) => {
        // Thousands of sockets send the same few documents: parse and validate each once, share the AST, and keep
        // one copy of the text (graphql-ws holds the message for the subscription's lifetime).
        const cached = documents.get(payload.query);
        let document = cached?.document;
        if (cached) (payload as { query: string }).query = cached.query;
        if (!document) {
          try {
            document = parse(payload.query, { maxTokens: services.config.limits.maxTokens });
          } catch (error) {
            return [new GraphQLError(error instanceof Error ? error.message : 'Syntax error', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })];
          }
          const errors = validate(schema, document);
          if (errors.length) return errors.map((e) => new GraphQLError(e.message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
          if (documents.size >= MAX_CACHED_DOCUMENTS) documents.delete(documents.keys().next().value!);
          documents.set(payload.query, { query: payload.query, document });
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) {
          return [new GraphQLError('Unknown operation', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })];
        }
        // The member is read again for every operation: a deleted member or an expired token ends the socket (4403)
        // instead of answering as someone who no longer exists.
        const refusal = await recheckViewer(ctx.extra);
        if (refusal) return [refusal];
        // Variables that do not coerce (a required one missing, a wrong type) are the client's mistake, answered
        // as over HTTP (BAD_USER_INPUT on that variable), not left to fail inside execution.
        const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {}, { maxErrors: 50 });
        if (coerced.errors) {
          return coerced.errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'BAD_USER_INPUT' } }));
        }
        // graphql-ws lists every operation of the socket still running, this one included.
        if (Object.keys(ctx.subscriptions).length > services.config.rateLimit.subscriptionsPerSocket) {
          services.metrics.refused('subscriptionsPerSocket');
          return [new AppError('RATE_LIMITED', `At most ${services.config.rateLimit.subscriptionsPerSocket} subscriptions per connection; complete one first`)];
        }
        let rateLimit: RateLimitState;
        try {
          const cost = checkQueryLimits(schema, document, services.config.limits, payload.variables ?? undefined, payload.operationName);
          // Every operation on a socket (a subscription when it starts) spends its cost, as over HTTP.
          rateLimit = await services.rateLimits.spend({ memberId: ctx.extra.viewer?.id ?? null, ip: ctx.extra.ip }, cost);
        } catch (error) {
          if (error instanceof RateLimitedError) {
            services.metrics.refused('budget');
            return [error];
          }
          return [error as GraphQLError];
        }
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue: operationContext(ctx.extra, id, rateLimit) };
      },
      onNext: (ctx, _id, _payload, _args, result) => {
        // A subscriber that does not read fast enough is let go rather than buffered without end.
        if (ctx.extra.socket.bufferedAmount > limits.maxBufferedBytes) {
          ctx.extra.socket.close(CLOSE_SLOW_CONSUMER, 'Too slow: send buffer full');
        }
        return clientResult(result);
      },
      onError: (ctx, id, _payload, errors) =>
        errors.map((error) => {
          const formatted = masked(error, ctx.extra.requestIds.get(id));
          services.metrics.countError(formatted.extensions?.code);
          return formatted;
        }),
    },
    {
      // An over-limit socket is closed before it says anything.
      accept: (connection) => {
        if (perIp.add(connection.ip) <= limits.perIp) return true;
        services.metrics.refused('socketsPerIp');
        connection.close(CLOSE_TOO_MANY_SOCKETS, 'Too many connections from this address');
        return false;
      },
      closed: (connection) => {
        if (connection.expiry) clearTimeout(connection.expiry);
        perIp.remove(connection.ip);
        if (connection.memberId) perMember.remove(connection.memberId);
      },
    },
    12_000,
  );
  return {
    stats: () => transport.stats(),
    async close() {
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      await transport.dispose();
    },
  };
}
