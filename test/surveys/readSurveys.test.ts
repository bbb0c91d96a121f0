import { CommunitySurveysDocument, CommunitySurveysWithResultsDocument, SurveyNodeDocument, SurveyResultsDocument, SurveyTextAnswersPageDocument } from '../generated/graphql';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { answers, createSurvey, dbId, inMinutes, respond, surveyWorld } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const list = (slug: string, token?: string, extra: { first?: number; after?: string | null; status?: 'OPEN' | 'CLOSED' } = {}) =>
  server.gql(CommunitySurveysDocument, { slug, ...extra }, { token });
const results = (id: string, token?: string) => server.gql(SurveyResultsDocument, { id }, { token });

describe('reading surveys', () => {
  it('a RESTRICTED community’s surveys are FORBIDDEN to non-members on every path; members and staff read them', async () => {
    const { community, lead, member } = await surveyWorld(server, { restricted: true });
    const survey = await createSurvey(server, lead.token, { communityId: community.id });
    const outsider = await server.factories.member();
    const slug = community.community.slug;
    for (const token of [undefined, outsider.token]) {
      const listed = await list(slug, token);
      expect(expectError(listed, 'FORBIDDEN').path).toEqual(['community', 'surveys']);
      expect(listed.data?.community ?? null).toBeNull();
      expectError(await server.gql(SurveyNodeDocument, { id: survey.id }, { token }), 'FORBIDDEN');
      expectError(await server.gql(SurveyNodeDocument, { id: survey.questions[0]!.id }, { token }), 'FORBIDDEN');
      expectError(await results(survey.id, token), 'FORBIDDEN');
    }
    const staff = await server.factories.staff();
    for (const who of [member, staff]) {
      expect(expectData(await list(slug, who.token)).community!.surveys.edges.map((e) => e.node.id)).toEqual([survey.id]);
      expect(expectData(await server.gql(SurveyNodeDocument, { id: survey.questions[1]!.id }, { token: who.token })).node).toMatchObject({ __typename: 'SurveyQuestion', kind: 'SINGLE' });
    }
  });

  it('an OPEN community’s surveys are readable without an account (viewerResponded false), newest first, in pages', async () => {
    const { community, lead, member } = await surveyWorld(server);
    const made = [];
    for (const title of ['First', 'Second', 'Third']) made.push(await createSurvey(server, lead.token, { communityId: community.id, title }));
    expectData(await respond(server, member.token, made[1]!.id, answers(made[1]!, 4, ['Talk'])));
    const slug = community.community.slug;
    const page = expectData(await list(slug, undefined, { first: 2 })).community!.surveys;
    expect(page.totalCount).toBe(3);
    expect(page.edges.map((e) => e.node.title)).toEqual(['Third', 'Second']);
    expect(page.edges.map((e) => e.node.viewerResponded)).toEqual([false, false]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const rest = expectData(await list(slug, undefined, { first: 2, after: page.pageInfo.endCursor })).community!.surveys;
    expect(rest.edges.map((e) => e.node.title)).toEqual(['First']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const mine = expectData(await list(slug, member.token)).community!.surveys.edges.map((e) => [e.node.title, e.node.viewerResponded, e.node.responseCount]);
    expect(mine).toEqual([['Third', false, 0], ['Second', true, 1], ['First', false, 0]]);
    expect(expectError(await list(slug, undefined, { first: 101 }), 'BAD_USER_INPUT').extensions?.fieldErrors).toEqual([{ field: 'first', message: expect.any(String) }]);
    expectError(await list(slug, undefined, { after: 'not-a-cursor' }), 'BAD_USER_INPUT');
  });

  it('status OPEN and CLOSED as of now: closed with closeSurvey or because closesAt passed, in the field and the filter alike', async () => {
    const { community, lead } = await surveyWorld(server);
    const open = await createSurvey(server, lead.token, { communityId: community.id, title: 'Open', closesAt: inMinutes(60) });
    const lapsed = await createSurvey(server, lead.token, { communityId: community.id, title: 'Lapsed', closesAt: inMinutes(60) });
    const closesAt = new Date(Date.now() - 5000);
    await server.em().execute('update survey set closes_at = ? where id = ?', [closesAt.toISOString(), dbId(lapsed.id)]);
    const slug = community.community.slug;
    const titles = async (status?: 'OPEN' | 'CLOSED') => expectData(await list(slug, undefined, { status })).community!.surveys;
    expect((await titles('OPEN')).edges.map((e) => [e.node.title, e.node.status])).toEqual([['Open', 'OPEN']]);
    const closed = await titles('CLOSED');
    expect(closed.edges.map((e) => [e.node.title, e.node.status, e.node.closedAt])).toEqual([['Lapsed', 'CLOSED', closesAt.toISOString()]]);
    expect(closed.totalCount).toBe(1);
    expect((await titles()).totalCount).toBe(2);
    expect(open.status).toBe('OPEN');
  });
});

describe('results', () => {
  it('are FORBIDDEN (null with an error) to plain members, monitors and signed-out viewers; open to the LEAD, coordinators and staff', async () => {
    const { community, lead, meetingCoordinator, eventCoordinator, monitor, member } = await surveyWorld(server);
    const survey = await createSurvey(server, lead.token, { communityId: community.id });
    for (const token of [undefined, member.token, monitor.token]) {
      const response = await results(survey.id, token);
      expect(expectError(response, 'FORBIDDEN').path).toEqual(['node', 'results']);
      expect(response.data?.node).toEqual({ id: survey.id, responseCount: 0, results: null });
    }
    const staff = await server.factories.staff();
    for (const who of [lead, meetingCoordinator, eventCoordinator, staff]) {
      expect((expectData(await results(survey.id, who.token)).node as { results: unknown }).results).toMatchObject({ responseCount: 0 });
    }
  });

  it('count each option, average and spread the scale, and list the text answers', async () => {
    const { community, lead, member, other } = await surveyWorld(server);
    const survey = await createSurvey(server, lead.token, { communityId: community.id, anonymous: true });
    const third = await server.factories.activeMember(community);
    const fourth = await server.factories.activeMember(community);
    expectData(await respond(server, member.token, survey.id, answers(survey, 5, ['Workshop'], ['AI', 'Ebooks'], 'Evenings please')));
    expectData(await respond(server, other.token, survey.id, answers(survey, 4, ['Workshop'], ['AI'])));
    expectData(await respond(server, third.token, survey.id, answers(survey, 4, ['Q&A'], undefined, 'More breakout rooms')));
    expectData(await respond(server, fourth.token, survey.id, answers(survey, 1, ['Talk'], ['Systems', 'AI', 'Makerspaces'])));

    const read = (expectData(await results(survey.id, lead.token)).node as { results: { responseCount: number; questions: Record<string, unknown>[] } }).results;
    expect(read.responseCount).toBe(4);
    const [scale, single, multiple, text] = read.questions as never as {
      answerCount: number;
      average: number | null;
      options: { option: string; count: number }[];
      distribution: { value: number; count: number }[];
      textAnswers: { totalCount: number; edges: { node: { text: string; author: unknown } }[] };
    }[];
    expect(scale).toMatchObject({ answerCount: 4, average: 3.5, options: [], distribution: [1, 0, 0, 2, 1].map((count, i) => ({ value: i + 1, count })) });
    expect(single).toMatchObject({ answerCount: 4, average: null, distribution: [], options: [{ option: 'Workshop', count: 2 }, { option: 'Talk', count: 1 }, { option: 'Q&A', count: 1 }] });
    expect(multiple!.answerCount).toBe(3);
    expect(multiple!.options).toEqual([{ option: 'AI', count: 3 }, { option: 'Ebooks', count: 1 }, { option: 'Makerspaces', count: 1 }, { option: 'Systems', count: 1 }]);
    expect(text!.answerCount).toBe(2);
    expect(text!.textAnswers.totalCount).toBe(2);
    expect(text!.textAnswers.edges.map((e) => e.node.text).sort()).toEqual(['Evenings please', 'More breakout rooms']);
    expect(text!.textAnswers.edges.map((e) => e.node.author)).toEqual([null, null]);
    expect(scale!.textAnswers).toMatchObject({ totalCount: 0, edges: [] });
  });

  it('of a non-anonymous survey name the author of each text answer; text answers page with first/after', async () => {
    const { community, lead, member, other } = await surveyWorld(server);
    const survey = await createSurvey(server, lead.token, { communityId: community.id, anonymous: false });
    expectData(await respond(server, member.token, survey.id, answers(survey, 3, ['Talk'], undefined, 'From the member')));
    expectData(await respond(server, other.token, survey.id, answers(survey, 3, ['Talk'], undefined, 'From the other')));
    const read = (expectData(await results(survey.id, lead.token)).node as { results: { questions: { textAnswers: { edges: { node: { text: string; author: { id: string } | null } }[] } }[] } }).results;
    const named = read.questions[3]!.textAnswers.edges.map((e) => [e.node.text, e.node.author?.id]).sort();
    expect(named).toEqual([['From the member', member.id], ['From the other', other.id]]);

    type TextPage = { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { text: string } }[] };
    const page = async (first: number, after?: string | null) => {
      const response = await server.gql(SurveyTextAnswersPageDocument, { id: survey.id, first, after }, { token: lead.token });
      return (expectData(response).node as { results: { questions: { textAnswers: TextPage }[] } }).results.questions[3]!.textAnswers;
    };
    const one = await page(1);
    expect(one.edges).toHaveLength(1);
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = await page(1, one.pageInfo.endCursor);
    expect(two.pageInfo.hasNextPage).toBe(false);
    expect([one.edges[0]!.node.text, two.edges[0]!.node.text].sort()).toEqual(['From the member', 'From the other']);
    expectError(await server.gql(SurveyTextAnswersPageDocument, { id: survey.id, first: 101 }, { token: lead.token }), 'BAD_USER_INPUT');
  });
});

describe('no N+1', () => {
  it('listing surveys with their questions, viewerResponded and results costs the same statements for 2 or 8 surveys', async () => {
    async function statementsFor(count: number) {
      const { community, lead, member } = await surveyWorld(server);
      for (let i = 0; i < count; i++) {
        const survey = await createSurvey(server, lead.token, { communityId: community.id, anonymous: i % 2 === 0 });
        expectData(await respond(server, member.token, survey.id, answers(survey, 3, ['Talk'], ['AI'], 'Some words')));
      }
      server.queries.length = 0;
      const read = expectData(await server.gql(CommunitySurveysWithResultsDocument, { slug: community.community.slug, first: 20 }, { token: lead.token }));
      expect(read.community!.surveys.edges).toHaveLength(count);
      for (const edge of read.community!.surveys.edges) {
        expect(edge.node.questions).toHaveLength(4);
        expect(edge.node.results!.questions[3]!.textAnswers.edges.map((e) => e.node.text)).toEqual(['Some words']);
      }
      return server.queries.length;
    }
    // Anonymous and non-anonymous surveys alike (their text answers are in two tables: one statement each).
    const two = await statementsFor(2);
    const eight = await statementsFor(8);
    expect(eight).toBe(two);
    expect(two).toBeLessThanOrEqual(12);
  });
});
