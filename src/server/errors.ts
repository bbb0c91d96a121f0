import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { AppError, type FieldError } from '../shared/errors';

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

const defaultLogger: ErrorLogger = ({ requestId, error }) =>
  console.error(`[request ${requestId ?? '-'}] unexpected error`, error);

/**
 * The one error boundary. Errors we raised on purpose keep their code and message; validation becomes
 * BAD_USER_INPUT with fieldErrors; unique violations become CONFLICT; everything else is logged with the request
 * id and reaches the client as INTERNAL_SERVER_ERROR with no detail. No stack, SQL or driver text ever leaves.
 */
export function createErrorFormatter(logger: ErrorLogger = defaultLogger, requestIdOf: () => string | undefined = () => undefined) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
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
      return {
        ...base,
        message: formatted.message,
        extensions: { code: tooManyTokens ? 'QUERY_TOO_COMPLEX' : CLIENT_CODES[code] },
      };
    }
    const requestId = requestIdOf();
    logger({ requestId, error: original ?? error });
    return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) } };
  };
}
