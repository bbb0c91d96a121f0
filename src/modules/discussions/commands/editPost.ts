import type { Context } from '../../../context';
import { conflict, notFound } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { authorize, requireMember } from '../../../shared/policy';
import type { EditPostInput } from '../discussion.inputs';
import { Post } from '../post.entity';
import { lockPost } from './loadForUpdate';
import { recordEvent } from '../../../events/record';

/** Only the author edits; `editedAt` records it. Deleted posts stay deleted. Policies run before the transaction. */
export async function editPost(ctx: Context, input: EditPostInput): Promise<Post> {
  const member = requireMember(ctx.actor);
  const postId = parseId(input.postId, 'Post', 'postId');
  const found = await ctx.loaders.byId(Post).load(postId);
  if (!found) throw notFound('Post');
  await authorize(ctx.actor, 'read', found);
  await authorize(ctx.actor, 'edit', found, 'Only the author can edit a post');
  const thread = await ctx.actor.thread(found.thread.id);
  return ctx.em.transactional(async (em) => {
    const post = await lockPost(em, postId);
    if (post.deleted) throw conflict('A deleted post cannot be edited');
    if (post.body !== input.body) {
      post.body = input.body;
      post.editedAt = new Date();
      await recordEvent(em, member.id, { type: 'PostEdited', threadId: thread.id, communityId: thread.community.id, postId });
    }
    return post;
  });
}
