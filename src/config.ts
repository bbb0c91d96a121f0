import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOG_LEVELS, type LogLevel } from './logging/logger';

/** Every environment variable the API reads, parsed and validated once. */
export interface Config {
  port: number;
  host: string;
  /** PostgreSQL connection string; null means the embedded PGlite database under `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  redisUrl: string | null;
  /** Prefix of every Redis key and channel (REDIS_PREFIX), so deployments or test runs can share one Redis. */
  redisPrefix: string;
  jwtSecret: string;
  tokenTtlSeconds: number;
  bootstrapStaffEmails: Set<string>;
  migrateOnStart: boolean;
  /** Load the demo data when the database is empty (default: only on the embedded database). */
  seedOnEmpty: boolean;
  /** scrypt cost parameter N (a power of two); lower only in tests. */
  passwordHashCost: number;
  limits: QueryLimits;
  /** Log-in attempts per account and IP allowed in each 15-minute window (a success clears them). */
  authMaxAttempts: number;
  /** Sign-ups per client IP allowed in each hour (a school behind one NAT signs up many members). */
  signUpsPerIpPerHour: number;
  /** Failed log-ins per client IP in each hour, whatever the emails (password spraying); past it the IP cannot log in. */
  authFailuresPerIpPerHour: number;
  rateLimit: RateLimitConfig;
  /** Behind a load balancer: take the client IP from the first X-Forwarded-For address. */
  trustProxy: boolean;
  logQueries: boolean;
  /** STATEMENT_TIMEOUT_MS: PostgreSQL cancels any ORM statement running longer (0: no limit; PGlite: not enforced). */
  statementTimeoutMs: number;
  /** LOG_LEVEL: the least severe level logged (fatal, error, warn, info, debug, trace or silent; default info). */
  logLevel: LogLevel;
  production: boolean;
  /** A typing flag hides this long after its last renewal. */
  typingTtlMs: number;
  sockets: SocketLimits;
  /** Search ranks at most this many of the newest matches of each kind (thread, post, resource); see searchQuery.ts. */
  searchCandidateCap: number;
  /** How much each criterion counts in `mentorMatches` (MENTOR_MATCH_WEIGHTS), normalised to sum to 1. */
  mentorMatchWeights: MentorMatchWeights;
  /** The organisation's IANA time zone (ORG_TIME_ZONE): digests' cron expressions and the annual meeting's week. */
  orgTimeZone: string;
  /** Base of every link in emails (PUBLIC_URL, default http://localhost:$PORT), without a trailing slash. */
  publicUrl: string;
  /** SMTP server for outgoing mail (SMTP_URL); null: mail is kept in the local mailbox (see /demo/mail). */
  smtpUrl: string | null;
  mailFrom: string;
  /** A direct notification is emailed to a WHEN_AWAY member only if still unread after this many seconds. */
  emailDelaySeconds: number;
  digestDailyCron: string;
  digestWeeklyCron: string;
  /** When the proposal timeline job records started reviews and passed deadlines (PROPOSAL_TIMELINE_CRON, in ORG_TIME_ZONE). */
  proposalTimelineCron: string;
  /** Allow webhook deliveries to loopback, private and link-local addresses (off in production). */
  webhookAllowPrivateNetworks: boolean;
  /** How long a webhook receiver has to answer, in ms (WEBHOOK_TIMEOUT_MS, default 15 s). */
  webhookTimeoutMs: number;
  /** The waits before each retry of a failed webhook delivery, in ms (WEBHOOK_RETRY_DELAYS_MS, comma-separated). */
  webhookRetryDelaysMs: number[];
  /** False: this instance enqueues jobs but does not work them (JOBS_ENABLED). */
  jobsEnabled: boolean;
  /** How often the event dispatcher looks for events nobody woke it for (EVENT_POLL_MS). */
  eventPollMs: number;
  /** How often idle job workers poll, in seconds (JOB_POLL_SECONDS, ≥ 0.5). */
  jobPollSeconds: number;
  /** ROLE_TERM_WARNING_DAYS: a role's holder is told this many days before its term ends (default 14). */
  roleTermWarningDays: number;
  /** ROLE_TERMS_CRON (in ORG_TIME_ZONE): when role terms are checked for warnings and lapses (default every 5 minutes). */
  roleTermsCron: string;
  /** RITUALS_CRON (in ORG_TIME_ZONE): when due ritual occurrences are posted (default every minute). */
  ritualsCron: string;
  /** ANNUAL_MEETINGS_CRON (in ORG_TIME_ZONE): when missing annual meetings are created (default daily at midnight). */
  annualMeetingsCron: string;
  /** MEETING_REMINDERS_CRON (in ORG_TIME_ZONE): the sweep sending due reminders whose job was lost (default every minute). */
  meetingRemindersCron: string;
}

/** The criteria a mentor match is scored on; each weight is ≥ 0 and together they sum to 1. */
export interface MentorMatchWeights {
  topics: number;
  goals: number;
  communities: number;
  capacity: number;
}

