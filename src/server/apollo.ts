import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Context } from '../context';
import type { QueryLimits } from '../config';
import { errorReportingPlugin, formatError, type ErrorLogger } from '../shared/errorBoundary';
import { queryLimitsPlugin } from '../shared/queryLimits';
import { rateLimitHeadersPlugin, spendQueryCost } from '../limits/rateLimit.plugin';
import { subscriptionsOverSocketsOnly } from './graphqlOverHttp';

export function createApollo(schema: GraphQLSchema, limits: QueryLimits, logger?: ErrorLogger, extraPlugins: ApolloServerPlugin<Context>[] = []): ApolloServer<Context> {
  return new ApolloServer<Context>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: limits.maxTokens },
    formatError,
    // Compact JSON (Apollo pretty-prints by default, a third more bytes for nobody).
    stringifyResult: (value) => JSON.stringify(value),
    // No cache hints are used: skip the per-field cache-control work. No Apollo landing page (it loads from a CDN):
    // outside production, server/explorer serves GraphiQL from our own routes.
    plugins: [
      errorReportingPlugin(logger),
      subscriptionsOverSocketsOnly(),
      queryLimitsPlugin(limits, spendQueryCost),
      rateLimitHeadersPlugin(),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ...extraPlugins,
    ],
    // main.ts owns shutdown (drain HTTP, then Apollo, then the database).
    stopOnTerminationSignals: false,
    // Bearer tokens only, never cookies: a cross-site request acts as nobody, so stock GET clients (urql) need no
    // preflight header. POST bodies must still be JSON (http.ts), which a cross-site form cannot send.
    csrfPrevention: false,
  });
}
