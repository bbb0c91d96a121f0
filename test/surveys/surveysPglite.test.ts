import { useEmbeddedApp } from '../support/embedded';
import { CommunitySurveysDocument, CommunitySurveysWithResultsDocument, CreateSurveyDocument, LogInDocument, RespondToSurveyDocument, SurveyResultsDocument } from '../generated/graphql';
import { STAFF_EMAIL } from '../../src/db/seed/demo';
import { QUESTIONS } from './support';

/** The zero-setup default (embedded PGlite, seeded): the demo surveys, and a survey created, answered (once) and read. */
describe('surveys on the embedded PGlite database', () => {
  const embedded = useEmbeddedApp('practicehub-surveys-pglite-');
  async function gql(document: Parameters<typeof embedded.gql>[0], variables: unknown, token?: string) {
    const json = await embedded.gql(document, variables, token);
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data;
  }

  it('has the demo surveys with their results, and takes a new survey’s responses once each', async () => {
    const demo = (await gql(LogInDocument, { input: embedded.demo })).logIn.token as string;
    const staff = (await gql(LogInDocument, { input: { email: STAFF_EMAIL, password: embedded.demo!.password } })).logIn.token as string;

    const tools = (await gql(CommunitySurveysWithResultsDocument, { slug: 'digital-tools', first: 10 }, demo)).community;
    const seeded = tools.surveys.edges.map((e: { node: { title: string; status: string; anonymous: boolean; responseCount: number } }) => [e.node.title, e.node.status, e.node.anonymous, e.node.responseCount]);
    expect(seeded).toEqual([
      ['Planning the spring meetups', 'OPEN', true, 8],
      ['Autumn term check-in', 'CLOSED', true, 5],
    ]);
    const spring = tools.surveys.edges[0].node.results.questions;
    expect(spring[0]).toMatchObject({ answerCount: 8, average: 3.75 });
    expect(spring[1].options).toEqual([
      { option: 'Hands-on workshop', count: 4 },
      { option: 'Show and tell', count: 1 },
      { option: 'Guest speaker', count: 2 },
      { option: 'Open Q&A', count: 1 },
    ]);
    expect(spring[3].textAnswers.edges).toHaveLength(5);
    const literacy = (await gql(CommunitySurveysDocument, { slug: 'information-literacy' }, demo)).community.surveys.edges[0].node;
    expect(literacy).toMatchObject({ anonymous: false, status: 'OPEN', viewerResponded: false, responseCount: 4 });

    // A new survey, answered by the demo account, then again (CONFLICT), on the embedded database.
    const community = tools.id as string;
    const survey = (await gql(CreateSurveyDocument, { input: { communityId: community, title: 'Embedded survey', anonymous: true, questions: QUESTIONS } }, staff)).createSurvey;
    const input = {
      surveyId: survey.id,
      answers: [
        { questionId: survey.questions[0].id, scale: 4 },
        { questionId: survey.questions[1].id, choices: ['Talk'] },
        { questionId: survey.questions[2].id, choices: ['AI', 'Systems'] },
        { questionId: survey.questions[3].id, text: 'From PGlite' },
      ],
    };
    const tries = await Promise.all([1, 2, 3].map(() => embedded.gql(RespondToSurveyDocument, { input }, demo)));
    expect(tries.filter((t) => !t.errors)).toHaveLength(1);
    expect(tries.filter((t) => t.errors).map((t) => (t.errors as { extensions: { code: string } }[])[0]!.extensions.code)).toEqual(['CONFLICT', 'CONFLICT']);
    const results = (await gql(SurveyResultsDocument, { id: survey.id }, staff)).node.results;
    expect(results.responseCount).toBe(1);
    expect(results.questions[2].options).toEqual([{ option: 'AI', count: 1 }, { option: 'Ebooks', count: 0 }, { option: 'Makerspaces', count: 0 }, { option: 'Systems', count: 1 }]);
    expect(results.questions[3].textAnswers.edges).toEqual([{ cursor: expect.any(String), node: { text: 'From PGlite', author: null } }]);
  }, 60_000);
});
