import { CommunitySurveysDocument, SurveyResultsDocument } from '../generated/graphql';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { decodeCursor } from '../../src/shared/pagination';
import { answers, createSurvey, dbId, respond, surveyWorld } from './support';

/**
 * Anonymous surveys: no path in the API, nor a column in the database, leads from an answer to a member. Who responded
 * (for once-per-member and viewerResponded) is kept apart from what was answered, with no shared key, time or order.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

async function answeredAnonymously() {
  const world = await surveyWorld(server);
  const { community, lead } = world;
  const survey = await createSurvey(server, lead.token, { communityId: community.id, anonymous: true });
  const respondents = [];
  for (let i = 0; i < 12; i++) {
    const who = await server.factories.member({ displayName: `Respondent Number${i}` });
    const membership = await server.factories.membership(who, community);
    respondents.push({ ...who, membershipId: membership.id, text: `Answer text ${String(i).padStart(2, '0')}` });
  }
  for (const [i, who] of respondents.entries()) {
    expectData(await respond(server, who.token, survey.id, answers(survey, (i % 5) + 1, ['Workshop'], ['AI'], who.text)));
  }
  return { ...world, survey, respondents };
}

/** Every identifier of a member that could appear in an answer: ids (database and global), membership ids, names, emails. */
const tracesOf = (who: { id: string; member: { id: string; displayName: string }; email: string; membershipId: string }) => [
  who.id,
  who.member.id,
  who.member.displayName,
  who.email,
  who.membershipId,
  dbId(who.membershipId),
];

describe('an anonymous survey', () => {
  it('exposes no respondent in its results or any field reachable from them, to its LEAD or to staff', async () => {
    const { survey, lead, community, respondents } = await answeredAnonymously();
    const staff = await server.factories.staff();
    for (const token of [lead.token, staff.token]) {
      const read = expectData(await server.gql(SurveyResultsDocument, { id: survey.id }, { token }));
      const listed = expectData(await server.gql(CommunitySurveysDocument, { slug: community.community.slug }, { token }));
      const json = JSON.stringify([read, listed]);
      for (const who of respondents) for (const trace of tracesOf(who)) expect(json).not.toContain(trace);
      const textAnswers = (read.node as { results: { questions: { textAnswers: { edges: { cursor: string; node: { text: string; author: unknown } }[] } }[] } }).results.questions[3]!
        .textAnswers.edges;
      expect(textAnswers).toHaveLength(12);
      expect(textAnswers.every((edge) => edge.node.author === null)).toBe(true);
      // A cursor is the answer's random id, nothing else.
      for (const edge of textAnswers) {
        const [id] = decodeCursor(edge.cursor) as [string];
        expect(decodeCursor(edge.cursor)).toHaveLength(1);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        for (const who of respondents) expect(id).not.toBe(who.member.id);
      }
      // Listed in an order unrelated to who answered when (12 answers in the order they came: 1 chance in 479 million).
      expect(textAnswers.map((edge) => edge.node.text)).not.toEqual(respondents.map((who) => who.text));
      expect(textAnswers.map((edge) => edge.node.text).sort()).toEqual(respondents.map((who) => who.text));
    }
  });

  it('stores who responded apart from the answers: no shared key, no time, no sequence; nothing names a member', async () => {
    const { survey, respondents } = await answeredAnonymously();
    const columns = async (table: string) =>
      (await server.em().execute<{ column_name: string; data_type: string }[]>(
        'select column_name, data_type from information_schema.columns where table_name = ? order by ordinal_position',
        [table],
      )).map((c) => `${c.column_name}:${c.data_type}`);
    expect(await columns('survey_participation')).toEqual(['survey_id:uuid', 'member_id:uuid']);
    expect(await columns('survey_tally')).toEqual(['question_id:uuid', 'value:integer', 'count:integer']);
    expect(await columns('survey_text_answer')).toEqual(['id:uuid', 'question_id:uuid', 'text:text']);

    // What each table's keys point at: the answers only at their question, the participation only at survey and member.
    const references = await server.em().execute<{ table_name: string; referenced: string }[]>(
      `select tc.table_name, ccu.table_name as referenced from information_schema.table_constraints tc
         join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
        where tc.constraint_type = 'FOREIGN KEY' and tc.table_name in ('survey_participation', 'survey_tally', 'survey_text_answer')
        order by 1, 2`,
    );
    expect(references.map((r) => `${r.table_name}->${r.referenced}`)).toEqual([
      'survey_participation->member',
      'survey_participation->survey',
      'survey_tally->survey_question',
      'survey_text_answer->survey_question',
    ]);
    // No table points at a text answer or a tally (no side table that could join them to a member).
    const intoAnswers = await server.em().execute(
      `select 1 from information_schema.table_constraints tc join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
        where tc.constraint_type = 'FOREIGN KEY' and ccu.table_name in ('survey_text_answer', 'survey_tally') and tc.table_name <> ccu.table_name`,
    );
    expect(intoAnswers).toEqual([]);

    // The rows: participations are survey and member only; answers hold no member id anywhere in them.
    const participations = await server.em().execute<{ member_id: string }[]>('select * from survey_participation where survey_id = ?', [dbId(survey.id)]);
    expect(participations.map((p) => Object.keys(p).sort())).toEqual(respondents.map(() => ['member_id', 'survey_id']));
    const stored = JSON.stringify(
      await server.em().execute(
        `select a.* from survey_text_answer a join survey_question q on q.id = a.question_id where q.survey_id = ?
         union all select null, t.question_id, t.value || ':' || t.count from survey_tally t join survey_question q on q.id = t.question_id where q.survey_id = ?`,
        [dbId(survey.id), dbId(survey.id)],
      ),
    );
    for (const who of respondents) for (const trace of tracesOf(who)) expect(stored).not.toContain(trace);
    expect(await server.em().execute('select 1 from survey_named_text_answer a join survey_question q on q.id = a.question_id where q.survey_id = ?', [dbId(survey.id)])).toEqual([]);

    // The event of a response says who responded, never what.
    const events = await server.em().execute<{ payload: Record<string, unknown> }[]>(
      "select payload from domain_event where type = 'SurveyResponded' and payload->>'surveyId' = ?",
      [dbId(survey.id)],
    );
    expect(events).toHaveLength(12);
    for (const { payload } of events) expect(Object.keys(payload).sort()).toEqual(['communityId', 'surveyId', 'type']);
  });

  it('still tells each respondent that they responded (and no one else), and keeps them to one response', async () => {
    const { survey, community, respondents, member } = await answeredAnonymously();
    const responded = async (token: string) =>
      expectData(await server.gql(CommunitySurveysDocument, { slug: community.community.slug }, { token })).community!.surveys.edges[0]!.node.viewerResponded;
    expect(await responded(respondents[3]!.token)).toBe(true);
    expect(await responded(member.token)).toBe(false);
    const again = await respond(server, respondents[3]!.token, survey.id, answers(survey, 2, ['Talk']));
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});
