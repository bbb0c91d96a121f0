import { allow, can, refuse, verdict } from '../../../shared/policy';
import type { Thread } from '../thread.entity';
import { Poll } from './poll.entity';
import '../discussion.policy';

/**
 * Why a poll takes no votes any more, or null while it is open: its closing time passed, or its thread was locked
 * (a locked thread refuses replies, and its poll votes alike). Threads have no deleted state.
 */
export function pollClosedReason(poll: Pick<Poll, 'closesAt'>, thread: Pick<Thread, 'locked'>, now: Date = new Date()): string | null {
  if (thread.locked) return 'This poll is closed: its thread is locked';
  if (poll.closesAt && poll.closesAt.getTime() <= now.getTime()) return `This poll closed at ${poll.closesAt.toISOString()}`;
  return null;
}

/** Whoever reads the thread reads its poll (a RESTRICTED community's: ACTIVE members and staff). */
allow(Poll, 'read', async (actor, poll) => can(actor, 'read', await actor.thread(poll.thread.id)));

/**
 * Voting is writing: an ACTIVE member of the thread's community, while it is ACTIVE (a retired community refuses
 * with its own reason, as replies do); then the poll must be open.
 */
allow(Poll, 'vote', async (actor, poll) => {
  const thread = await actor.thread(poll.thread.id);
  const write = await verdict(actor, 'write', await actor.community(thread.community.id));
  if (write !== true) return write;
  const closed = pollClosedReason(poll, thread);
  return closed ? refuse(closed) : true;
});

export const READ_REFUSAL = 'This community is for members only';
export const VOTE_REFUSAL = 'Only ACTIVE members of the community can vote';
