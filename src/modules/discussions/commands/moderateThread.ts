import type { Context } from '../../../server/context';
import { badField, conflict, notFound } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { authorize, requireMember } from '../../../shared/policy';
import { Post } from '../post.entity';
import { ThreadKind, type Thread } from '../thread.entity';
import { lockThread } from './loadForUpdate';

/** Discussion monitors, leads and staff pin threads to the top of the feed or lock them against replies. */
export async function setThreadFlag(ctx: Context, globalId: string, flag: 'pinned' | 'locked', value: boolean): Promise<Thread> {
  requireMember(ctx.actor);
  const threadId = parseId(globalId, 'Thread', 'threadId');
  return ctx.em.transactional(async (em) => {
    const thread = await lockThread(em, threadId);
    await authorize(ctx.actor, 'read', thread);
    await authorize(ctx.actor, flag === 'pinned' ? 'pin' : 'lock', thread, 'Only discussion monitors, leads and staff can do this');
    thread[flag] = value;
    return thread;
  });
}

/** QUESTION threads: the asker or a discussion monitor accepts a (non-deleted) reply as the answer. */
export async function acceptAnswer(ctx: Context, postGlobalId: string): Promise<Thread> {
  requireMember(ctx.actor);
  const postId = parseId(postGlobalId, 'Post', 'postId');
  return ctx.em.transactional(async (em) => {
    const post = await em.findOne(Post, { id: postId });
    if (!post) throw notFound('Post');
    const thread = await lockThread(em, post.thread.id);
    await authorize(ctx.actor, 'read', thread);
    await authorize(ctx.actor, 'acceptAnswer', thread, 'Only the thread author or a discussion monitor can accept an answer');
    if (thread.kind !== ThreadKind.QUESTION) throw badField('postId', 'only QUESTION threads have an accepted answer');
    if (post.deleted) throw conflict('A deleted post cannot be the accepted answer');
    thread.acceptedAnswer = post;
    return thread;
  });
}
