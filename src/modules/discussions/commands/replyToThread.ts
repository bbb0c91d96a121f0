import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { badField, forbidden } from '../../../shared/errors';
import { authorize, requireMember } from '../../../shared/policy';
import { Post } from '../post.entity';
import { lockThread } from './loadForUpdate';
import { lockWritableCommunity } from '../../communities/commands/lockWritableCommunity';

export interface ReplyToThreadProps {
  threadId: string;
  body: string;
  /** The post this replies to, in the same thread; null for a reply to the thread itself. */
  parentPostId: string | null;
}

/** ACTIVE members reply to unlocked threads; the thread's reply count and last activity move with it. */
export async function replyToThread(scope: CommandScope, props: ReplyToThreadProps): Promise<Post> {
  // Writing needs an account before anything else: an anonymous reply is UNAUTHENTICATED whatever the thread.
  const member = requireMember(scope.actor);
  const { threadId, parentPostId: parentId } = props;
  const thread = await scope.actor.thread(threadId);
  await authorize(scope.actor, 'read', thread);
  if (thread.locked) throw forbidden('This thread is locked');
  await authorize(scope.actor, 'reply', thread, 'Only ACTIVE members can reply here');

  const post = await scope.em.transactional(async (em) => {
    // The community first (as a split, merge or retirement takes it), then the thread: a reply racing a retirement
    // waits for it and is refused, instead of landing in the archive.
    await lockWritableCommunity(em, thread.community.id);
    const locked = await lockThread(em, threadId);
    if (locked.locked) throw forbidden('This thread is locked');
    let parent: Post | null = null;
    if (parentId) {
      parent = await em.findOne(Post, { id: parentId });
      if (!parent || parent.thread.id !== threadId) throw badField('parentPostId', 'must be a post in the same thread');
    }
    const post = new Post();
    post.thread = locked;
    post.author = member;
    post.parent = parent;
    post.body = props.body;
    em.persist(post);
    locked.replyCount += 1;
    // Never backwards: another instance (its clock a little ahead) may have recorded a later activity already.
    if (post.createdAt > locked.lastActivityAt) locked.lastActivityAt = post.createdAt;
    // The locked row's community: a split or merge that moved the thread while this reply waited for it decides.
    await recordEvent(em, member.id, { type: 'PostAdded', threadId, communityId: locked.community.id, postId: post.id, parentPostId: parentId });
    return post;
  });
  return post;
}
