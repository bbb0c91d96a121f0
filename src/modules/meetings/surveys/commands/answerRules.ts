import { badUserInput, type FieldError } from '../../../../shared/errors';
import { SurveyQuestionKind, type SurveyQuestion } from '../surveyQuestion.entity';

export interface AnswerSpec {
  /** The question's database id (the resolver parsed the global ID). */
  questionId: string;
  choices?: string[] | null;
  scale?: number | null;
  text?: string | null;
}

/** An answer checked against its question: the counters it adds to (option indexes or the scale value), or its text. */
export interface CheckedAnswer {
  question: SurveyQuestion;
  values: number[];
  text: string | null;
}

const given = (value: unknown) => value !== null && value !== undefined;
const quote = (question: SurveyQuestion) => `question ${question.position + 1} (“${question.prompt.length > 60 ? `${question.prompt.slice(0, 59)}…` : question.prompt}”)`;

/**
 * Checks a response against the survey's questions; every problem is reported (BAD_USER_INPUT, each on its field):
 * an unknown or repeated question, the wrong kind of answer for the question (choices for SINGLE and MULTIPLE, scale
 * for SCALE, text for TEXT), more than one choice on SINGLE, a choice that is not an option, a scale out of
 * [scaleMin, scaleMax], a blank text, a required question left out, and a response that answers nothing.
 */
export function checkAnswers(questions: SurveyQuestion[], answers: AnswerSpec[]): CheckedAnswer[] {
  const errors: FieldError[] = [];
  const byId = new Map(questions.map((question) => [question.id, question]));
  const answered = new Map<string, number>();
  const checked: CheckedAnswer[] = [];
  answers.forEach((answer, index) => {
    const at = (field: string) => `answers.${index}.${field}`;
    const before = errors.length;
    const fail = (field: string, message: string) => errors.push({ field: at(field), message });
    const question = byId.get(answer.questionId);
    if (!question) return fail('questionId', 'is not a question of this survey');
    if (answered.has(question.id)) return fail('questionId', `answers the same question as answers.${answered.get(question.id)}`);
    answered.set(question.id, index);
    const kind = question.kind;
    const choices = answer.choices ?? null;
    if (kind !== SurveyQuestionKind.SINGLE && kind !== SurveyQuestionKind.MULTIPLE && given(choices)) fail('choices', `a ${kind} question takes no choices`);
    if (kind !== SurveyQuestionKind.SCALE && given(answer.scale)) fail('scale', `a ${kind} question takes no scale answer`);
    if (kind !== SurveyQuestionKind.TEXT && given(answer.text)) fail('text', `a ${kind} question takes no text answer`);
    let values: number[] = [];
    let text: string | null = null;
    if (kind === SurveyQuestionKind.SINGLE || kind === SurveyQuestionKind.MULTIPLE) {
      const picked = (choices ?? []).map((choice) => choice.trim());
      if (!picked.length) fail('choices', kind === SurveyQuestionKind.SINGLE ? 'must name one option' : 'must name at least one option');
      if (kind === SurveyQuestionKind.SINGLE && picked.length > 1) fail('choices', 'a SINGLE question takes one choice');
      const seen = new Set<string>();
      for (const choice of picked) {
        const option = question.options.indexOf(choice);
        if (option < 0) fail('choices', `“${choice}” is not an option of this question`);
        else if (seen.has(choice)) fail('choices', `lists “${choice}” twice`);
        else values.push(option);
        seen.add(choice);
      }
    } else if (kind === SurveyQuestionKind.SCALE) {
      const scale = answer.scale;
      if (!given(scale)) fail('scale', 'is required for a SCALE question');
      else if (scale! < question.scaleMin! || scale! > question.scaleMax!) fail('scale', `must be from ${question.scaleMin} to ${question.scaleMax}`);
      else values = [scale!];
    } else {
      text = answer.text?.trim() ?? '';
      if (!text) fail('text', 'must not be blank (leave an optional question out to skip it)');
    }
    if (errors.length === before) checked.push({ question, values, text });
  });
  for (const question of questions) {
    if (question.required && !answered.has(question.id)) errors.push({ field: 'answers', message: `must answer ${quote(question)}: it is required` });
  }
  if (!errors.length && !checked.length) errors.push({ field: 'answers', message: 'must answer at least one question' });
  if (errors.length) throw badUserInput(errors);
  return checked;
}