export const MENTOR_MATCH_CRITERIA = ['topics', 'goals', 'communities', 'capacity'] as const;

/** Topics first (what the mentee asked for), then how well the goals fit, then community ties and free places. */
export const DEFAULT_MENTOR_MATCH_WEIGHTS: MentorMatchWeights = { topics: 0.45, goals: 0.25, communities: 0.15, capacity: 0.15 };

export interface SocketLimits {
  perMember: number;
  perIp: number;
  /** A socket whose unsent data grows past this is closed (slow consumer) instead of growing memory. */
  maxBufferedBytes: number;
}

/** Cost-based request budgets (GraphQL query cost, see shared/queryLimits.ts), per window. */
export interface RateLimitConfig {
  /** Points per window for a signed-in account (RATE_LIMIT_POINTS). */
  points: number;
  /** Points per window for anonymous requests, per client IP (RATE_LIMIT_ANONYMOUS_POINTS). */
  anonymousPoints: number;
  windowSeconds: number;
  /** Live subscriptions one socket may hold at once (WS_MAX_SUBSCRIPTIONS_PER_SOCKET). */
  subscriptionsPerSocket: number;
}

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
}

export class ConfigError extends Error {}

/** True for an IANA zone name the runtime knows ("Europe/Oslo"; not "CET+1" or an offset). */
export function isIanaTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Five cron fields (minute hour day-of-month month day-of-week), each of digits, `*`, `,`, `-`, `/`. */
function cron(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = (env[name] ?? '').trim() || fallback;
  const fields = value.split(/\s+/);
  if (fields.length !== 5 || !fields.every((field) => /^[\d*,/-]+$/.test(field))) {
    throw new ConfigError(`${name} must be a cron expression of five fields, got "${value}"`);
  }
  return value;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function logLevel(raw: string | undefined): LogLevel {
  const value = raw?.trim().toLowerCase() || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(value)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return value as LogLevel;
}

/** Standard Webhooks' schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (jitter is added per delivery). */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

/** WEBHOOK_RETRY_DELAYS_MS: comma-separated integers ≥ 0 (`100,200`), or `none` for no retries. */
function delays(env: NodeJS.ProcessEnv, name: string, fallback: number[]): number[] {
  const raw = env[name]?.trim();
  if (!raw) return [...fallback];
  if (raw.toLowerCase() === 'none') return [];
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (!values.every((value) => Number.isInteger(value) && value >= 0)) {
    throw new ConfigError(`${name} must be comma-separated integers >= 0 (milliseconds), got "${raw}"`);
  }
  return values;
}

/** Without JWT_SECRET outside production, a random secret is kept in the data directory so tokens survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * MENTOR_MATCH_WEIGHTS: a JSON object such as `{"topics": 3, "goals": 2, "communities": 1, "capacity": 1}`. Only
 * the four criteria are allowed, each a finite number ≥ 0, at least one above 0; a criterion left out counts 0.
 * The weights are relative: they are divided by their sum, so `{"topics": 1}` means topics alone decide.
 */
export function parseMentorMatchWeights(raw: string | undefined): MentorMatchWeights {
  if (raw === undefined || raw.trim() === '') return { ...DEFAULT_MENTOR_MATCH_WEIGHTS };
  const fail = (why: string) => new ConfigError(`MENTOR_MATCH_WEIGHTS ${why}, got ${JSON.stringify(raw)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw fail('must be a JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw fail('must be a JSON object');
  const weights: MentorMatchWeights = { topics: 0, goals: 0, communities: 0, capacity: 0 };
  for (const [key, value] of Object.entries(parsed)) {
    if (!(MENTOR_MATCH_CRITERIA as readonly string[]).includes(key)) {
      throw fail(`has an unknown criterion "${key}" (allowed: ${MENTOR_MATCH_CRITERIA.join(', ')})`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw fail(`needs a number >= 0 for "${key}"`);
    weights[key as keyof MentorMatchWeights] = value;
  }
  const total = MENTOR_MATCH_CRITERIA.reduce((sum, key) => sum + weights[key], 0);
  if (!(total > 0)) throw fail('needs at least one weight above 0');
  for (const key of MENTOR_MATCH_CRITERIA) weights[key] /= total;
  return weights;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const dataDir = resolve(env.DATA_DIR || './data');
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  let jwtSecret = env.JWT_SECRET?.trim() ?? '';
  if (!jwtSecret) {
    if (production) throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
    jwtSecret = developmentSecret(dataDir);
  }
  if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters');
  const passwordHashCost = int(env, 'PASSWORD_HASH_COST', 1 << 15, 2);
  if ((passwordHashCost & (passwordHashCost - 1)) !== 0) throw new ConfigError('PASSWORD_HASH_COST must be a power of two');

  const port = int(env, 'PORT', 4000);
  const orgTimeZone = env.ORG_TIME_ZONE?.trim() || 'America/Chicago';
  if (!isIanaTimeZone(orgTimeZone)) throw new ConfigError(`ORG_TIME_ZONE must be an IANA time zone such as America/Chicago, got "${orgTimeZone}"`);

  return {
    port,
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    dataDir,
    redisUrl: env.REDIS_URL?.trim() || null,
    redisPrefix: env.REDIS_PREFIX?.trim() || 'practicehub:',
    jwtSecret,
    tokenTtlSeconds: int(env, 'TOKEN_TTL_SECONDS', 7 * 24 * 3600, 60),
    bootstrapStaffEmails: new Set(
      (env.BOOTSTRAP_STAFF_EMAILS ?? '')
        .split(',')
        .map((email) => email.trim().toLowerCase())
        .filter(Boolean),
    ),
    migrateOnStart: bool(env, 'MIGRATE_ON_START', true),
    seedOnEmpty: bool(env, 'SEED_ON_EMPTY', databaseUrl === null),
    passwordHashCost,
    limits: {
      maxDepth: int(env, 'QUERY_MAX_DEPTH', 12, 1),
      maxCost: int(env, 'QUERY_MAX_COST', 10_000, 1),
      maxAliases: int(env, 'QUERY_MAX_ALIASES', 15, 0),
      maxTokens: int(env, 'QUERY_MAX_TOKENS', 2_000, 10),
    },
    authMaxAttempts: int(env, 'AUTH_MAX_ATTEMPTS', 10, 1),
    signUpsPerIpPerHour: int(env, 'SIGNUPS_PER_IP_PER_HOUR', 100, 1),
    authFailuresPerIpPerHour: int(env, 'AUTH_MAX_FAILURES_PER_IP_PER_HOUR', 100, 1),
    rateLimit: {
      points: int(env, 'RATE_LIMIT_POINTS', 250_000, 1),
      anonymousPoints: int(env, 'RATE_LIMIT_ANONYMOUS_POINTS', 50_000, 1),
      windowSeconds: int(env, 'RATE_LIMIT_WINDOW_SECONDS', 3_600, 1),
      subscriptionsPerSocket: int(env, 'WS_MAX_SUBSCRIPTIONS_PER_SOCKET', 100, 1),
    },
    trustProxy: bool(env, 'TRUST_PROXY', false),
    logQueries: bool(env, 'LOG_QUERIES', false),
    statementTimeoutMs: int(env, 'STATEMENT_TIMEOUT_MS', 10_000, 0),
    logLevel: logLevel(env.LOG_LEVEL),
    typingTtlMs: int(env, 'TYPING_TTL_MS', 15_000, 100),
    sockets: {
      perMember: int(env, 'WS_MAX_SOCKETS_PER_MEMBER', 20, 1),
      perIp: int(env, 'WS_MAX_SOCKETS_PER_IP', 200, 1),
      maxBufferedBytes: int(env, 'WS_MAX_BUFFERED_BYTES', 1_000_000, 1_000),
    },
    searchCandidateCap: int(env, 'SEARCH_CANDIDATE_CAP', 1_000, 1),
    mentorMatchWeights: parseMentorMatchWeights(env.MENTOR_MATCH_WEIGHTS),
    orgTimeZone,
    publicUrl: (env.PUBLIC_URL?.trim() || `http://localhost:${port}`).replace(/\/+$/, ''),
    smtpUrl: env.SMTP_URL?.trim() || null,
    mailFrom: env.MAIL_FROM?.trim() || 'PracticeHub <no-reply@practicehub.localhost>',
    emailDelaySeconds: int(env, 'EMAIL_DELAY_SECONDS', 600),
    digestDailyCron: cron(env, 'DIGEST_DAILY_CRON', '0 8 * * *'),
    digestWeeklyCron: cron(env, 'DIGEST_WEEKLY_CRON', '0 8 * * 1'),
    proposalTimelineCron: cron(env, 'PROPOSAL_TIMELINE_CRON', '* * * * *'),
    webhookAllowPrivateNetworks: bool(env, 'WEBHOOK_ALLOW_PRIVATE_NETWORKS', false),
    webhookTimeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 15_000, 1),
    webhookRetryDelaysMs: delays(env, 'WEBHOOK_RETRY_DELAYS_MS', DEFAULT_WEBHOOK_RETRY_DELAYS_MS),
    jobsEnabled: bool(env, 'JOBS_ENABLED', true),
    eventPollMs: int(env, 'EVENT_POLL_MS', 2_000, 50),
    jobPollSeconds: Math.max(0.5, Number(env.JOB_POLL_SECONDS ?? '') || 0.5),
    roleTermWarningDays: int(env, 'ROLE_TERM_WARNING_DAYS', 14, 0),
    roleTermsCron: cron(env, 'ROLE_TERMS_CRON', '*/5 * * * *'),
    ritualsCron: cron(env, 'RITUALS_CRON', '* * * * *'),
    annualMeetingsCron: cron(env, 'ANNUAL_MEETINGS_CRON', '0 0 * * *'),
    meetingRemindersCron: cron(env, 'MEETING_REMINDERS_CRON', '* * * * *'),
    production,
  };
}
