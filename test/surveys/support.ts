import { CreateSurveyDocument, RespondToSurveyDocument, type CreateSurveyInput, type SurveyAnswerInput, type SurveyQuestionInput } from '../generated/graphql';
import { CommunityRole } from '../support/factories';
import { expectData, type TestServer } from '../support/server';
import { fromGlobalId } from '../../src/shared/ids';

export const dbId = (globalId: string) => fromGlobalId(globalId)!.id;
export const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

/** One question of each kind: a required 1–5 scale, a required single choice, an optional multiple choice, an optional text. */
export const QUESTIONS: SurveyQuestionInput[] = [
  { kind: 'SCALE', prompt: 'How useful was the last meetup?', required: true, scaleMin: 1, scaleMax: 5 },
  { kind: 'SINGLE', prompt: 'Which format next?', required: true, options: ['Workshop', 'Talk', 'Q&A'] },
  { kind: 'MULTIPLE', prompt: 'Which topics?', options: ['AI', 'Ebooks', 'Makerspaces', 'Systems'] },
  { kind: 'TEXT', prompt: 'Anything else?' },
];

/** A community with a LEAD, a meeting and an event coordinator, a discussion monitor and plain members. */
export async function surveyWorld(server: TestServer, options: { restricted?: boolean } = {}) {
  const { factories } = server;
  const community = options.restricted ? await factories.restrictedCommunity() : await factories.community();
  const lead = await factories.activeMember(community, [CommunityRole.LEAD]);
  const meetingCoordinator = await factories.activeMember(community, [CommunityRole.MEETING_COORDINATOR]);
  const eventCoordinator = await factories.activeMember(community, [CommunityRole.EVENT_COORDINATOR]);
  const monitor = await factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
  const member = await factories.activeMember(community);
  const other = await factories.activeMember(community);
  return { community, lead, meetingCoordinator, eventCoordinator, monitor, member, other };
}

export async function createSurvey(server: TestServer, token: string, input: Partial<CreateSurveyInput> & { communityId: string }) {
  const response = await server.gql(CreateSurveyDocument, { input: { title: 'Spring planning', questions: QUESTIONS, ...input } }, { token });
  return expectData(response).createSurvey;
}

type Survey = Awaited<ReturnType<typeof createSurvey>>;

/** Answers by position: a number for SCALE, a string[] for SINGLE/MULTIPLE, a string for TEXT; undefined leaves it out. */
export function answers(survey: Survey, ...values: (number | string | string[] | undefined)[]): SurveyAnswerInput[] {
  return values.flatMap((value, position): SurveyAnswerInput[] => {
    if (value === undefined) return [];
    const questionId = survey.questions[position]!.id;
    if (typeof value === 'number') return [{ questionId, scale: value }];
    return [Array.isArray(value) ? { questionId, choices: value } : { questionId, text: value }];
  });
}

export const respond = (server: TestServer, token: string, surveyId: string, answerList: SurveyAnswerInput[]) =>
  server.gql(RespondToSurveyDocument, { input: { surveyId, answers: answerList } }, { token });

/** Every stored trace of a survey's responses: nothing of it may change when a write is refused. */
export async function storedResponses(server: TestServer, surveyId: string) {
  const [row] = await server.em().execute<Record<string, string | number>[]>(
    `select (select response_count from survey where id = ?) as response_count,
            (select count(*) from survey_participation where survey_id = ?) as participations,
            (select coalesce(sum(t.count), 0) from survey_tally t join survey_question q on q.id = t.question_id where q.survey_id = ?) as tallied,
            (select coalesce(sum(answer_count), 0) from survey_question where survey_id = ?) as answered,
            (select count(*) from survey_text_answer a join survey_question q on q.id = a.question_id where q.survey_id = ?) as texts,
            (select count(*) from survey_named_text_answer a join survey_question q on q.id = a.question_id where q.survey_id = ?) as named_texts,
            (select count(*) from domain_event where type = 'SurveyResponded' and payload->>'surveyId' = ?) as events`,
    Array(7).fill(dbId(surveyId)),
  );
  return Object.fromEntries(Object.entries(row!).map(([key, value]) => [key, Number(value)]));
}

export const NOTHING_STORED = { response_count: 0, participations: 0, tallied: 0, answered: 0, texts: 0, named_texts: 0, events: 0 };
