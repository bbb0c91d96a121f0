import type { CommandScope } from '../../../context';
import { conflict, notFound } from '../../../shared/errors';
import { authorize, requireMember } from '../../../shared/policy';
import { Post } from '../post.entity';
import { lockPost } from './loadForUpdate';
import { recordEvent } from '../../../events/record';

export interface EditPostProps {
  postId: string;
  body: string;
}

/** Only the author edits; `editedAt` records it. Deleted posts stay deleted. Policies run before the transaction. */
export async function editPost(scope: CommandScope, props: EditPostProps): Promise<Post> {
  const member = requireMember(scope.actor);
  const { postId } = props;
  const found = await scope.loaders.byId(Post).load(postId);
  if (!found) throw notFound('Post');
  await authorize(scope.actor, 'read', found);
  await authorize(scope.actor, 'edit', found, 'Only the author can edit a post');
  const thread = await scope.actor.thread(found.thread.id);
  return scope.em.transactional(async (em) => {
    const post = await lockPost(em, postId);
    if (post.deleted) throw conflict('A deleted post cannot be edited');
    if (post.body !== props.body) {
      post.body = props.body;
      post.editedAt = new Date();
      await recordEvent(em, member.id, { type: 'PostEdited', threadId: thread.id, communityId: thread.community.id, postId });
    }
    return post;
  });
}
