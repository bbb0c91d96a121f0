import { AsyncLocalStorage } from 'node:async_hooks';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Context } from './context';
import type { QueryLimits } from '../config';
import { createErrorFormatter, type ErrorLogger } from './errors';
import { queryLimitsPlugin } from './limits';

/** The current request's id, for the error boundary's log lines. */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();

export function createApollo(schema: GraphQLSchema, limits: QueryLimits, logger?: ErrorLogger): ApolloServer<Context> {
  return new ApolloServer<Context>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: limits.maxTokens },
    formatError: createErrorFormatter(logger, () => requestScope.getStore()?.requestId),
    // No cache hints are used: skip the per-field cache-control work.
    plugins: [queryLimitsPlugin(limits), ApolloServerPluginCacheControlDisabled()],
    // main.ts owns shutdown (drain HTTP, then Apollo, then the database).
    stopOnTerminationSignals: false,
    // Clients POST JSON; GET works for queries. CSRF prevention stays on (it needs a JSON content type or a header).
    csrfPrevention: true,
  });
}
