import type { Em } from '../../../../db/orm';
import { badField } from '../../../../shared/errors';
import type { Thread } from '../../thread.entity';
import { Poll } from '../poll.entity';
import { PollOption } from '../pollOption.entity';
import { MAX_OPTIONS, MIN_OPTIONS, optionKey } from '../poll.inputs';

/** A poll as startThread receives it (plain values; the field names are those of `startThread(input: { poll })`). */
export interface PollDraft {
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
  closesAt: Date | null;
}

/**
 * Checks a draft before anything is written, and trims it. The input type validates the same shape at the API's
 * boundary; this holds it for any other caller too, and adds what needs the clock (a closing time in the future).
 */
export function preparePoll(draft: PollDraft, now: Date = new Date()): PollDraft {
  const question = draft.question.trim();
  const options = draft.options.map((text) => text.trim());
  if (!question) throw badField('poll.question', 'must not be blank');
  if (options.length < MIN_OPTIONS || options.length > MAX_OPTIONS) throw badField('poll.options', `must have ${MIN_OPTIONS} to ${MAX_OPTIONS} options`);
  if (options.some((text) => !text)) throw badField('poll.options', 'each option must not be blank');
  if (new Set(options.map(optionKey)).size !== options.length) throw badField('poll.options', 'must not repeat an option');
  if (draft.closesAt && draft.closesAt.getTime() <= now.getTime()) throw badField('poll.closesAt', 'must be in the future');
  return { ...draft, question, options };
}

/** Adds a prepared poll to a thread being started, inside startThread's transaction (its event is ThreadStarted). */
export function addPoll(em: Em, thread: Thread, draft: PollDraft): { poll: Poll; options: PollOption[] } {
  const poll = new Poll();
  poll.thread = thread;
  poll.question = draft.question;
  poll.multiple = draft.multiple;
  poll.anonymous = draft.anonymous;
  poll.closesAt = draft.closesAt;
  em.persist(poll);
  const options = draft.options.map((text, position) => {
    const option = new PollOption();
    option.poll = poll;
    option.position = position;
    option.text = text;
    em.persist(option);
    return option;
  });
  return { poll, options };
}
