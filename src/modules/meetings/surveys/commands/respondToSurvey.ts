import { LockMode } from '@mikro-orm/core';
import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { closedRefusal, isOpenAt } from '../../../../shared/closing';
import { conflict, notFound } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { lockWritableCommunity } from '../../../communities/commands/lockWritableCommunity';
import { Survey } from '../survey.entity';
import { questionsLoader } from '../survey.loaders';
import { authorizeReadSurvey } from '../survey.policy';
import { checkAnswers, type AnswerSpec } from './answerRules';
import { storeResponse } from './storeResponse';

export interface RespondToSurveyProps {
  surveyId: string;
  answers: AnswerSpec[];
}

export const CLOSED_REFUSAL = 'This survey is closed';

/**
 * An ACTIVE member responds to an open survey, once. A closed survey (by closeSurvey, or past its closesAt) refuses
 * responses: CONFLICT, as closed time polls and thread polls do, asked before the answers are judged and again under
 * the survey's row lock. The answers are checked against the questions (BAD_USER_INPUT, nothing written); then, under
 * the lock, whether it is still open and whether the member already responded (CONFLICT): two responses sent at once
 * by one member wait for each other there, and the second finds the first.
 */
export async function respondToSurvey(scope: CommandScope, props: RespondToSurveyProps): Promise<Survey> {
  const member = requireMember(scope.actor);
  const found = await scope.loaders.byId(Survey).load(props.surveyId);
  if (!found) throw notFound('Survey');
  await authorizeReadSurvey(scope.actor, found);
  await authorize(scope.actor, 'respond', found, 'Only ACTIVE members of the community can respond to its surveys');
  if (!isOpenAt(found.closing, new Date())) throw closedRefusal(CLOSED_REFUSAL);
  const questions = await questionsLoader(scope.loaders).load(found.id);
  const answers = checkAnswers(questions, props.answers);
  return scope.em.transactional(async (em) => {
    await lockWritableCommunity(em, found.community.id);
    const survey = await em.findOneOrFail(Survey, { id: found.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!isOpenAt(survey.closing, new Date())) throw closedRefusal(CLOSED_REFUSAL);
    const [already] = await em.execute('select 1 from survey_participation where survey_id = ? and member_id = ?', [survey.id, member.id]);
    if (already) throw conflict('You have already responded to this survey');
    await storeResponse(em, survey, member.id, answers);
    await recordEvent(em, member.id, { type: 'SurveyResponded', communityId: survey.community.id, surveyId: survey.id });
    // storeResponse counted it in SQL; the returned survey shows it.
    await em.refresh(survey);
    return survey;
  });
}
