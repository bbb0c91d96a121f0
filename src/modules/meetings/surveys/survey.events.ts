import { registerEventKinds } from '../../../events/registry';
import './survey.audiences';

type SurveyRef = { communityId: string; surveyId: string };

declare module '../../../events/registry' {
  interface DomainEvents {
    /** A survey was created (it opens at once): SURVEY_OPENED to the community's members (survey.audiences). */
    SurveyOpened: SurveyRef;
    /** That the actor responded, never what: no answer, no answer id (the "who responded" fact, like SurveyParticipation). */
    SurveyResponded: SurveyRef;
    SurveyClosed: SurveyRef;
  }
}

// Not live and not webhook event types (the contract names none for surveys): notifications are their reader.
registerEventKinds({
  SurveyOpened: {},
  SurveyResponded: {},
  SurveyClosed: {},
});
