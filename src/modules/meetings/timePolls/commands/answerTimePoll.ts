import type { CommandScope } from '../../../../context';
import type { Em } from '../../../../db/orm';
import { recordEvent } from '../../../../events/record';
import { closedBy, closedRefusal } from '../../../../shared/closing';
import { badUserInput, notFound, type FieldError } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { lockWritableCommunity } from '../../../communities/commands/lockWritableCommunity';
import { TimePoll } from '../timePoll.entity';
import { TimePollAnswer } from '../timePollVote.entity';
import { ANSWER_REFUSAL } from '../timePoll.policy';

export interface AnswerTimePollProps {
  pollId: string;
  /** `optionId` null: the client sent something that is not an option ID at all (reported like an unknown one). */
  answers: { optionId: string | null; answer: TimePollAnswer }[];
}

const CLOSED_REFUSALS = {
  HAND: 'This time poll is closed: it takes no more answers',
  CLOSING_TIME: 'This time poll has reached its closing time: it takes no more answers',
};

/**
 * Locks the poll row (SHARE: answers do not wait for each other; closing takes it FOR UPDATE) and refuses when it no
 * longer takes answers. The clock is read after the lock, so an answer that waited past closesAt is refused too.
 */
async function lockOpenPoll(em: Em, pollId: string): Promise<void> {
  const [row] = await em.execute<{ closed_at: Date | null; closes_at: Date }[]>('select closed_at, closes_at from time_poll where id = ? for share', [pollId]);
  if (!row) throw notFound('Time poll');
  const closed = closedBy({ closed: row.closed_at !== null, closesAt: new Date(row.closes_at) }, new Date());
  if (closed) throw closedRefusal(CLOSED_REFUSALS[closed]);
}

/**
 * An ACTIVE member answers some or all of a poll's options, each YES, IF_NEEDED or NO; an option answered again gets
 * the new answer (one row per option and member, so concurrent answers never count twice). Unknown or repeated
 * options: BAD_USER_INPUT, nothing written. A closed poll (closed, or past closesAt): CONFLICT.
 */
export async function answerTimePoll(scope: CommandScope, props: AnswerTimePollProps): Promise<TimePoll> {
  const member = requireMember(scope.actor);
  const poll = await scope.loaders.byId(TimePoll).load(props.pollId);
  if (!poll) throw notFound('Time poll');
  await authorize(scope.actor, 'answer', poll, ANSWER_REFUSAL);

  return scope.em.transactional(async (em) => {
    await lockWritableCommunity(em, poll.community.id);
    await lockOpenPoll(em, poll.id);
    const optionRows = await em.execute<{ id: string }[]>('select id from time_poll_option where poll_id = ?', [poll.id]);
    const options = new Set(optionRows.map((r) => r.id));
    const errors: FieldError[] = [];
    const seen = new Map<string, number>();
    props.answers.forEach(({ optionId }, index) => {
      const field = `answers.${index}.optionId`;
      if (!optionId || !options.has(optionId)) errors.push({ field, message: 'is not an option of this poll' });
      else if (seen.has(optionId)) errors.push({ field, message: `repeats answers.${seen.get(optionId)}` });
      else seen.set(optionId, index);
    });
    if (!props.answers.length) errors.push({ field: 'answers', message: 'must answer at least one option' });
    if (errors.length) throw badUserInput(errors);

    const values = props.answers.map(() => '(gen_random_uuid(), ?::uuid, ?::uuid, ?::uuid, ?::time_poll_answer, now(), now())').join(', ');
    await em.execute(
      `insert into time_poll_vote (id, poll_id, option_id, member_id, answer, answered_at, created_at) values ${values} ` +
        'on conflict (option_id, member_id) do update set answer = excluded.answer, answered_at = excluded.answered_at',
      props.answers.flatMap(({ optionId, answer }) => [poll.id, optionId, member.id, answer]),
    );
    await recordEvent(em, member.id, {
      type: 'TimePollAnswered',
      communityId: poll.community.id,
      pollId: poll.id,
      optionIds: props.answers.map((a) => a.optionId!),
    });
    return poll;
  });
}
