import { execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Em } from '../db/orm';
import { scopeFor, type Context, type Services } from '../context';
import { AppError } from '../shared/errors';
import type { PublishedEvent, StreamKind } from './events';
import { LoaderRegistry } from '../shared/loaders';
import type { Actor } from '../shared/policy';
import type { Member } from '../modules/members/member.entity';
import type DataLoader from 'dataloader';
import { membershipFactsLoader } from '../modules/communities/community.loaders';
import type { Membership } from '../modules/communities/membership.entity';

/** How a stream's subscribers are checked and served (one per stream kind, see live.resolver). */
export interface StreamAccess {
  kind: StreamKind;
  /** May this actor still read the stream? Asked again before every event. */
  check(actor: Actor, id: string): Promise<boolean>;
  /** The event's GraphQL value for this stream, from viewer-independent reads; null when it is not shown here. */
  build(loaders: LoaderRegistry, event: PublishedEvent, cursor: string): Promise<object | null>;
}

/** What EventReads needs to know of a subscriber. */
export interface Subscriber {
  readonly viewer: Member | null;
  readonly streamId: string;
  /** Same document, operation and variables; null until the subscription's execution arguments are known. */
  readonly groupKey: string | null;
  readonly execution: ExecutionArgs | null;
}

export const viewerKey = (viewer: Member | null) => viewer?.id ?? '';

interface Group {
  /** The group's first execution, watched for reads of the viewer's identity. */
  first: Promise<{ result: ExecutionResult; dependent: boolean; viewerKey: string }>;
  /** When it read them: one execution per viewer. */
  perViewer: Map<string, Promise<ExecutionResult>> | null;
}

/**
 * An event ready to be handed out synchronously to a stream's subscribers: its value, every viewer's rights and
 * the results by group (then by viewer, when the group's result depends on the viewer).
 */
export interface PreparedEvent {
  value: object | null;
  /** By viewer (see viewerKey). */
  allowed: Map<string, boolean>;
  results: Map<string, { shared: ExecutionResult | null; perViewer: Map<string, ExecutionResult> | null }>;
}

/**
 * Everything one event's subscribers on this instance can share: one EntityManager and one cache of
 * viewer-independent reads (the post, its thread and community, authors), one rights check per viewer, one GraphQL
 * value per stream kind, and one execution per group of subscribers that would get the same result. 10,000
 * subscribers of one thread then cost a handful of queries and, when what they select does not depend on who they
 * are, one execution.
 *
 * Who gets the same result is not guessed from field names. The first execution of a group runs with a scope that
 * notices any read of the viewer's identity (see watchedScope): `viewerReacted`, `viewerMembership`, a member's
 * `email`, a policy that looks at memberships all read it. If nothing did, the result is every subscriber's;
 * otherwise each viewer gets an execution of their own (shared by their tabs). Rights to the stream itself are
 * checked per viewer before any of this, so nobody receives what they may not read.
 */
export class EventReads {
  readonly em: Em;
  readonly shared: LoaderRegistry;
  private readonly rights = new Map<string, Promise<boolean>>();
  private readonly values = new Map<StreamKind, Promise<object | null>>();
  private readonly groups = new Map<string, Group>();
  private memberships: DataLoader<string, Membership | null> | null = null;

  constructor(private readonly services: Services) {
    this.em = services.orm.em.fork() as Em;
    this.shared = new LoaderRegistry(this.em, null);
  }

  /** Whether the subscriber may read the stream, asked once per stream and viewer. */
  allowed(access: StreamAccess, subscriber: Subscriber): Promise<boolean> {
    const key = `${access.kind}|${viewerKey(subscriber.viewer)}`;
    let allowed = this.rights.get(key);
    if (!allowed) {
      // A refusal raised on purpose (NOT_FOUND, FORBIDDEN) means no; anything else (the database is away) is not
      // an answer and propagates: the subscriber gets INTERNAL_SERVER_ERROR and resumes with `since`, rather than
      // FORBIDDEN "your access changed", which a client rightly takes as final.
      allowed = access.check(this.rightsActor(subscriber.viewer), subscriber.streamId).catch((error: unknown) => {
        if (error instanceof AppError) return false;
        throw error;
      });
      this.rights.set(key, allowed);
    }
    return allowed;
  }

  /**
   * The actor a rights check runs as: the viewer, with their memberships read for all of the event's viewers
   * together, as plain facts (see membershipFactsLoader), and the event's shared entity reads.
   */
  private rightsActor(viewer: Member | null): Actor {
    const facts = (this.memberships ??= membershipFactsLoader(this.em));
    const actor = scopeFor(this.services, viewer, this.em, { loaders: this.shared, requestId: 'rights' }).actor;
    return {
      member: viewer,
      membershipIn: (communityId) => (viewer ? facts.load(`${viewer.id}:${communityId}`) : Promise.resolve(null)),
      community: (communityId) => actor.community(communityId),
      thread: (threadId) => actor.thread(threadId),
    };
  }

