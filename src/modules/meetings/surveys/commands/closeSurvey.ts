import { LockMode } from '@mikro-orm/core';
import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { conflict, notFound } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { lockWritableCommunity } from '../../../communities/commands/lockWritableCommunity';
import { Member } from '../../../members/member.entity';
import { Survey } from '../survey.entity';
import { authorizeReadSurvey, RUN_REFUSAL } from '../survey.policy';

/**
 * The survey's organisers (LEAD, meeting and event coordinators) or staff close it before its closesAt; from then on
 * it takes no responses. A closed survey, by closeSurvey or because its closesAt passed, is CONFLICT.
 */
export async function closeSurvey(scope: CommandScope, props: { surveyId: string }): Promise<Survey> {
  const member = requireMember(scope.actor);
  const found = await scope.loaders.byId(Survey).load(props.surveyId);
  if (!found) throw notFound('Survey');
  await authorizeReadSurvey(scope.actor, found);
  await authorize(scope.actor, 'close', found, RUN_REFUSAL);
  return scope.em.transactional(async (em) => {
    await lockWritableCommunity(em, found.community.id);
    // Locked: a response being written finishes first (it counts), and the next one finds the survey closed.
    const survey = await em.findOneOrFail(Survey, { id: found.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    const now = new Date();
    if (survey.closedAsOf(now)) throw conflict('This survey is already closed');
    survey.closedAt = now;
    survey.closedBy = em.getReference(Member, member.id);
    await recordEvent(em, member.id, { type: 'SurveyClosed', communityId: survey.community.id, surveyId: survey.id });
    return survey;
  });
}
