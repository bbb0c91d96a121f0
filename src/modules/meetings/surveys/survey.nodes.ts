import { registerNode } from '../../../shared/nodes';
import { Survey } from './survey.entity';
import { SurveyQuestion } from './surveyQuestion.entity';
import { authorizeReadSurvey } from './survey.policy';

/** `node(id)` for surveys and their questions: read like the community's content (RESTRICTED: FORBIDDEN to non-members). */
registerNode('Survey', async (ctx, id) => {
  const survey = await ctx.loaders.byId(Survey).load(id);
  if (survey) await authorizeReadSurvey(ctx.actor, survey);
  return survey;
});

registerNode('SurveyQuestion', async (ctx, id) => {
  const question = await ctx.loaders.byId(SurveyQuestion).load(id);
  if (!question) return null;
  const survey = await ctx.loaders.byId(Survey).load(question.survey.id);
  if (!survey) return null;
  await authorizeReadSurvey(ctx.actor, survey);
  return question;
});
