import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { authorize, requireMember } from '../../../shared/policy';
import { Thread, ThreadKind } from '../thread.entity';
import { normalizeTags } from './loadForUpdate';
import { lockWritableCommunity } from '../../communities/commands/lockWritableCommunity';
import { addPoll, preparePoll, type PollDraft } from '../polls/commands/createPoll';

export interface StartThreadProps {
  communityId: string;
  title: string;
  body: string;
  kind: ThreadKind;
  tags: string[];
  /** A poll opened with the thread, in the same transaction. */
  poll?: PollDraft | null;
}

/** ACTIVE members start threads; ANNOUNCEMENTs are for leads, discussion monitors and staff. */
export async function startThread(scope: CommandScope, props: StartThreadProps): Promise<Thread> {
  const member = requireMember(scope.actor);
  const { communityId } = props;
  const community = await scope.actor.community(communityId);
  await authorize(scope.actor, 'write', community, 'Only ACTIVE members can start threads here');
  if (props.kind === ThreadKind.ANNOUNCEMENT) {
    await authorize(scope.actor, 'announce', community, 'Only leads, discussion monitors and staff can post announcements');
  }
  const poll = props.poll ? preparePoll(props.poll) : null;
  const thread = await scope.em.transactional(async (em) => {
    await lockWritableCommunity(em, communityId);
    const thread = new Thread();
    thread.community = community;
    thread.author = member;
    thread.title = props.title.trim();
    thread.body = props.body;
    thread.kind = props.kind;
    thread.tags = normalizeTags(props.tags);
    thread.lastActivityAt = thread.createdAt;
    em.persist(thread);
    if (poll) addPoll(em, thread, poll);
    await recordEvent(em, member.id, { type: 'ThreadStarted', communityId, threadId: thread.id });
    return thread;
  });
  return thread;
}
