import type { ExecutionResult } from 'graphql';
import type { Em } from '../../db/orm';
import { scopeFor, type Context, type Services } from '../../server/context';
import type { PublishedEvent, StreamKind } from '../../shared/events';
import { LoaderRegistry } from '../../shared/loaders';
import type { Actor } from '../../shared/policy';
import type { Member } from '../members/member.entity';

/** How a stream's subscribers are checked and served (one per stream kind, see live.resolver). */
export interface StreamAccess {
  kind: StreamKind;
  /** May this actor still read the stream? Asked again before every event. */
  check(actor: Actor, id: string): Promise<boolean>;
  /** The event's GraphQL value for this stream, from viewer-independent reads; null when it is not shown here. */
  build(loaders: LoaderRegistry, event: PublishedEvent, cursor: string): Promise<object | null>;
}

/** Set when an execution reads anything that depends on who is asking. */
export interface ViewerTaint {
  dependent: boolean;
}

/** The executions of one event for one group of subscribers (same document and variables; see sharedExecution). */
export interface SharedGroup {
  /** The first execution, watched for viewer-dependent reads. */
  first: Promise<{ result: ExecutionResult; dependent: boolean; viewerKey: string }>;
  /** When the first one was viewer-dependent: one execution per viewer. */
  perViewer: Map<string, Promise<ExecutionResult>> | null;
}

export const viewerKey = (viewer: Member | null) => viewer?.id ?? '';

/**
 * Everything one event's subscribers on this instance can share: one EntityManager and one cache of
 * viewer-independent reads (the post, its thread and community, authors), one rights check per viewer, one
 * GraphQL value per stream kind and one execution per group of subscribers that would get the same result. 10,000
 * subscribers of one thread then cost a handful of queries and, when what they select does not depend on who they
 * are, one execution.
 */
export class EventReads {
  readonly em: Em;
  readonly shared: LoaderRegistry;
  readonly groups = new Map<string, SharedGroup>();
  private readonly rights = new Map<string, Promise<boolean>>();
  private readonly values = new Map<StreamKind, Promise<object | null>>();

  constructor(private readonly services: Services) {
    this.em = services.orm.em.fork() as Em;
    this.shared = new LoaderRegistry(this.em, null);
  }

  /** Whether `viewer` may read the stream, asked once per viewer (`key` names the stream and viewer). */
  allowed(key: string, access: StreamAccess, streamId: string, viewer: Member | null): Promise<boolean> {
    let allowed = this.rights.get(key);
    if (!allowed) {
      allowed = access.check(this.scope(viewer).actor, streamId).catch(() => false);
      this.rights.set(key, allowed);
    }
    return allowed;
  }

  /** The event's GraphQL value on a stream, built once and shared by every subscriber. */
  value(access: StreamAccess, event: PublishedEvent): Promise<object | null> {
    let value = this.values.get(access.kind);
    if (!value) {
      value = access.build(this.shared, event, event.positions?.[access.kind] ?? event.cursor).then((built) => {
        if (built) readsByValue.set(built, this);
        return built;
      });
      this.values.set(access.kind, value);
    }
    return value;
  }

  /** A request scope for one viewer on this event: their own viewer-specific loaders, shared entity reads. */
  scope(viewer: Member | null, meta: { requestId?: string; ip?: string } = {}, onViewerRead?: () => void): Context {
    const loaders = new LoaderRegistry(this.em, viewer?.id ?? null, this.shared, onViewerRead);
    return scopeFor(this.services, viewer, this.em, { ...meta, loaders });
  }

  /**
   * A scope for `base`'s viewer that sets `taint.dependent` as soon as anything reads who the viewer is: the
   * viewer, the actor's member or memberships, the loaders' viewer, the address. Everything a resolver can learn
   * about the viewer comes through these, so an execution that never touched them would give every viewer the
   * same result.
   */
  watchedScope(base: Context, taint: ViewerTaint): Context {
    const mark = () => {
      taint.dependent = true;
    };
    const scope = this.scope(base.viewer, { requestId: base.requestId, ip: base.ip }, mark);
    const actor = scope.actor;
    const watchedActor: Actor = {
      get member() {
        mark();
        return actor.member;
      },
      membershipIn: (communityId) => {
        mark();
        return actor.membershipIn(communityId);
      },
      community: (communityId) => actor.community(communityId),
      thread: (threadId) => actor.thread(threadId),
    };
    const watched = (value: unknown) => ({
      enumerable: true,
      get() {
        mark();
        return value;
      },
    });
    return Object.defineProperties(
      { ...scope, actor: watchedActor },
      { viewer: watched(base.viewer), ip: watched(base.ip), authenticatedMemberId: watched(base.authenticatedMemberId) },
    );
  }
}

const readsByEvent = new WeakMap<PublishedEvent, EventReads>();
const readsByValue = new WeakMap<object, EventReads>();

/** The shared reads of an event (one object per event on this instance: the bus hands every topic the same one). */
export function readsFor(services: Services, event: PublishedEvent): EventReads {
  let reads = readsByEvent.get(event);
  if (!reads) {
    reads = new EventReads(services);
    readsByEvent.set(event, reads);
  }
  return reads;
}

/** The reads a GraphQL value was built from, when it came from a live stream. */
export function readsOfValue(value: unknown): EventReads | undefined {
  return typeof value === 'object' && value !== null ? readsByValue.get(value) : undefined;
}
