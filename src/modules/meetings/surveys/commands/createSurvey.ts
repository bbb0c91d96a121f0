import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { badUserInput } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { Community } from '../../../communities/community.entity';
import { lockWritableCommunity } from '../../../communities/commands/lockWritableCommunity';
import { Member } from '../../../members/member.entity';
import { Survey } from '../survey.entity';
import { Meeting } from '../../meeting/meeting.entity';
import { SurveyQuestion } from '../surveyQuestion.entity';
import { SurveyTally } from '../surveyAnswer.entity';
import { RUN_REFUSAL } from '../survey.policy';
import { checkQuestions, tallyValues, type QuestionSpec } from './questionRules';

export interface CreateSurveyProps {
  communityId: string;
  title: string;
  questions: QuestionSpec[];
  anonymous: boolean;
  closesAt?: Date | null;
  /** The meeting it is about: one of the same community's meetings. */
  meetingId?: string | null;
}

/**
 * A community's LEAD, meeting or event coordinator, or staff opens a survey: its questions in order, each with the
 * counters its answers will add to, and SURVEY_OPENED for the members (survey.audiences). Bad questions or a closesAt
 * that is not in the future are BAD_USER_INPUT, all of them at once, with nothing written.
 */
export async function createSurvey(scope: CommandScope, props: CreateSurveyProps): Promise<Survey> {
  const member = requireMember(scope.actor);
  const community = await scope.actor.community(props.communityId);
  await authorize(scope.actor, 'runSurveys', community, RUN_REFUSAL);
  const { checked, errors } = checkQuestions(props.questions);
  if (!checked.length) errors.push({ field: 'questions', message: 'must have at least one question' });
  if (props.closesAt && props.closesAt.getTime() <= Date.now()) errors.push({ field: 'closesAt', message: 'must be in the future' });
  const meeting = props.meetingId ? await scope.loaders.byId(Meeting).load(props.meetingId) : null;
  if (props.meetingId && meeting?.community.id !== community.id) errors.push({ field: 'meetingId', message: "must be one of this community's meetings" });
  if (errors.length) throw badUserInput(errors);
  return scope.em.transactional(async (em) => {
    // A retirement that committed since the check above wins: no new surveys in a read-only community.
    await lockWritableCommunity(em, community.id);
    const survey = new Survey();
    survey.community = em.getReference(Community, community.id);
    survey.createdBy = em.getReference(Member, member.id);
    survey.title = props.title.trim();
    survey.anonymous = props.anonymous;
    survey.closesAt = props.closesAt ?? null;
    survey.meeting = meeting ? em.getReference(Meeting, meeting.id) : null;
    em.persist(survey);
    checked.forEach((spec, position) => {
      const question = Object.assign(new SurveyQuestion(), { ...spec, survey, position });
      em.persist(question);
      for (const value of tallyValues(spec)) em.persist(Object.assign(new SurveyTally(), { question, value }));
    });
    await recordEvent(em, member.id, { type: 'SurveyOpened', communityId: community.id, surveyId: survey.id });
    return survey;
  });
}
