import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { fromGlobalId, parseId } from '../../shared/ids';
import { cursorValues } from '../../shared/loaders';
import { PageArgs, parsePage, toConnection, type ConnectionResult, type Edge } from '../../shared/pagination';
import { authorize, requireMember } from '../../shared/policy';
import { Member } from '../members/member.entity';
import { Community } from '../communities/community.entity';
import {
  FEED_ORDER,
  POST_ORDER,
  postCountLoader,
  postsPageLoader,
  threadCountLoader,
  threadsPageLoader,
} from './discussion.loaders';
import { PostOrder, PostsArgs, StartThreadInput } from './discussion.inputs';
import { PostConnection, ThreadConnection } from './discussion.types';
import { Post } from './post.entity';
import { Thread } from './thread.entity';
import { startThread } from './commands/startThread';
import { acceptAnswer, setThreadFlag } from './commands/moderateThread';
import './discussion.policy';

/** Reads a thread by ID for any entry point: NOT_FOUND-as-null when missing, FORBIDDEN when restricted. */
export async function readableThread(ctx: Context, threadId: string): Promise<Thread | null> {
  const thread = await ctx.loaders.byId(Thread).load(threadId);
  if (!thread) return null;
  await authorize(ctx.actor, 'read', thread, 'This community is for members only');
  return thread;
}

@Resolver(() => Thread)
export class ThreadResolver {
  @Query(() => Thread, { nullable: true })
  async thread(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Thread | null> {
    const decoded = fromGlobalId(id);
    if (!decoded || decoded.type !== 'Thread') return null;
    return readableThread(ctx, decoded.id);
  }

  @Mutation(() => Thread, { description: 'ACTIVE members; ANNOUNCEMENT only for leads, discussion monitors and staff' })
  async startThread(@Arg('input') input: StartThreadInput, @Ctx() ctx: Context): Promise<Thread> {
    requireMember(ctx.actor);
    const { title, body, kind, tags, poll } = input;
    return startThread(ctx, {
      communityId: parseId(input.communityId, 'Community', 'communityId'),
      title,
      body,
      kind,
      tags,
      poll: poll ? { ...poll, closesAt: poll.closesAt ?? null } : null,
    });
  }

  @Mutation(() => Thread, { description: 'QUESTION threads: the thread author or a discussion monitor' })
  async acceptAnswer(@Arg('postId', () => ID) postId: string, @Ctx() ctx: Context): Promise<Thread> {
    requireMember(ctx.actor);
    return acceptAnswer(ctx, { postId: parseId(postId, 'Post', 'postId') });
  }

  @Mutation(() => Thread, { description: 'Discussion monitors, leads and staff' })
  async pinThread(
    @Arg('threadId', () => ID) threadId: string,
    @Arg('pinned') pinned: boolean,
    @Ctx() ctx: Context,
  ): Promise<Thread> {
    requireMember(ctx.actor);
    return setThreadFlag(ctx, { threadId: parseId(threadId, 'Thread', 'threadId'), flag: 'pinned', value: pinned });
  }

  @Mutation(() => Thread, { description: 'Discussion monitors, leads and staff; a locked thread refuses replies' })
  async lockThread(
    @Arg('threadId', () => ID) threadId: string,
    @Arg('locked') locked: boolean,
    @Ctx() ctx: Context,
  ): Promise<Thread> {
    requireMember(ctx.actor);
    return setThreadFlag(ctx, { threadId: parseId(threadId, 'Thread', 'threadId'), flag: 'locked', value: locked });
  }

  @FieldResolver(() => Community)
  community(@Root() thread: Thread, @Ctx() ctx: Context): Promise<Community> {
    return ctx.actor.community(thread.community.id);
  }

  @FieldResolver(() => Member)
  author(@Root() thread: Thread, @Ctx() ctx: Context): Member | Promise<Member | null> {
    return ctx.loaders.read(Member, thread.author.id);
  }

  @FieldResolver(() => Post, { nullable: true })
  acceptedAnswer(@Root() thread: Thread, @Ctx() ctx: Context): Promise<Post | null> | null {
    return thread.acceptedAnswer ? ctx.loaders.byId(Post).load(thread.acceptedAnswer.id) : null;
  }

  @FieldResolver(() => PostConnection, { description: 'Replies, deleted ones as tombstones; oldest first unless asked otherwise' })
  async posts(@Root() thread: Thread, @Args() args: PostsArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<Post>>> {
    // Every root already checked; checking here too keeps any future root (search, subscriptions) honest. Loader-cached.
    await authorize(ctx.actor, 'read', thread, 'This community is for members only');
    const page = parsePage(args, POST_ORDER);
    const direction = args.orderBy === PostOrder.NEWEST_FIRST ? 'desc' : 'asc';
    const rows = await postsPageLoader(ctx.loaders, page, direction).load(thread.id);
    return toConnection(rows, page, (p) => cursorValues(p, POST_ORDER), () => postCountLoader(ctx.loaders).load(thread.id));
  }
}

@Resolver(() => Community)
export class CommunityThreadsResolver {
  @FieldResolver(() => ThreadConnection, {
    nullable: true,
    description: 'Pinned threads first, then by latest activity. Null (with a FORBIDDEN error) for a RESTRICTED community the viewer may not read',
  })
  async threads(@Root() community: Community, @Args() args: PageArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<Thread>>> {
    await authorize(ctx.actor, 'readContent', community, 'This community is for members only');
    const page = parsePage(args, FEED_ORDER);
    const rows = await threadsPageLoader(ctx.loaders, page).load(community.id);
    return toConnection(rows, page, (t) => cursorValues(t, FEED_ORDER), () => threadCountLoader(ctx.loaders).load(community.id));
  }
}
