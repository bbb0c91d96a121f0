import { Arg, Ctx, ID, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import { scopeFor, type Context } from '../../server/context';
import { LoaderRegistry } from '../../shared/loaders';
import { forbidden } from '../../shared/errors';
import { communityTopic, threadTopic, type PublishedEvent } from '../../shared/events';
import { fromGlobalId, parseId, toGlobalId } from '../../shared/ids';
import { badField } from '../../shared/errors';
import { authorize, can } from '../../shared/policy';
import { Post } from '../discussions/post.entity';
import { Membership } from '../communities/membership.entity';
import { Thread } from '../discussions/thread.entity';
import { Member } from '../members/member.entity';
import { Community } from '../communities/community.entity';
import { Resource } from '../resources/resource.entity';
import {
  CommunityEvent,
  MemberJoined,
  PostAdded,
  PostDeleted,
  PostEdited,
  PresenceSnapshot,
  ReactionChanged,
  ResourceShared,
  ThreadEvent,
  ThreadStarted,
  TypingChanged,
} from './live.types';
import { presenceStream } from './presenceStream';
import { cursorPosition } from './eventLog';
import { SetTypingInput, setTyping } from './setTyping';

type ThreadEventValue = PostAdded | PostEdited | PostDeleted | ReactionChanged | TypingChanged;
type CommunityEventValue = ThreadStarted | MemberJoined | ResourceShared;

/**
 * A long-lived socket must never serve stale data or stale rights: before each event the subscription's context
 * gets a fresh EntityManager, fresh loaders and so a fresh look at the subscriber's membership.
 */
function renewScope(ctx: Context, event?: object): void {
  const { em, shared } = event ? eventReads(ctx, event) : { em: ctx.services.orm.em.fork() as Context['em'], shared: undefined };
  const loaders = new LoaderRegistry(em, ctx.viewer?.id ?? null, shared);
  Object.assign(ctx, scopeFor(ctx.services, ctx.viewer, em, { requestId: ctx.requestId, ip: ctx.ip, loaders }));
}

/**
 * One event reaches every local subscriber as the same object: they share one EntityManager and one cache of
 * viewer-independent reads for it (the post, its thread and community, authors), so 10,000 subscribers cost a
 * handful of queries, not 10,000 of each. Rights (memberships) are still read per viewer.
 */
const readsByEvent = new WeakMap<object, { em: Context['em']; shared: LoaderRegistry }>();
function eventReads(ctx: Context, event: object) {
  let reads = readsByEvent.get(event);
  if (!reads) {
    const em = ctx.services.orm.em.fork() as Context['em'];
    reads = { em, shared: new LoaderRegistry(em, null) };
    readsByEvent.set(event, reads);
  }
  return reads;
}

/** Between events a subscription holds no EntityManager or loaders: idle subscribers stay small. */
function releaseScope(ctx: Context): void {
  Object.assign(ctx, { em: undefined, loaders: undefined, actor: undefined });
}

/** Ends the stream when the subscriber may no longer read it (they left, were removed, the thread went away). */
async function stillAllowed(ctx: Context, check: () => Promise<boolean>): Promise<void> {
  if (!(await check().catch(() => false))) throw forbidden('You can no longer follow this; your access changed');
}

/** `since`: the last cursor a reconnecting client saw; events after it are replayed first (bounded window). */
function sinceArgument(value: unknown): bigint | null {
  if (value === undefined || value === null || value === '') return null;
  const position = cursorPosition(String(value));
  if (position === null) throw badField('since', 'is not a cursor from this stream');
  return position;
}

const base = (event: PublishedEvent) => ({ cursor: event.cursor, at: new Date(event.at) });

async function toThreadEvent(ctx: Context, event: PublishedEvent): Promise<ThreadEventValue | null> {
  if (event.type === 'TypingChanged') {
    const member = await ctx.loaders.byId(Member).load(event.memberId);
    return member
      ? Object.assign(new TypingChanged(), base(event), { threadId: toGlobalId('Thread', event.threadId), member, typing: event.typing })
      : null;
  }
  if (!('postId' in event)) return null;
  if (event.type === 'PostDeleted') return Object.assign(new PostDeleted(), base(event), { postId: toGlobalId('Post', event.postId), threadId: toGlobalId('Thread', event.threadId) });
  const post = await ctx.loaders.byId(Post).load(event.postId);
  if (!post) return null;
  const type = { PostAdded, PostEdited, ReactionChanged }[event.type];
  return Object.assign(new type(), base(event), { post });
}

async function toCommunityEvent(ctx: Context, event: PublishedEvent): Promise<CommunityEventValue | null> {
  if (event.type === 'ThreadStarted') {
    const thread = await ctx.loaders.byId(Thread).load(event.threadId);
    return thread ? Object.assign(new ThreadStarted(), base(event), { thread }) : null;
  }
  if (event.type === 'MemberJoined') {
    const membership = await ctx.loaders.byId(Membership).load(event.membershipId);
    return membership ? Object.assign(new MemberJoined(), base(event), { membership }) : null;
  }
  if (event.type === 'ResourceShared') {
    const resource = await ctx.loaders.byId(Resource).load(event.resourceId);
    return resource && !resource.removed ? Object.assign(new ResourceShared(), base(event), { resource }) : null;
  }
  return null;
}


/**
 * Follows a topic for as long as the client stays subscribed; each event is re-authorised and read afresh.
 * A hand-written iterator rather than an async generator: when the client unsubscribes, `return()` must stop the
 * underlying listener at once, while a generator would wait for the next event to arrive first.
 */
function follow<T>(
  ctx: Context,
  topic: string,
  check: () => Promise<boolean>,
  build: (event: PublishedEvent) => Promise<T | null>,
  missed?: () => Promise<PublishedEvent[]>,
): AsyncIterableIterator<T> {
  const stop = new AbortController();
  // Listen first, then read what was missed: live events arriving meanwhile wait in the listener's queue, and
  // those already replayed are skipped by cursor, so the client sees no gap and no duplicate.
  const source = ctx.services.events.subscribe(topic, stop.signal)[Symbol.asyncIterator]();
  releaseScope(ctx);
  let backlog: Promise<PublishedEvent[]> | null = missed ? missed() : null;
  let pending: PublishedEvent[] = [];
  let replayedUpTo: bigint | null = null;
  async function nextEvent(): Promise<PublishedEvent | null> {
    if (backlog) {
      pending = await backlog;
      backlog = null;
      const last = pending.at(-1);
      if (last) replayedUpTo = cursorPosition(last.cursor);
    }
    if (pending.length) return pending.shift()!;
    for (;;) {
      const { value, done } = await source.next();
      if (done) return null;
      const position = cursorPosition(value.cursor);
      if (replayedUpTo !== null && position !== null && position <= replayedUpTo && !value.cursor.includes('.t')) continue;
      return value;
    }
  }
  const finished = { value: undefined, done: true } as const;
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      try {
        for (;;) {
          const event = await nextEvent();
          if (!event) return finished;
          renewScope(ctx, event);
          await stillAllowed(ctx, check);
          const value = await build(event);
          if (value) return { value, done: false };
          releaseScope(ctx);
        }
      } catch (error) {
        stop.abort();
        throw error;
      }
    },
    async return() {
      stop.abort();
      return finished;
    },
    async throw(error: unknown) {
      stop.abort();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

@Resolver()
export class LiveResolver {
  @Subscription(() => ThreadEvent, {
    description: 'Replies, edits, deletions and reactions in a thread, live. RESTRICTED communities: ACTIVE members only.',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const threadId = parseId(args.threadId as string, 'Thread', 'threadId');
      const thread = await ctx.actor.thread(threadId);
      await authorize(ctx.actor, 'read', thread, 'This community is for members only');
      const since = sinceArgument(args.since);
      return follow(
        ctx,
        threadTopic(threadId),
        async () => can(ctx.actor, 'read', await ctx.actor.thread(threadId)),
        (event) => toThreadEvent(ctx, event),
        since === null ? undefined : () => ctx.services.events.replay({ threadId }, since),
      );
    },
  })
  threadActivity(
    @Root() event: ThreadEventValue,
    @Arg('threadId', () => ID) _threadId: string,
    @Arg('since', () => String, {
      nullable: true,
      description: 'The last cursor received: events missed since then (up to an hour, 1,000 events) come first, then live ones',
    })
    _since: string | null,
    @Ctx() _ctx: Context,
  ): ThreadEventValue {
    return event;
  }

  @Subscription(() => CommunityEvent, {
    description: 'New threads, members and shared resources in a community, live. RESTRICTED communities: ACTIVE members only.',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const communityId = parseId(args.communityId as string, 'Community', 'communityId');
      const community = await ctx.actor.community(communityId);
      await authorize(ctx.actor, 'readContent', community, 'This community is for members only');
      const since = sinceArgument(args.since);
      return follow(
        ctx,
        communityTopic(communityId),
        async () => can(ctx.actor, 'readContent', await ctx.actor.community(communityId)),
        (event) => toCommunityEvent(ctx, event),
        since === null ? undefined : () => ctx.services.events.replay({ communityId }, since),
      );
    },
  })
  communityActivity(
    @Root() event: CommunityEventValue,
    @Arg('communityId', () => ID) _communityId: string,
    @Arg('since', () => String, {
      nullable: true,
      description: 'The last cursor received: events missed since then (up to an hour, 1,000 events) come first, then live ones',
    })
    _since: string | null,
  ): CommunityEventValue {
    return event;
  }

  @Subscription(() => PresenceSnapshot, {
    description:
      'Who is here on a community or thread: a snapshot at once, then one on every change. Signed-in subscribers ' +
      'count as here while subscribed. RESTRICTED communities: ACTIVE members only.',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const topicId = args.topicId as string;
      const decoded = fromGlobalId(topicId);
      if (!decoded || (decoded.type !== 'Community' && decoded.type !== 'Thread')) {
        throw badField('topicId', 'must be a community or thread ID');
      }
      const check =
        decoded.type === 'Thread'
          ? async () => can(ctx.actor, 'read', await ctx.actor.thread(decoded.id))
          : async () => can(ctx.actor, 'readContent', await ctx.actor.community(decoded.id));
      const subject = decoded.type === 'Thread' ? await ctx.actor.thread(decoded.id) : await ctx.actor.community(decoded.id);
      await authorize(ctx.actor, subject instanceof Community ? 'readContent' : 'read', subject, 'This community is for members only');
      const key = decoded.type === 'Thread' ? threadTopic(decoded.id) : communityTopic(decoded.id);
      return presenceStream(ctx, { key, topicId }, async () => {
        renewScope(ctx);
        await stillAllowed(ctx, check);
      });
    },
  })
  presence(@Root() snapshot: PresenceSnapshot, @Arg('topicId', () => ID) _topicId: string): PresenceSnapshot {
    return snapshot;
  }

  @Mutation(() => Boolean, { description: 'Shows (or stops showing) that the viewer is typing a reply; expires after 15 s' })
  setTyping(@Arg('input') input: SetTypingInput, @Ctx() ctx: Context): Promise<boolean> {
    return setTyping(ctx, input);
  }
}
