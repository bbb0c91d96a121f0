import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { badField, conflict, notFound } from '../../../shared/errors';
import { authorize, requireMember } from '../../../shared/policy';
import { Post } from '../post.entity';
import { ThreadKind, type Thread } from '../thread.entity';
import { lockPost, lockThread } from './loadForUpdate';

export interface SetThreadFlagProps {
  threadId: string;
  flag: 'pinned' | 'locked';
  value: boolean;
}

/**
 * Discussion monitors, leads and staff pin threads to the top of the feed or lock them against replies.
 * Policies run before the transaction (they read on other connections; see deletePost).
 */
export async function setThreadFlag(scope: CommandScope, { threadId, flag, value }: SetThreadFlagProps): Promise<Thread> {
  const member = requireMember(scope.actor);
  const found = await scope.actor.thread(threadId);
  await authorize(scope.actor, 'read', found);
  await authorize(scope.actor, flag === 'pinned' ? 'pin' : 'lock', found, 'Only discussion monitors, leads and staff can do this');
  return scope.em.transactional(async (em) => {
    const thread = await lockThread(em, threadId);
    if (thread[flag] === value) return thread;
    thread[flag] = value;
    const communityId = thread.community.id;
    await recordEvent(
      em,
      member.id,
      flag === 'pinned' ? { type: 'ThreadPinned', communityId, threadId, pinned: value } : { type: 'ThreadLocked', communityId, threadId, locked: value },
    );
    return thread;
  });
}

export interface AcceptAnswerProps {
  postId: string;
}

/**
 * QUESTION threads: the asker or a discussion monitor accepts a (non-deleted) reply as the answer. The post is
 * locked before its thread, as deletePost does, so a concurrent deletion either clears the answer after us or
 * makes us see the post deleted: a thread never ends up with a deleted accepted answer.
 */
export async function acceptAnswer(scope: CommandScope, { postId }: AcceptAnswerProps): Promise<Thread> {
  const member = requireMember(scope.actor);
  const found = await scope.loaders.byId(Post).load(postId);
  if (!found) throw notFound('Post');
  const thread = await scope.actor.thread(found.thread.id);
  await authorize(scope.actor, 'read', thread);
  await authorize(scope.actor, 'acceptAnswer', thread, 'Only the thread author or a discussion monitor can accept an answer');
  if (thread.kind !== ThreadKind.QUESTION) throw badField('postId', 'only QUESTION threads have an accepted answer');
  return scope.em.transactional(async (em) => {
    const post = await lockPost(em, postId);
    if (post.deleted) throw conflict('A deleted post cannot be the accepted answer');
    const locked = await lockThread(em, post.thread.id);
    if (locked.acceptedAnswer?.id === post.id) return locked;
    locked.acceptedAnswer = post;
    await recordEvent(em, member.id, { type: 'AnswerAccepted', communityId: locked.community.id, threadId: locked.id, postId });
    return locked;
  });
}
