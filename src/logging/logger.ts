import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';

/** What every log line written inside a unit of work carries: an HTTP request or subscription's id, a job's. */
export interface LogScope {
  requestId?: string;
  subscriptionId?: string;
  job?: string;
  jobId?: string;
  /** A batch job: how many jobs it works together (`jobId` is the first). */
  batchSize?: number;
}

const scopes = new AsyncLocalStorage<LogScope>();

/** Runs `work` with `scope` on every line logged inside it, however deep the async calls go. */
export function withLogScope<T>(scope: LogScope, work: () => T): T {
  return scopes.run({ ...scopes.getStore(), ...scope }, work);
}

/** Where lines go: stdout, or a test's collector (`logTo`). */
let target: { write(line: string): unknown } = process.stdout;

/** Sends the log lines to `destination` (tests); `null` restores stdout. */
export function logTo(destination: { write(line: string): unknown } | null): void {
  target = destination ?? process.stdout;
}

/**
 * The process' logger (pino): one JSON object a line with `time` (ISO), `level`, `msg`, the scope's ids
 * (`requestId`, `subscriptionId`, `job`, `jobId`) and, for failures, `err` with its type, message and stack.
 * LOG_LEVEL sets the level (startApp applies the config's).
 */
/**
 * Errors as type, message, stack and their plain fields (code, detail, responseCode...), with their cause; objects
 * hung on them (a pg error carries its whole client) are left out, so a line stays a line and leaks no connection.
 */
function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(serialized)) {
    if (value === null || typeof value !== 'object' || (Array.isArray(value) && value.every((item) => typeof item !== 'object'))) kept[key] = value;
  }
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) kept.cause = serializeError(cause);
  return kept;
}

export const logger: Logger = pino(
  {
    serializers: { err: serializeError },
    level: process.env.LOG_LEVEL?.trim() || 'info',
    base: { service: 'practicehub' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => ({ ...scopes.getStore() }),
  },
  { write: (line: string) => target.write(line) },
);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
