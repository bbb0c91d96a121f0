import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import { logger } from './logger';

/** One line per GraphQL request over HTTP (its requestId comes from the log scope http.ts runs it in). */
export function requestLogPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ response, operationName, operation }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []).map((error) => error.extensions?.code) : [];
          logger.info(
            {
              operation: operationName ?? null,
              type: operation?.operation ?? null,
              status: response.http.status ?? 200,
              durationMs: Number(process.hrtime.bigint() - started) / 1e6,
              ...(errors.length ? { errors } : {}),
            },
            'graphql request',
          );
        },
      };
    },
  };
}
