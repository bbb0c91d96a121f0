import { closedBy } from '../../../shared/closing';
import { allow, can, verdict } from '../../../shared/policy';
import type { Thread } from '../thread.entity';
import { Poll } from './poll.entity';
import '../discussion.policy';

/**
 * Why a poll takes no votes any more, or null while it is open: its thread was locked (closed by hand: a locked
 * thread refuses replies, and its poll votes alike) or its closing time passed (src/shared/closing.ts decides).
 * Threads have no deleted state.
 */
export function pollClosedReason(poll: Pick<Poll, 'closesAt'>, thread: Pick<Thread, 'locked'>, now: Date = new Date()): string | null {
  const by = closedBy({ closed: thread.locked, closesAt: poll.closesAt }, now);
  if (by === 'HAND') return 'This poll is closed: its thread is locked';
  if (by === 'CLOSING_TIME') return `This poll closed at ${poll.closesAt!.toISOString()}`;
  return null;
}

/** Whoever reads the thread reads its poll (a RESTRICTED community's: ACTIVE members and staff). */
allow(Poll, 'read', async (actor, poll) => can(actor, 'read', await actor.thread(poll.thread.id)));

/**
 * Voting is writing: an ACTIVE member of the thread's community, while it is ACTIVE (a retired community refuses
 * with its own reason, as replies do). Whether the poll is still open is its state, not a right: votePoll asks
 * under the thread's lock (a closed poll is CONFLICT).
 */
allow(Poll, 'vote', async (actor, poll) => verdict(actor, 'write', await actor.community((await actor.thread(poll.thread.id)).community.id)));

export const READ_REFUSAL = 'This community is for members only';
export const VOTE_REFUSAL = 'Only ACTIVE members of the community can vote';
