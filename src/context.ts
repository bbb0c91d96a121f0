import { randomUUID } from 'node:crypto';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from './config';
import type { Em, Orm } from './db/orm';
import type { LoggedEventBus } from './realtime/eventLog';
import type { PresenceStore } from './realtime/presence';
import type { EventBus } from './realtime/events';
import type { JobQueue } from './jobs/queue';
import type { EventDispatcher } from './events/dispatcher';
import type { Mailer } from './mail/mailer';
import type { TypingTracker } from './realtime/typingTracker';
import { notFound, unauthenticated } from './shared/errors';
import { LoaderRegistry } from './shared/loaders';
import type { Actor } from './shared/policy';
import { Member } from './modules/members/member.entity';
import type { TokenService } from './modules/members/tokens';
import { bearerToken } from './modules/members/tokens';
import { Community } from './modules/communities/community.entity';
import type { Membership } from './modules/communities/membership.entity';
import { viewerMembershipLoader } from './modules/communities/community.loaders';
import { Thread } from './modules/discussions/thread.entity';
import type { MentorMatchIndex } from './modules/mentoring/queries/mentorMatchIndex';
import type { RateLimits, RateLimitState } from './limits/rateLimits';
import type { Metrics } from './metrics/metrics';

/** Long-lived services shared by every request. */
export interface Services {
  config: Config;
  orm: Orm;
  tokens: TokenService;
  /** Brute-force protection for logIn (per account and IP). */
  authLimiter: RateLimiterAbstract;
  /** Mass sign-up protection (per IP). */
  signUpLimiter: RateLimiterAbstract;
  /** Failed log-ins per IP across all emails (password spraying). */
  failedLogInLimiter: RateLimiterAbstract;
  /** Cost-based request budgets per account and anonymous IP (shared through Redis when REDIS_URL is set). */
  rateLimits: RateLimits;
  /** Live feeds for subscriptions (events logged for resuming with `since`); typing goes straight onto the transport. */
  events: LoggedEventBus;
  /** The live transport (in-process or Redis): the live consumer of the event log publishes committed events on it. */
  transport: EventBus;
  /** The Postgres-backed job queue (pg-boss). */
  jobs: JobQueue;
  /** Hands committed domain events (the outbox) to their consumers. */
  dispatcher: EventDispatcher;
  /** Outgoing mail (SMTP, or the local mailbox when SMTP_URL is unset). */
  mailer: Mailer;
  /** Who is here, per community or thread. */
  presence: PresenceStore;
  /** Who is typing where (this instance's flags; the events reach every instance). */
  typing: TypingTracker;
  /** Available mentors in memory for mentorMatches, kept in step with PostgreSQL's change log. */
  mentorMatchIndex: MentorMatchIndex;
  /** Prometheus metrics (`/metrics`); modules count through it, e.g. `metrics.refused('auth')`. */
  metrics: Metrics;
}

/** Everything a resolver or command needs for one request: a forked EntityManager, the actor, fresh loaders. */
export interface Context {
  requestId: string;
  ip: string;
  em: Em;
  viewer: Member | null;
  actor: Actor;
  loaders: LoaderRegistry;
  services: Services;
  /** Set by signUp/logIn: the member who just proved who they are may see their own private fields. */
  authenticatedMemberId?: string;
  /** The request's budget once it spent its cost (HTTP); reported by `rateLimit` and the x-ratelimit-* headers. */
  rateLimit?: RateLimitState;
  /** A subscription's socket, so a subscriber that falls too far behind can be let go. */
  socket?: { close(code: number, reason: string): void };
}

/**
 * What a command runs with: who acts, an EntityManager, loaders and the long-lived services. A request's Context is
 * one; a job builds one with `scopeFor(services, member, em)`. Commands take it with plain props (database IDs,
 * enums, strings), never GraphQL inputs or global IDs: resolvers parse those and build the props.
 */
export type CommandScope = Pick<Context, 'actor' | 'em' | 'loaders' | 'services'>;

class RequestActor implements Actor {
  constructor(
    readonly member: Member | null,
    private readonly loaders: LoaderRegistry,
  ) {}

  membershipIn(communityId: string): Promise<Membership | null> {
    return viewerMembershipLoader(this.loaders).load(communityId);
  }

  async community(communityId: string): Promise<Community> {
    const community = await this.loaders.byId(Community).load(communityId);
    if (!community) throw notFound('Community');
    return community;
  }

  async thread(threadId: string): Promise<Thread> {
    const thread = await this.loaders.byId(Thread).load(threadId);
    if (!thread) throw notFound('Thread');
    return thread;
  }
}

/** Builds a request (or socket event) scope for a viewer. */
export function scopeFor(
  services: Services,
  viewer: Member | null,
  em: Em,
  meta: { requestId?: string; ip?: string; loaders?: LoaderRegistry } = {},
): Context {
  const loaders = meta.loaders ?? new LoaderRegistry(em, viewer?.id ?? null);
  return {
    requestId: meta.requestId ?? randomUUID(),
    ip: meta.ip ?? 'unknown',
    em,
    viewer,
    actor: new RequestActor(viewer, loaders),
    loaders,
    services,
  };
}

/**
 * The member an Authorization value (`Bearer <token>`) names. No value: anonymous (null). A bad or expired token,
 * or one whose member no longer exists: UNAUTHENTICATED. HTTP requests and sockets both come through here.
 */
export async function authenticate(services: Services, authorization: string | null | undefined, em: Em): Promise<Member | null> {
  return (await authenticateWithExpiry(services, authorization, em))?.viewer ?? null;
}

/** The signed-in member and when their token expires (a socket closes then); null without a token. */
export async function authenticateWithExpiry(services: Services, authorization: string | null | undefined, em: Em): Promise<{ viewer: Member; expiresAt: Date } | null> {
  const token = bearerToken(authorization);
  if (!token) return null;
  const { memberId, expiresAt } = await services.tokens.verify(token);
  const viewer = await em.findOne(Member, { id: memberId });
  if (!viewer) throw unauthenticated('Invalid token');
  return { viewer, expiresAt };
}

/** Builds the context of one HTTP request. */
export async function createContext(
  services: Services,
  request: { authorization?: string | null; ip?: string; requestId?: string },
): Promise<Context> {
  const em = services.orm.em.fork() as Em;
  const viewer = await authenticate(services, request.authorization, em);
  return scopeFor(services, viewer, em, request);
}