  /** The event's GraphQL value on a stream, built once. */
  value(access: StreamAccess, event: PublishedEvent): Promise<object | null> {
    let value = this.values.get(access.kind);
    if (!value) {
      value = access.build(this.shared, event, event.positions?.[access.kind] ?? event.cursor);
      this.values.set(access.kind, value);
    }
    return value;
  }

  /** The subscriber's result for the event's value: its group's, or its viewer's when that differs. */
  async result(subscriber: Subscriber, value: object): Promise<ExecutionResult> {
    const args = subscriber.execution!;
    let group = this.groups.get(subscriber.groupKey!);
    if (!group) {
      group = { first: this.watchedExecution(args, value), perViewer: null };
      this.groups.set(subscriber.groupKey!, group);
    }
    const first = await group.first;
    const viewer = viewerKey(subscriber.viewer);
    if (!first.dependent || first.viewerKey === viewer) return first.result;
    group.perViewer ??= new Map();
    let result = group.perViewer.get(viewer);
    if (!result) {
      const ctx = args.contextValue as Context;
      result = Promise.resolve(execute({ ...args, rootValue: value, contextValue: this.scope(ctx.viewer, { requestId: ctx.requestId, ip: ctx.ip }) }));
      group.perViewer.set(viewer, result);
    }
    return result;
  }

  /** Rights, value and results for many subscribers at once: one check per viewer, one execution per group (or per viewer). */
  async prepare(access: StreamAccess, event: PublishedEvent, subscribers: readonly Subscriber[]): Promise<PreparedEvent> {
    const byViewer = new Map<string, Subscriber>();
    for (const subscriber of subscribers) {
      const viewer = viewerKey(subscriber.viewer);
      if (subscriber.groupKey && !byViewer.has(viewer)) byViewer.set(viewer, subscriber);
    }
    const [value] = await Promise.all([this.value(access, event), ...[...byViewer.values()].map((s) => this.allowed(access, s))]);
    const allowed = new Map<string, boolean>();
    for (const [viewer, subscriber] of byViewer) allowed.set(viewer, await this.allowed(access, subscriber));
    const prepared: PreparedEvent = { value, allowed, results: new Map() };
    if (!value) return prepared;
    // One subscriber per group and viewer with rights stands for the others.
    const byGroup = new Map<string, Map<string, Subscriber>>();
    for (const subscriber of subscribers) {
      const viewer = viewerKey(subscriber.viewer);
      if (!subscriber.groupKey || !allowed.get(viewer)) continue;
      let viewers = byGroup.get(subscriber.groupKey);
      if (!viewers) byGroup.set(subscriber.groupKey, (viewers = new Map()));
      if (!viewers.has(viewer)) viewers.set(viewer, subscriber);
    }
    await Promise.all(
      [...byGroup].map(async ([groupKey, viewers]) => {
        const [representative] = viewers.values();
        await this.result(representative!, value);
        const first = await this.groups.get(groupKey)!.first;
        if (!first.dependent) {
          prepared.results.set(groupKey, { shared: first.result, perViewer: null });
          return;
        }
        const perViewer = new Map<string, ExecutionResult>();
        await Promise.all([...viewers].map(async ([viewer, subscriber]) => perViewer.set(viewer, await this.result(subscriber, value))));
        prepared.results.set(groupKey, { shared: null, perViewer });
      }),
    );
    return prepared;
  }

  /** A request scope for one viewer on this event: their own viewer-specific loaders, shared entity reads. */
  scope(viewer: Member | null, meta: { requestId?: string; ip?: string } = {}, onViewerRead?: () => void): Context {
    const loaders = new LoaderRegistry(this.em, viewer?.id ?? null, this.shared, onViewerRead);
    return scopeFor(this.services, viewer, this.em, { ...meta, loaders });
  }

  private async watchedExecution(args: ExecutionArgs, value: object) {
    const ctx = args.contextValue as Context;
    const taint = { dependent: false };
    const result = await execute({ ...args, rootValue: value, contextValue: this.watchedScope(ctx, taint) });
    return { result, dependent: taint.dependent, viewerKey: viewerKey(ctx.viewer) };
  }

  /**
   * A scope for `base`'s viewer that sets `taint.dependent` as soon as anything reads who the viewer is: the
   * viewer, the actor's member or memberships, the loaders' viewer, the address. Everything a resolver can learn
   * about the viewer comes through these, so an execution that never touched them gives every viewer the same
   * result.
   */
  private watchedScope(base: Context, taint: { dependent: boolean }): Context {
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

/** The shared reads of an event (one object per event on this instance: the bus hands every topic the same one). */
export function readsFor(services: Services, event: PublishedEvent): EventReads {
  let reads = readsByEvent.get(event);
  if (!reads) {
    reads = new EventReads(services);
    readsByEvent.set(event, reads);
  }
  return reads;
}
