import { recordEvent } from '../../../events/record';
import type { Context } from '../../../context';
import { badField, conflict, notFound } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { authorize, requireMember } from '../../../shared/policy';
import { Post } from '../post.entity';
import { ThreadKind, type Thread } from '../thread.entity';
import { lockPost, lockThread } from './loadForUpdate';

/**
 * Discussion monitors, leads and staff pin threads to the top of the feed or lock them against replies.
 * Policies run before the transaction (they read on other connections; see deletePost).
 */
export async function setThreadFlag(ctx: Context, globalId: string, flag: 'pinned' | 'locked', value: boolean): Promise<Thread> {
  const member = requireMember(ctx.actor);
  const threadId = parseId(globalId, 'Thread', 'threadId');
  const found = await ctx.actor.thread(threadId);
  await authorize(ctx.actor, 'read', found);
  await authorize(ctx.actor, flag === 'pinned' ? 'pin' : 'lock', found, 'Only discussion monitors, leads and staff can do this');
  return ctx.em.transactional(async (em) => {
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

/**
 * QUESTION threads: the asker or a discussion monitor accepts a (non-deleted) reply as the answer. The post is
 * locked before its thread, as deletePost does, so a concurrent deletion either clears the answer after us or
 * makes us see the post deleted: a thread never ends up with a deleted accepted answer.
 */
export async function acceptAnswer(ctx: Context, postGlobalId: string): Promise<Thread> {
  const member = requireMember(ctx.actor);
  const postId = parseId(postGlobalId, 'Post', 'postId');
  const found = await ctx.loaders.byId(Post).load(postId);
  if (!found) throw notFound('Post');
  const thread = await ctx.actor.thread(found.thread.id);
  await authorize(ctx.actor, 'read', thread);
  await authorize(ctx.actor, 'acceptAnswer', thread, 'Only the thread author or a discussion monitor can accept an answer');
  if (thread.kind !== ThreadKind.QUESTION) throw badField('postId', 'only QUESTION threads have an accepted answer');
  return ctx.em.transactional(async (em) => {
    const post = await lockPost(em, postId);
    if (post.deleted) throw conflict('A deleted post cannot be the accepted answer');
    const locked = await lockThread(em, post.thread.id);
    if (locked.acceptedAnswer?.id === post.id) return locked;
    locked.acceptedAnswer = post;
    await recordEvent(em, member.id, { type: 'AnswerAccepted', communityId: locked.community.id, threadId: locked.id, postId });
    return locked;
  });
}
