import { AsyncLocalStorage } from 'node:async_hooks';
import { ApolloServer } from '@apollo/server';
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
    plugins: [queryLimitsPlugin(limits)],
    // Clients POST JSON; GET works for queries. CSRF prevention stays on (it needs a JSON content type or a header).
    csrfPrevention: true,
  });
}
