import { randomUUID } from 'node:crypto';
import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { closedRefusal } from '../../../../shared/closing';
import { badField, notFound } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { lockWritableCommunity } from '../../../communities/commands/lockWritableCommunity';
import { Poll } from '../poll.entity';
import type { PollOption } from '../pollOption.entity';
import { pollOptionsLoader } from '../poll.loaders';
import { pollClosedReason, READ_REFUSAL, VOTE_REFUSAL } from '../poll.policy';

export interface VotePollProps {
  pollId: string;
  /** The chosen options' ids; null stands for a value that was not an option ID at all (refused like a stranger's). */
  optionIds: (string | null)[];
}

/** The chosen options, checked against the poll, in option order; BAD_USER_INPUT on `optionIds` otherwise. */
function checkChoice(poll: Poll, options: PollOption[], optionIds: (string | null)[]): string[] {
  if (optionIds.length === 0) throw badField('optionIds', 'must choose at least one option');
  const position = new Map(options.map((option) => [option.id, option.position]));
  if (optionIds.some((id) => id === null || !position.has(id))) throw badField('optionIds', 'must be options of this poll');
  const chosen = new Set(optionIds as string[]);
  if (chosen.size !== optionIds.length) throw badField('optionIds', 'must not repeat an option');
  if (!poll.multiple && chosen.size > 1) throw badField('optionIds', 'this poll takes exactly one option');
  return [...chosen].sort((a, b) => position.get(a)! - position.get(b)!);
}

/**
 * An ACTIVE member votes in an open poll; voting again replaces their previous choice. A closed poll (its thread
 * locked or its closing time passed) is CONFLICT, asked before the choice is judged and again under the thread's
 * lock. One ballot row per member and poll, upserted on its unique key, so concurrent votes by one member leave
 * exactly one ballot (the last to commit) and the counts, computed from ballots, stay exact. A vote that changes
 * nothing records nothing.
 */
export async function votePoll(scope: CommandScope, props: VotePollProps): Promise<Poll> {
  const member = requireMember(scope.actor);
  const poll = await scope.loaders.byId(Poll).load(props.pollId);
  if (!poll) throw notFound('Poll');
  await authorize(scope.actor, 'read', poll, READ_REFUSAL);
  await authorize(scope.actor, 'vote', poll, VOTE_REFUSAL);
  const thread = await scope.actor.thread(poll.thread.id);
  const closedBefore = pollClosedReason(poll, thread);
  if (closedBefore) throw closedRefusal(closedBefore);
  const chosen = checkChoice(poll, await pollOptionsLoader(scope.loaders).load(poll.id), props.optionIds);

  await scope.em.transactional(async (em) => {
    // As a reply does: the community (a retirement racing this vote wins), then the thread, whose lock the vote
    // waits for and then re-reads (a thread locked meanwhile closes the poll). FOR SHARE: votes never wait for votes.
    await lockWritableCommunity(em, thread.community.id);
    // The poll's closing time is read again with it: what the database holds when the vote lands decides.
    const [locked] = await em.execute<{ community_id: string; locked: boolean; closes_at: string | Date | null }[]>(
      'select t.community_id, t.locked, p.closes_at from thread t join poll p on p.thread_id = t.id where p.id = ? for share of t',
      [poll.id],
    );
    if (!locked) throw notFound('Poll');
    const now = new Date();
    const closesAt = locked.closes_at === null ? null : new Date(locked.closes_at);
    const closed = pollClosedReason({ closesAt }, locked, now);
    if (closed) throw closedRefusal(closed);
    const written = await em.execute<{ id: string }[]>(
      'insert into poll_ballot (id, created_at, updated_at, poll_id, member_id, option_ids) values (?, ?, ?, ?, ?, array[?]::text[]) ' +
        'on conflict (poll_id, member_id) do update set option_ids = excluded.option_ids, updated_at = excluded.updated_at ' +
        'where poll_ballot.option_ids is distinct from excluded.option_ids returning id',
      [randomUUID(), now.toISOString(), now.toISOString(), poll.id, member.id, chosen],
    );
    if (!written.length) return;
    // An anonymous poll's event names nobody: no voter in the payload, no actor on the outbox row.
    const voterId = poll.anonymous ? null : member.id;
    await recordEvent(em, voterId, { type: 'PollVoted', communityId: locked.community_id, threadId: thread.id, pollId: poll.id, voterId });
  });
  return poll;
}
