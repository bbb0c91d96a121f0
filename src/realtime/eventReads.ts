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
import { agrees, FactRecord, MembershipTable, recordingActor } from './viewerFacts';

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
  /** Results shared by facts: each with the facts about the viewer its execution read, and their values. */
  readonly byFacts: { reads: ReadonlyMap<string, string>; result: ExecutionResult }[];
  /** Per viewer: their execution read who they are (or it ran outside `prepare`). */
  readonly perViewer: Map<string, Promise<ExecutionResult>>;
}

/** Runs that read who the viewer is before the rest of an event's viewers are served one by one, at once. */
const TAINTED_RUNS_BEFORE_PER_VIEWER = 2;

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
 * viewer-independent reads (the post, its thread and community, authors), the viewers' memberships read together,
 * one GraphQL value per stream kind, and rights checks and executions shared between viewers whose facts agree.
 * 10,000 members of a RESTRICTED community following one thread then cost a handful of queries, a few rights
 * checks and a few executions per event, not 10,000 of each.
 *
 * Who gets the same answer is not guessed from field names (see viewerFacts.ts). A rights check or an execution
 * runs for one viewer with an actor that records every fact about the viewer it reads (signed in, organisation
 * role, membership status and roles per community) with its value; any viewer whose values agree on all of those
 * gets the same answer. A run that reads anything else about the viewer (`viewerReacted`, `viewerMembership`, a
 * member's `email`, the viewer's id in a policy) is tainted: that viewer, and each viewer no earlier run's facts
 * fit, gets a check or an execution of their own. Every viewer's rights are checked on every event: the facts are
 * read again for all of them (one statement per 5,000 viewers), so nobody receives what they may no longer read.
 */
export class EventReads {
  readonly em: Em;
  readonly shared: LoaderRegistry;
  private readonly rights = new Map<string, Promise<boolean>>();
  /** Rights decided in `prepare` (by stream kind and viewer), for the same viewers' slow path. */
  private readonly verdicts = new Map<string, boolean>();
  private readonly values = new Map<StreamKind, Promise<object | null>>();
  private readonly groups = new Map<string, Group>();
  private memberships: DataLoader<string, Membership | null> | null = null;
  private readonly entities: Pick<Actor, 'community' | 'thread'>;

  constructor(private readonly services: Services) {
    this.em = services.orm.em.fork() as Em;
    this.shared = new LoaderRegistry(this.em, null);
    this.entities = scopeFor(this.services, null, this.em, { loaders: this.shared, requestId: 'rights' }).actor;
  }

