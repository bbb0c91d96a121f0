import type { Context } from '../../../server/context';
import type { Post } from '../post.entity';

/** Announces a committed change to a post on its thread's and community's topics (called after the transaction). */
export async function publishPostEvent(
  ctx: Context,
  type: 'PostEdited' | 'PostDeleted' | 'ReactionChanged',
  post: Post,
): Promise<void> {
  const thread = await ctx.actor.thread(post.thread.id);
  ctx.services.events.publish({ type, threadId: thread.id, communityId: thread.community.id, postId: post.id });
}
