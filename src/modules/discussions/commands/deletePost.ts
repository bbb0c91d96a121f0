import type { CommandScope } from '../../../context';
import { notFound } from '../../../shared/errors';
import { authorize, requireMember } from '../../../shared/policy';
import { Post } from '../post.entity';
import { lockPost, lockThread } from './loadForUpdate';
import { recordEvent } from '../../../events/record';

export interface DeletePostProps {
  postId: string;
}

/**
 * Soft delete by the author, a discussion monitor, a lead or staff: the post stays as a tombstone without its
 * body, leaves the reply count, and stops being the accepted answer. Deleting twice changes nothing.
 *
 * Policies are checked before the transaction opens: they read through the request's loaders, on another pooled
 * connection, and doing that while holding a transaction's connection starved the pool under concurrent requests.
 */
export async function deletePost(scope: CommandScope, { postId }: DeletePostProps): Promise<Post> {
  const actor = requireMember(scope.actor);
  const found = await scope.loaders.byId(Post).load(postId);
  if (!found) throw notFound('Post');
  await authorize(scope.actor, 'read', found);
  await authorize(scope.actor, 'delete', found, 'Only the author, a discussion monitor, a lead or staff can delete this post');
  return scope.em.transactional(async (em) => {
    const post = await lockPost(em, postId);
    if (post.deleted) return post;
    const thread = await lockThread(em, post.thread.id);
    post.deletedAt = new Date();
    // The words go too, not just their display: a member who deletes a post expects it gone.
    post.body = '';
    post.deletedBy = actor;
    thread.replyCount = Math.max(0, thread.replyCount - 1);
    if (thread.acceptedAnswer?.id === post.id) thread.acceptedAnswer = null;
    await recordEvent(em, actor.id, { type: 'PostDeleted', threadId: thread.id, communityId: thread.community.id, postId });
    return post;
  });
}
