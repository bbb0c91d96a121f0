import type { Context } from '../../../../context';
import { authorize } from '../../../../shared/policy';
import type { Survey } from '../survey.entity';
import { SurveyQuestionKind, type SurveyQuestion } from '../surveyQuestion.entity';
import { questionsLoader, surveyCountsLoader, type QuestionCounts } from '../survey.loaders';
import { RESULTS_REFUSAL } from '../survey.policy';
import { SurveyQuestionResults, SurveyResults, type SurveyScaleCount } from '../survey.types';
import '../survey.policy';

function questionResults(survey: Survey, question: SurveyQuestion, counts: QuestionCounts | undefined): SurveyQuestionResults {
  const tally = (value: number) => counts?.tallies.get(value) ?? 0;
  const distribution: SurveyScaleCount[] = [];
  if (question.kind === SurveyQuestionKind.SCALE) {
    for (let value = question.scaleMin!; value <= question.scaleMax!; value++) distribution.push({ value, count: tally(value) });
  }
  const scaleAnswers = distribution.reduce((total, entry) => total + entry.count, 0);
  const results = new SurveyQuestionResults();
  results.question = question;
  results.answerCount = counts?.answerCount ?? 0;
  results.options = question.choosesOptions ? question.options.map((option, index) => ({ option, count: tally(index) })) : [];
  results.distribution = distribution;
  results.average = scaleAnswers ? distribution.reduce((total, entry) => total + entry.value * entry.count, 0) / scaleAnswers : null;
  results.anonymous = survey.anonymous;
  return results;
}

/**
 * A survey's results for its organisers and staff (FORBIDDEN for everyone else): per question, the counts per option
 * (SINGLE, MULTIPLE), the average and distribution (SCALE), and the text answers (TEXT, a connection). Batched: any
 * number of surveys costs one statement for their questions and one for their counts.
 */
export async function surveyResults(ctx: Context, survey: Survey): Promise<SurveyResults> {
  await authorize(ctx.actor, 'readResults', survey, RESULTS_REFUSAL);
  const [questions, counts] = await Promise.all([questionsLoader(ctx.loaders).load(survey.id), surveyCountsLoader(ctx.loaders).load(survey.id)]);
  return Object.assign(new SurveyResults(), {
    responseCount: survey.responseCount,
    questions: questions.map((question) => questionResults(survey, question, counts.get(question.id))),
  });
}
