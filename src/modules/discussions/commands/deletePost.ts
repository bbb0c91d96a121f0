import type { Context } from '../../../server/context';
import { parseId } from '../../../shared/ids';
import { authorize, requireMember } from '../../../shared/policy';
import type { Post } from '../post.entity';
import { lockPost, lockThread } from './loadForUpdate';

/**
 * Soft delete by the author, a discussion monitor, a lead or staff: the post stays as a tombstone without its
 * body, leaves the reply count, and stops being the accepted answer. Deleting twice changes nothing.
 */
export async function deletePost(ctx: Context, globalId: string): Promise<Post> {
  const actor = requireMember(ctx.actor);
  const postId = parseId(globalId, 'Post', 'postId');
  return ctx.em.transactional(async (em) => {
    const post = await lockPost(em, postId);
    await authorize(ctx.actor, 'read', post);
    await authorize(ctx.actor, 'delete', post, 'Only the author, a discussion monitor, a lead or staff can delete this post');
    if (post.deleted) return post;
    const thread = await lockThread(em, post.thread.id);
    post.deletedAt = new Date();
    post.deletedBy = actor;
    thread.replyCount = Math.max(0, thread.replyCount - 1);
    if (thread.acceptedAnswer?.id === post.id) thread.acceptedAnswer = null;
    return post;
  });
}
