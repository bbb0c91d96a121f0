import type { Context } from '../../../server/context';
import { conflict } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { authorize, requireMember } from '../../../shared/policy';
import type { EditPostInput } from '../discussion.inputs';
import type { Post } from '../post.entity';
import { lockPost } from './loadForUpdate';

/** Only the author edits; `editedAt` records it. Deleted posts stay deleted. */
export async function editPost(ctx: Context, input: EditPostInput): Promise<Post> {
  requireMember(ctx.actor);
  const postId = parseId(input.postId, 'Post', 'postId');
  return ctx.em.transactional(async (em) => {
    const post = await lockPost(em, postId);
    await authorize(ctx.actor, 'read', post);
    await authorize(ctx.actor, 'edit', post, 'Only the author can edit a post');
    if (post.deleted) throw conflict('A deleted post cannot be edited');
    if (post.body !== input.body) {
      post.body = input.body;
      post.editedAt = new Date();
    }
    return post;
  });
}
