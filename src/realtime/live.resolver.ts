import { Arg, Ctx, ID, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import { scopeFor, type Context } from '../context';
import { LoaderRegistry } from '../shared/loaders';
import { AppError, forbidden } from '../shared/errors';
import { communityTopic, threadTopic, type PublishedEvent } from './events';
import { fromGlobalId, parseId, toGlobalId } from '../shared/ids';
import { badField } from '../shared/errors';
import { authorize, can, requireMember } from '../shared/policy';
import { Post } from '../modules/discussions/post.entity';
import { Membership } from '../modules/communities/membership.entity';
import { Thread } from '../modules/discussions/thread.entity';
import { Member } from '../modules/members/member.entity';
import { Community } from '../modules/communities/community.entity';
import { Resource } from '../modules/resources/resource.entity';
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
import { CommunityLifecycleChanged, toLifecycleChanged } from '../modules/governance/lifecycle/lifecycle.live';
import { PollVoted, toPollVoted } from '../modules/discussions/polls/poll.live';
import { presenceStream } from './presenceStream';
import { cursorPosition } from './streams';
import type { StreamAccess } from './eventReads';
import { Follower } from './follower';
import { SetTypingInput, setTyping } from './setTyping';

type ThreadEventValue = PostAdded | PostEdited | PostDeleted | ReactionChanged | TypingChanged | PollVoted;
type CommunityEventValue = ThreadStarted | MemberJoined | ResourceShared | CommunityLifecycleChanged;

/** Presence: before each snapshot the subscription's context gets a fresh EntityManager and loaders (fresh rights). */
function renewScope(ctx: Context): void {
  const em = ctx.services.orm.em.fork() as Context['em'];
  const loaders = new LoaderRegistry(em, ctx.viewer?.id ?? null);
  Object.assign(ctx, scopeFor(ctx.services, ctx.viewer, em, { requestId: ctx.requestId, ip: ctx.ip, loaders }), { socket: ctx.socket });
}

/** Once a subscription has started, its context holds no EntityManager or loaders: idle subscribers stay small. */
function releaseScope(ctx: Context): void {
  Object.assign(ctx, { em: undefined, loaders: undefined, actor: undefined });
}

/**
 * Ends the stream when the subscriber may no longer read it (they left, were removed, the thread went away). A
 * check that fails for another reason (the database is away) is no refusal: that error ends the stream instead
 * (masked as INTERNAL_SERVER_ERROR), so the client knows to come back.
 */
async function stillAllowed(ctx: Context, check: () => Promise<boolean>): Promise<void> {
  const allowed = await check().catch((error: unknown) => {
    if (error instanceof AppError) return false;
    throw error;
  });
  if (!allowed) throw forbidden('You can no longer follow this; your access changed');
}

/** `since`: the last cursor a reconnecting client saw; events after it are replayed first (bounded window). */
function sinceArgument(value: unknown): bigint | null {
  if (value === undefined || value === null || value === '') return null;
  const position = cursorPosition(String(value));
  if (position === null) throw badField('since', 'is not a cursor from this stream');
  return position;
}

const base = (event: PublishedEvent, cursor: string) => ({ cursor, at: new Date(event.at) });

async function toThreadEvent(loaders: LoaderRegistry, event: PublishedEvent, cursor: string): Promise<ThreadEventValue | null> {
  if (event.type === 'TypingChanged') {
    const member = await loaders.byId(Member).load(event.memberId);
    return member
      ? Object.assign(new TypingChanged(), base(event, cursor), { threadId: toGlobalId('Thread', event.threadId), member, typing: event.typing })
      : null;
  }
  if (event.type === 'PollVoted') return toPollVoted(loaders, event, cursor);
  if (!('postId' in event)) return null;
  if (event.type === 'PostDeleted') {
    return Object.assign(new PostDeleted(), base(event, cursor), { postId: toGlobalId('Post', event.postId), threadId: toGlobalId('Thread', event.threadId) });
  }
  const post = await loaders.byId(Post).load(event.postId);
  if (!post) return null;
  const type = { PostAdded, PostEdited, ReactionChanged }[event.type];
  return Object.assign(new type(), base(event, cursor), { post });
}

async function toCommunityEvent(loaders: LoaderRegistry, event: PublishedEvent, cursor: string): Promise<CommunityEventValue | null> {
  if (event.type === 'ThreadStarted') {
    const thread = await loaders.byId(Thread).load(event.threadId);
    return thread ? Object.assign(new ThreadStarted(), base(event, cursor), { thread }) : null;
  }
  if (event.type === 'MemberJoined') {
    const membership = await loaders.byId(Membership).load(event.membershipId);
    return membership ? Object.assign(new MemberJoined(), base(event, cursor), { membership }) : null;
  }
  if (event.type === 'ResourceShared') {
    const resource = await loaders.byId(Resource).load(event.resourceId);
    return resource && !resource.removed ? Object.assign(new ResourceShared(), base(event, cursor), { resource }) : null;
  }
  if (event.type === 'CommunityFocusChanged' || event.type === 'CommunityRetired') return toLifecycleChanged(loaders, event, cursor);
  return null;
}

/** threadActivity: readers of the thread; the values are read without regard to the viewer. */
const THREAD_STREAM: StreamAccess = {
  kind: 'thread',
  check: async (actor, threadId) => can(actor, 'read', await actor.thread(threadId)),
  build: toThreadEvent,
};

/** communityActivity: readers of the community's content. */
const COMMUNITY_STREAM: StreamAccess = {
  kind: 'community',
  check: async (actor, communityId) => can(actor, 'readContent', await actor.community(communityId)),
  build: toCommunityEvent,
};

/** Follows a stream for as long as the client stays subscribed (see Follower). */
function follow(ctx: Context, topic: string, access: StreamAccess, streamId: string, since: bigint | null): Follower {
  const follower = new Follower(ctx, topic, access, streamId, since);
  releaseScope(ctx);
  return follower;
}

@Resolver()
export class LiveResolver {
  @Subscription(() => ThreadEvent, {
    description: 'Replies, edits, deletions, reactions and poll votes in a thread, live. RESTRICTED communities: ACTIVE members only.',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const threadId = parseId(args.threadId as string, 'Thread', 'threadId');
      const thread = await ctx.actor.thread(threadId);
      await authorize(ctx.actor, 'read', thread, 'This community is for members only');
      return follow(ctx, threadTopic(threadId), THREAD_STREAM, threadId, sinceArgument(args.since));
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
    description: 'New threads, members and shared resources in a community, and changes to its focus or life (split, merged, retired), live. RESTRICTED communities: ACTIVE members only.',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const communityId = parseId(args.communityId as string, 'Community', 'communityId');
      const community = await ctx.actor.community(communityId);
      await authorize(ctx.actor, 'readContent', community, 'This community is for members only');
      return follow(ctx, communityTopic(communityId), COMMUNITY_STREAM, communityId, sinceArgument(args.since));
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
  async setTyping(@Arg('input') input: SetTypingInput, @Ctx() ctx: Context): Promise<boolean> {
    requireMember(ctx.actor);
    return setTyping(ctx, { threadId: parseId(input.threadId, 'Thread', 'threadId'), typing: input.typing });
  }
}
