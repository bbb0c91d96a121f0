import { GraphQLError } from 'graphql';

/** The error codes of the API contract; nothing else reaches a client. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'QUERY_TOO_COMPLEX'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'INTERNAL_SERVER_ERROR';

export interface FieldError {
  field: string;
  message: string;
}

/** Only a refusal of the whole operation changes the HTTP status; field errors ride on a 200 with partial data. */
const httpStatus: Partial<Record<ErrorCode, number>> = {
  RATE_LIMITED: 429,
};

/** An error the client caused or may know about: its message and code are safe to show. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    const status = httpStatus[code];
    super(message, { extensions: { code, ...extra, ...(status ? { http: { status } } : {}) } });
  }

  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

export const unauthenticated = (message = 'You must be signed in to do this') => new AppError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You are not allowed to do this') => new AppError('FORBIDDEN', message);
export const notFound = (what = 'Object') => new AppError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string) => new AppError('CONFLICT', message);
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError('RATE_LIMITED', `Too many attempts; try again in ${retryAfterSeconds} s`, { retryAfter: retryAfterSeconds });
export const queryTooComplex = (message: string) => new AppError('QUERY_TOO_COMPLEX', message);

export function badUserInput(fieldErrors: FieldError[], message?: string): AppError {
  return new AppError('BAD_USER_INPUT', message ?? fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; '), {
    fieldErrors,
  });
}

export const badField = (field: string, message: string) => badUserInput([{ field, message }]);
