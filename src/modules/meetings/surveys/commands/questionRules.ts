import type { FieldError } from '../../../../shared/errors';
import { MAX_SCALE_VALUES, SCALE_BOUND } from '../survey.inputs';
import { SurveyQuestionKind } from '../surveyQuestion.entity';

export interface QuestionSpec {
  kind: SurveyQuestionKind;
  prompt: string;
  options?: string[] | null;
  required: boolean;
  scaleMin?: number | null;
  scaleMax?: number | null;
}

/** A question as it is stored: trimmed, options only on SINGLE and MULTIPLE, a scale only on SCALE. */
export interface CheckedQuestion {
  kind: SurveyQuestionKind;
  prompt: string;
  options: string[];
  required: boolean;
  scaleMin: number | null;
  scaleMax: number | null;
}

const given = (value: unknown) => value !== null && value !== undefined;

/**
 * The rules a question's fields must follow together (class-validator checks each field alone): SINGLE and MULTIPLE
 * need two or more distinct options and no scale; SCALE needs scaleMin < scaleMax (at most MAX_SCALE_VALUES values,
 * within ±SCALE_BOUND) and no options; TEXT takes neither. Every broken rule is reported, each on its field.
 */
export function checkQuestions(questions: QuestionSpec[]): { checked: CheckedQuestion[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const checked = questions.map((question, index): CheckedQuestion => {
    const at = (field: string) => `questions.${index}.${field}`;
    const fail = (field: string, message: string) => errors.push({ field: at(field), message });
    const options = (question.options ?? []).map((option) => option.trim());
    const hasOptions = options.length > 0;
    const kind = question.kind;
    if (kind === SurveyQuestionKind.SINGLE || kind === SurveyQuestionKind.MULTIPLE) {
      if (options.length < 2) fail('options', `a ${kind} question needs at least two options`);
      const seen = new Set<string>();
      for (const option of options) {
        if (seen.has(option)) fail('options', `lists “${option}” twice`);
        seen.add(option);
      }
    } else if (hasOptions) {
      fail('options', `a ${kind} question takes no options`);
    }
    if (kind === SurveyQuestionKind.SCALE) {
      const { scaleMin, scaleMax } = question;
      if (!given(scaleMin)) fail('scaleMin', 'is required for a SCALE question');
      if (!given(scaleMax)) fail('scaleMax', 'is required for a SCALE question');
      for (const [field, value] of [['scaleMin', scaleMin], ['scaleMax', scaleMax]] as const) {
        if (given(value) && Math.abs(value!) > SCALE_BOUND) fail(field, `must be from −${SCALE_BOUND} to ${SCALE_BOUND}`);
      }
      if (given(scaleMin) && given(scaleMax)) {
        if (scaleMin! >= scaleMax!) fail('scaleMax', 'must be greater than scaleMin');
        else if (scaleMax! - scaleMin! + 1 > MAX_SCALE_VALUES) fail('scaleMax', `a scale has at most ${MAX_SCALE_VALUES} values`);
      }
    } else {
      if (given(question.scaleMin)) fail('scaleMin', `a ${kind} question takes no scale`);
      if (given(question.scaleMax)) fail('scaleMax', `a ${kind} question takes no scale`);
    }
    const scale = kind === SurveyQuestionKind.SCALE;
    return {
      kind,
      prompt: question.prompt.trim(),
      options: scale || kind === SurveyQuestionKind.TEXT ? [] : options,
      required: question.required,
      scaleMin: scale ? (question.scaleMin ?? null) : null,
      scaleMax: scale ? (question.scaleMax ?? null) : null,
    };
  });
  return { checked, errors };
}

/** The counters a question's answers are tallied in: option indexes, or every value of its scale (see SurveyTally). */
export function tallyValues(question: { kind: SurveyQuestionKind; options: string[]; scaleMin: number | null; scaleMax: number | null }): number[] {
  if (question.kind === SurveyQuestionKind.SCALE) {
    const values: number[] = [];
    for (let value = question.scaleMin!; value <= question.scaleMax!; value++) values.push(value);
    return values;
  }
  if (question.kind === SurveyQuestionKind.TEXT) return [];
  return question.options.map((_, index) => index);
}
