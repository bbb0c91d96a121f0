import { recordEvent } from '../../../events/record';
import type { Context } from '../../../context';
import { parseId } from '../../../shared/ids';
import { authorize, requireMember } from '../../../shared/policy';
import type { StartThreadInput } from '../discussion.inputs';
import { Thread, ThreadKind } from '../thread.entity';
import { normalizeTags } from './loadForUpdate';

/** ACTIVE members start threads; ANNOUNCEMENTs are for leads, discussion monitors and staff. */
export async function startThread(ctx: Context, input: StartThreadInput): Promise<Thread> {
  const member = requireMember(ctx.actor);
  const communityId = parseId(input.communityId, 'Community', 'communityId');
  const community = await ctx.actor.community(communityId);
  await authorize(ctx.actor, 'write', community, 'Only ACTIVE members can start threads here');
  if (input.kind === ThreadKind.ANNOUNCEMENT) {
    await authorize(ctx.actor, 'announce', community, 'Only leads, discussion monitors and staff can post announcements');
  }
  const thread = await ctx.em.transactional(async (em) => {
    const thread = new Thread();
    thread.community = community;
    thread.author = member;
    thread.title = input.title.trim();
    thread.body = input.body;
    thread.kind = input.kind;
    thread.tags = normalizeTags(input.tags);
    thread.lastActivityAt = thread.createdAt;
    em.persist(thread);
    await recordEvent(em, member.id, { type: 'ThreadStarted', communityId, threadId: thread.id });
    return thread;
  });
  return thread;
}