  /** Whether the subscriber may read the stream, asked once per stream and viewer. */
  allowed(access: StreamAccess, subscriber: Subscriber): Promise<boolean> {
    const key = `${access.kind}|${viewerKey(subscriber.viewer)}`;
    let allowed = this.rights.get(key);
    if (!allowed) {
      const decided = this.verdicts.get(key);
      // A refusal raised on purpose (NOT_FOUND, FORBIDDEN) means no; anything else (the database is away) is not
      // an answer and propagates: the subscriber gets INTERNAL_SERVER_ERROR and resumes with `since`, rather than
      // FORBIDDEN "your access changed", which a client rightly takes as final.
      allowed = decided !== undefined ? Promise.resolve(decided) : access.check(this.rightsActor(subscriber.viewer), subscriber.streamId).catch(refusalAsNo);
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
    return {
      member: viewer,
      membershipIn: (communityId) => (viewer ? facts.load(`${viewer.id}:${communityId}`) : Promise.resolve(null)),
      community: (communityId) => this.entities.community(communityId),
      thread: (threadId) => this.entities.thread(threadId),
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

  /** The subscriber's own result for the event's value (outside `prepare`: an execution per viewer, shared by their tabs). */
  result(subscriber: Subscriber, value: object): Promise<ExecutionResult> {
    const args = subscriber.execution!;
    const group = this.group(subscriber.groupKey!);
    const viewer = viewerKey(subscriber.viewer);
    let result = group.perViewer.get(viewer);
    if (!result) {
      const ctx = args.contextValue as Context;
      result = Promise.resolve(execute({ ...args, rootValue: value, contextValue: this.scope(ctx.viewer, { requestId: ctx.requestId, ip: ctx.ip }) }));
      group.perViewer.set(viewer, result);
    }
    return result;
  }

  /** Rights, value and results for many subscribers at once, shared between viewers whose facts agree. */
  async prepare(access: StreamAccess, event: PublishedEvent, subscribers: readonly Subscriber[]): Promise<PreparedEvent> {
    const byViewer = new Map<string, Subscriber>();
    for (const subscriber of subscribers) {
      const viewer = viewerKey(subscriber.viewer);
      if (subscriber.groupKey && !byViewer.has(viewer)) byViewer.set(viewer, subscriber);
    }
    const memberIds: string[] = [];
    for (const subscriber of byViewer.values()) if (subscriber.viewer) memberIds.push(subscriber.viewer.id);
    const table = new MembershipTable(this.em, memberIds);
    const [value, allowed] = await Promise.all([this.value(access, event), this.rightsByFacts(access, [...byViewer.values()], table)]);
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
      [...byGroup].map(async ([groupKey, viewers]) => prepared.results.set(groupKey, await this.resultsByFacts(groupKey, [...viewers.values()], value, table))),
    );
    return prepared;
  }

  /** Every viewer's rights to the stream: a check for one viewer stands for every viewer whose facts agree. */
  private async rightsByFacts(access: StreamAccess, subscribers: readonly Subscriber[], table: MembershipTable): Promise<Map<string, boolean>> {
    const allowed = new Map<string, boolean>();
    const known: { reads: ReadonlyMap<string, string>; allowed: boolean }[] = [];
    const rest: Subscriber[] = [];
    let tainted = 0;
    for (const subscriber of subscribers) {
      const viewer = viewerKey(subscriber.viewer);
      const match = known.find((entry) => agrees(entry.reads, subscriber.viewer, table));
      if (match) {
        allowed.set(viewer, match.allowed);
        continue;
      }
      if (tainted >= TAINTED_RUNS_BEFORE_PER_VIEWER) {
        rest.push(subscriber);
        continue;
      }
      const record = new FactRecord();
      const check = access.check(recordingActor(subscriber.viewer, record, table, this.entities), subscriber.streamId).catch(refusalAsNo);
      // Not an answer (the database is away): this viewer's slow path gets the same error.
      check.catch(() => undefined);
      this.rights.set(`${access.kind}|${viewer}`, check);
      const verdict = await check;
      allowed.set(viewer, verdict);
      if (record.tainted) tainted += 1;
      else known.push({ reads: record.reads, allowed: verdict });
    }
    await Promise.all(rest.map(async (subscriber) => allowed.set(viewerKey(subscriber.viewer), await this.allowed(access, subscriber))));
    for (const [viewer, verdict] of allowed) this.verdicts.set(`${access.kind}|${viewer}`, verdict);
    return allowed;
  }

  /** A group's results: an execution for one viewer stands for every viewer whose facts agree. */
  private async resultsByFacts(groupKey: string, subscribers: readonly Subscriber[], value: object, table: MembershipTable) {
    const group = this.group(groupKey);
    const perViewer = new Map<string, ExecutionResult>();
    const rest: Subscriber[] = [];
    let tainted = 0;
    for (const subscriber of subscribers) {
      const match = group.byFacts.find((entry) => agrees(entry.reads, subscriber.viewer, table));
      // Read nothing about the viewer: everyone's.
      if (match && match.reads.size === 0) return { shared: match.result, perViewer: null };
      if (match) {
        perViewer.set(viewerKey(subscriber.viewer), match.result);
        continue;
      }
      if (tainted >= TAINTED_RUNS_BEFORE_PER_VIEWER) {
        rest.push(subscriber);
        continue;
      }
      const record = new FactRecord();
      const result = await this.recordedExecution(subscriber, value, record, table);
      if (record.tainted) {
        // Computed from facts rather than the viewer's own entities, and theirs alone: executed again for real.
        tainted += 1;
        rest.push(subscriber);
        continue;
      }
      if (record.reads.size === 0) return { shared: result, perViewer: null };
      group.byFacts.push({ reads: record.reads, result });
      perViewer.set(viewerKey(subscriber.viewer), result);
    }
    await Promise.all(rest.map(async (subscriber) => perViewer.set(viewerKey(subscriber.viewer), await this.result(subscriber, value))));
    return { shared: null, perViewer };
  }

  private group(groupKey: string): Group {
    let group = this.groups.get(groupKey);
    if (!group) this.groups.set(groupKey, (group = { byFacts: [], perViewer: new Map() }));
    return group;
  }

  /** A request scope for one viewer on this event: their own viewer-specific loaders, shared entity reads. */
  scope(viewer: Member | null, meta: { requestId?: string; ip?: string } = {}, onViewerRead?: () => void): Context {
    const loaders = new LoaderRegistry(this.em, viewer?.id ?? null, this.shared, onViewerRead);
    return scopeFor(this.services, viewer, this.em, { ...meta, loaders });
  }

  /**
   * The subscriber's execution with a scope that records the facts it reads about the viewer (the actor's
   * member and memberships, see recordingActor) and is tainted by anything else that says who the viewer is: the
   * context's viewer, address or authenticated member, the loaders' viewer. Everything a resolver can learn about
   * the viewer comes through these.
   */
  private recordedExecution(subscriber: Subscriber, value: object, record: FactRecord, table: MembershipTable): Promise<ExecutionResult> {
    const args = subscriber.execution!;
    const base = args.contextValue as Context;
    const scope = this.scope(base.viewer, { requestId: base.requestId, ip: base.ip }, record.taint);
    const watched = (field: unknown) => ({
      enumerable: true,
      get() {
        record.taint();
        return field;
      },
    });
    const contextValue = Object.defineProperties(
      { ...scope, actor: recordingActor(base.viewer, record, table, this.entities) },
      { viewer: watched(base.viewer), ip: watched(base.ip), authenticatedMemberId: watched(base.authenticatedMemberId) },
    );
    return Promise.resolve(execute({ ...args, rootValue: value, contextValue }));
  }
}

function refusalAsNo(error: unknown): boolean {
  if (error instanceof AppError) return false;
  throw error;
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
