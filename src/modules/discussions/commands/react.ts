import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { CommandScope } from '../../../context';
import { conflict, notFound } from '../../../shared/errors';
import { authorize, requireMember } from '../../../shared/policy';
import { Post } from '../post.entity';
import { Reaction } from '../reaction.entity';
import { lockPostShared } from './loadForUpdate';
import { recordEvent } from '../../../events/record';

export interface ReactProps {
  postId: string;
  /** One emoji (normalised to NFC here). */
  emoji: string;
}

/**
 * Toggles the viewer's emoji on a post (ACTIVE members; not on deleted posts). Policies run before the
 * transaction; inside it the post is share-locked and re-read, so a reaction never lands on a post deleted meanwhile.
 */
export async function react(scope: CommandScope, props: ReactProps): Promise<Post> {
  const member = requireMember(scope.actor);
  const { postId } = props;
  const post = await scope.loaders.byId(Post).load(postId);
  if (!post) throw notFound('Post');
  await authorize(scope.actor, 'read', post);
  await authorize(scope.actor, 'react', post, 'Only ACTIVE members can react here');
  if (post.deleted) throw conflict('A deleted post cannot take reactions');
  const emoji = props.emoji.normalize('NFC');
  const thread = await scope.actor.thread(post.thread.id);
  const changed = { type: 'ReactionChanged' as const, threadId: thread.id, communityId: thread.community.id, postId };
  try {
    await scope.em.transactional(async (em) => {
      const locked = await lockPostShared(em, postId);
      if (locked.deleted) throw conflict('A deleted post cannot take reactions');
      const removed = await em.nativeDelete(Reaction, { post: postId, member: member.id, emoji });
      if (removed === 0) {
        const reaction = new Reaction();
        reaction.post = locked;
        reaction.member = member;
        reaction.emoji = emoji;
        em.persist(reaction);
      }
      await recordEvent(em, member.id, { ...changed, emoji, reacted: removed === 0 });
    });
  } catch (error) {
    // The same member double-clicked: the concurrent request already added it, which is the toggle's intent.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
  }
  return post;
}
