import { randomUUID } from 'node:crypto';
import type { Em } from '../../../../db/orm';
import type { CheckedAnswer } from './answerRules';

/**
 * Writes one member's response inside the caller's transaction, which holds the survey's row lock (so responses to
 * one survey are counted one at a time and counters cannot deadlock): the participation (who), then the answers
 * (what), with nothing shared between the two: choices and scale answers add to counters, an anonymous survey's text
 * answers are rows with a random id and no author or time (see surveyAnswer.entity.ts). Returns nothing a caller
 * could tie to the answers.
 */
export async function storeResponse(em: Em, survey: { id: string; anonymous: boolean }, memberId: string, answers: CheckedAnswer[]): Promise<void> {
  await em.execute('insert into survey_participation (survey_id, member_id) values (?, ?)', [survey.id, memberId]);
  await em.execute('update survey set response_count = response_count + 1 where id = ?', [survey.id]);
  const counted = answers.flatMap((answer) => answer.values.map((value) => [answer.question.id, value] as const));
  if (counted.length) {
    await em.execute(
      `update survey_tally t set count = t.count + 1 from (values ${counted.map(() => '(?::uuid, ?::int)').join(', ')}) as v(question_id, value) ` +
        'where t.question_id = v.question_id and t.value = v.value',
      counted.flat(),
    );
  }
  if (answers.length) {
    await em.execute('update survey_question set answer_count = answer_count + 1 where id in (?)', [answers.map((answer) => answer.question.id)]);
  }
  const texts = answers.filter((answer) => answer.text !== null);
  if (!texts.length) return;
  if (survey.anonymous) {
    await em.execute(
      `insert into survey_text_answer (id, question_id, text) values ${texts.map(() => '(?, ?, ?)').join(', ')}`,
      texts.flatMap((answer) => [randomUUID(), answer.question.id, answer.text]),
    );
  } else {
    await em.execute(
      `insert into survey_named_text_answer (id, question_id, author_id, text) values ${texts.map(() => '(?, ?, ?, ?)').join(', ')}`,
      texts.flatMap((answer) => [randomUUID(), answer.question.id, memberId, answer.text]),
    );
  }
}
