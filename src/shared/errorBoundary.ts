import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { ApolloServerPlugin } from '@apollo/server';
import { AppError, type FieldError } from '../shared/errors';
import type { Context } from '../context';
import { logger } from '../logging/logger';

/** Flattens class-validator errors into `{ field, message }`, with dotted paths for nested inputs. */
export function fieldErrorsOf(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    }));
    return [...own, ...fieldErrorsOf(error.children ?? [], field)];
  });
}

/** Codes GraphQL and Apollo produce themselves for a request the client got wrong; their messages are safe. */
const CLIENT_CODES: Record<string, string> = {
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  OPERATION_RESOLUTION_FAILURE: 'GRAPHQL_VALIDATION_FAILED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_FOUND: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_USER_INPUT',
};

export interface ErrorLogger {
  (entry: { requestId?: string; error: unknown }): void;
}

export const defaultErrorLogger: ErrorLogger = ({ requestId, error }) =>
  logger.error({ err: error, ...(requestId ? { requestId } : {}) }, 'unexpected error');

/**
 * The client-facing form of an error, or null when it is unexpected. Errors we raised on purpose keep their code
 * and message; validation becomes BAD_USER_INPUT with fieldErrors; unique violations become CONFLICT; GraphQL's
 * own request errors keep their (safe) message under a contract code.
 */
export function clientFacingError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | null {
  const original = unwrapResolverError(error);
  const base = { locations: formatted.locations, path: formatted.path };

  if (original instanceof ArgumentValidationError) {
    const fieldErrors = fieldErrorsOf(original.extensions.validationErrors);
    return {
      ...base,
      message: `Invalid input: ${fieldErrors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      extensions: { code: 'BAD_USER_INPUT', fieldErrors },
    };
  }
  if (original instanceof AppError) {
    const { http: _http, ...extensions } = original.extensions;
    return { ...base, message: original.message, extensions };
  }
  if (original instanceof UniqueConstraintViolationException) {
    return { ...base, message: 'This conflicts with something that already exists', extensions: { code: 'CONFLICT' } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_CODES[code] && (original instanceof GraphQLError || original === undefined)) {
    const tooManyTokens = /contains more th(?:an|at) \d+ tokens/.test(formatted.message);
    const clientCode = tooManyTokens ? 'QUERY_TOO_COMPLEX' : CLIENT_CODES[code];
    // A variable that does not coerce ("Variable "$input" got invalid value ...; Field "email" of required type ...").
    const variable = /^Variable "\$(\w+)"/.exec(formatted.message);
    const fieldErrors = clientCode === 'BAD_USER_INPUT' ? [{ field: variable?.[1] ?? 'request', message: formatted.message }] : undefined;
    return {
      ...base,
      message: formatted.message,
      extensions: { code: clientCode, ...(fieldErrors ? { fieldErrors } : {}) },
    };
  }
  return null;
}

/**
 * The one error boundary (Apollo's formatError): anything unexpected reaches the client as INTERNAL_SERVER_ERROR
 * with no detail. No stack, SQL or driver text ever leaves. The request id is added, and the error logged with it,
 * by `errorReportingPlugin`, which sees the request's context.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  return (
    clientFacingError(formatted, error) ?? {
      locations: formatted.locations,
      path: formatted.path,
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    }
  );
}

/** Logs each unexpected error with the request id, and gives the client that id to quote. */
export function errorReportingPlugin(logger: ErrorLogger = defaultErrorLogger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const requestId = (contextValue as Partial<Context> | undefined)?.requestId;
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (!clientFacingError({ message: error.message, extensions: error.extensions }, error)) {
              logger({ requestId, error: unwrapResolverError(error) });
            }
          }
        },
        async willSendResponse({ response }) {
          if (!requestId || response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            if (error.extensions?.code === 'INTERNAL_SERVER_ERROR') (error.extensions as Record<string, unknown>).requestId = requestId;
          }
        },
      };
    },
  };
}
