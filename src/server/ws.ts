import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, parse, validate, getOperationAST, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Em } from '../db/orm';
import type { Member } from '../modules/members/member.entity';
import { authenticate, scopeFor, type Services } from './context';
import { clientFacingError, defaultErrorLogger, formatError } from './errors';
import { checkQueryLimits } from './limits';

const MAX_MESSAGE_BYTES = 100_000;

type SocketExtra = {
  viewer?: Member | null;
};

/** A thrown error as the client sees it (masked like every HTTP error); graphql-ws wraps what a stream throws. */
function masked(thrown: GraphQLError) {
  const error = thrown.originalError ?? thrown;
  const extensions = error instanceof GraphQLError ? error.extensions : {};
  const formatted = formatError({ message: error.message, extensions }, error);
  if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR') defaultErrorLogger({ error });
  return formatted;
}

/**
 * graphql-ws (`graphql-transport-ws`) on the HTTP server's port and path. The token comes in
 * `connectionParams.authorization`; a bad or expired one is refused at connection_init (close 4403), never
 * treated as anonymous. Every operation gets its own context, and the same limits and error masking as HTTP.
 */
export function attachWebSockets(server: Server, schema: GraphQLSchema, services: Services): { close(): Promise<void> } {
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: MAX_MESSAGE_BYTES });
  const disposable = useServer<Record<string, unknown>, SocketExtra>(
    {
      schema,
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        try {
          ctx.extra.viewer = await authenticate(services, typeof authorization === 'string' ? authorization : null, services.orm.em.fork() as Em);
          return true;
        } catch {
          return false;
        }
      },
      context: (ctx) =>
        scopeFor(services, ctx.extra.viewer ?? null, services.orm.em.fork() as Em, { ip: (ctx.extra.request as IncomingMessage).socket.remoteAddress }),
      onSubscribe: (_ctx, _id, payload) => {
        let document;
        try {
          document = parse(payload.query, { maxTokens: services.config.limits.maxTokens });
        } catch (error) {
          return [new GraphQLError(error instanceof Error ? error.message : 'Syntax error', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })];
        }
        const errors = validate(schema, document);
        if (errors.length) return errors.map((e) => new GraphQLError(e.message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
        if (!getOperationAST(document, payload.operationName)) {
          return [new GraphQLError('Unknown operation', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })];
        }
        try {
          checkQueryLimits(schema, document, services.config.limits, payload.variables ?? undefined, payload.operationName);
        } catch (error) {
          return [error as GraphQLError];
        }
        return undefined;
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors?.length) return undefined;
        for (const error of result.errors) {
          if (!clientFacingError({ message: error.message, extensions: error.extensions }, error)) defaultErrorLogger({ error });
        }
        return { ...result, errors: result.errors.map((error) => formatError({ message: error.message, path: error.path, extensions: error.extensions }, error)) };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => masked(error)),
    },
    wss,
    12_000,
  );
  return {
    async close() {
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      await disposable.dispose();
    },
  };
}
