import { CloseSurveyDocument, CreateSurveyDocument, LeaveCommunityDocument, SurveyNodeDocument } from '../generated/graphql';
import { MembershipStatus } from '../support/factories';
import { badInputFields, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { toGlobalId } from '../../src/shared/ids';
import { answers, createSurvey, dbId, inMinutes, NOTHING_STORED, QUESTIONS, respond, storedResponses, surveyWorld } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

async function openSurvey(options: { restricted?: boolean; anonymous?: boolean; closesAt?: string } = {}) {
  const world = await surveyWorld(server, options);
  const survey = await createSurvey(server, world.lead.token, { communityId: world.community.id, anonymous: options.anonymous ?? true, closesAt: options.closesAt });
  return { ...world, survey };
}

describe('respondToSurvey refusals', () => {
  it('is refused to anonymous viewers, non-members, pending and former members; a RESTRICTED survey is FORBIDDEN to outsiders; nothing stored', async () => {
    const { community, survey, other } = await openSurvey();
    const good = answers(survey, 4, ['Talk']);
    expectError(await respond(server, '', survey.id, good), 'UNAUTHENTICATED');
    const outsider = await server.factories.member();
    const pending = await server.factories.member();
    await server.factories.membership(pending, community, { status: MembershipStatus.PENDING });
    expectData(await server.gql(LeaveCommunityDocument, { communityId: community.id }, { token: other.token }));
    for (const who of [outsider, pending, other]) expectError(await respond(server, who.token, survey.id, good), 'FORBIDDEN');
    expect(await storedResponses(server, survey.id)).toEqual(NOTHING_STORED);

    const restricted = await openSurvey({ restricted: true });
    const refused = expectError(await respond(server, outsider.token, restricted.survey.id, answers(restricted.survey, 4, ['Talk'])), 'FORBIDDEN');
    expect(refused.message).toMatch(/members only/);
    expect(await storedResponses(server, restricted.survey.id)).toEqual(NOTHING_STORED);
  });

  it('is CONFLICT once the survey is closed: by closeSurvey, or from the moment its closesAt passes (no job needed)', async () => {
    const closedByHand = await openSurvey();
    expectData(await server.gql(CloseSurveyDocument, { surveyId: closedByHand.survey.id }, { token: closedByHand.lead.token }));
    expect(expectError(await respond(server, closedByHand.member.token, closedByHand.survey.id, answers(closedByHand.survey, 4, ['Talk'])), 'CONFLICT').message).toBe(
      'This survey is closed',
    );
    // The survey's state comes before the answers are judged; the rights come before its state.
    expect(expectError(await respond(server, closedByHand.member.token, closedByHand.survey.id, answers(closedByHand.survey, 9, ['Lecture'])), 'CONFLICT').message).toBe(
      'This survey is closed',
    );
    expectData(await server.gql(LeaveCommunityDocument, { communityId: closedByHand.community.id }, { token: closedByHand.other.token }));
    expectError(await respond(server, closedByHand.other.token, closedByHand.survey.id, answers(closedByHand.survey, 4, ['Talk'])), 'FORBIDDEN');
    expect(await storedResponses(server, closedByHand.survey.id)).toEqual(NOTHING_STORED);

    // closesAt a moment from now: open until then, closed the instant it passes.
    const timed = await openSurvey();
    const closesAt = new Date(Date.now() + 1500);
    await server.em().execute('update survey set closes_at = ? where id = ?', [closesAt.toISOString(), dbId(timed.survey.id)]);
    expectData(await respond(server, timed.member.token, timed.survey.id, answers(timed.survey, 5, ['Q&A'])));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, closesAt.getTime() - Date.now()) + 20));
    const late = await respond(server, timed.other.token, timed.survey.id, answers(timed.survey, 1, ['Q&A']));
    expect(expectError(late, 'CONFLICT').message).toBe('This survey is closed');
    const { node } = expectData(await server.gql(SurveyNodeDocument, { id: timed.survey.id }, { token: timed.member.token }));
    expect(node).toMatchObject({ status: 'CLOSED', closedAt: closesAt.toISOString(), responseCount: 1 });
    expect((await storedResponses(server, timed.survey.id)).participations).toBe(1);
  });

  it('is FORBIDDEN in a retired community', async () => {
    const { community, survey, member } = await openSurvey();
    await server.em().execute("update community set status = 'RETIRED' where id = ?", [dbId(community.id)]);
    expect(expectError(await respond(server, member.token, survey.id, answers(survey, 3, ['Talk'])), 'FORBIDDEN').message).toMatch(/read-only/);
    expect(await storedResponses(server, survey.id)).toEqual(NOTHING_STORED);
  });
});

describe('respondToSurvey validation', () => {
  it('refuses every bad answer on its field (BAD_USER_INPUT), with nothing stored', async () => {
    const { survey, member, lead, community } = await openSurvey({ anonymous: false });
    const [scale, single, , text] = survey.questions.map((q) => q.id) as [string, string, string, string];
    const elsewhere = expectData(await server.gql(CreateSurveyDocument, { input: { communityId: community.id, title: 'Another', questions: QUESTIONS } }, { token: lead.token })).createSurvey;
    const cases: [string, Parameters<typeof respond>[3], string[]][] = [
      ['required questions left out', answers(survey, undefined, undefined, ['AI']), ['answers', 'answers']],
      ['a choice that is not an option', answers(survey, 3, ['Lecture']), ['answers.1.choices']],
      ['several choices on SINGLE', answers(survey, 3, ['Talk', 'Q&A']), ['answers.1.choices']],
      ['no choice', answers(survey, 3, []), ['answers.1.choices']],
      ['a choice twice on MULTIPLE', answers(survey, 3, ['Talk'], ['AI', 'AI']), ['answers.2.choices']],
      ['a scale below scaleMin', answers(survey, 0, ['Talk']), ['answers.0.scale']],
      ['a scale above scaleMax', answers(survey, 6, ['Talk']), ['answers.0.scale']],
      ['a missing scale', [{ questionId: scale }, { questionId: single, choices: ['Talk'] }], ['answers.0.scale']],
      ['the wrong kind of answer', [{ questionId: scale, scale: 3, text: 'five' }, { questionId: single, choices: ['Talk'], scale: 1 }, { questionId: text, choices: ['AI'] }], ['answers.0.text', 'answers.1.scale', 'answers.2.choices', 'answers.2.text']],
      ['a blank text', [...answers(survey, 3, ['Talk']), { questionId: text, text: '   ' }], ['answers.2.text']],
      ['a question of another survey', [...answers(survey, 3, ['Talk']), { questionId: elsewhere.questions[3]!.id, text: 'Hi' }], ['answers.2.questionId']],
      ['the same question twice', [...answers(survey, 3, ['Talk']), { questionId: scale, scale: 4 }], ['answers.2.questionId']],
      ['no answer at all to an all-optional survey', [], ['answers', 'answers']],
    ];
    for (const [what, list, fields] of cases) {
      const response = await respond(server, member.token, survey.id, list);
      expect([what, badInputFields(response)]).toEqual([what, fields]);
    }
    // Not a SurveyQuestion ID at all, and a text over the limit (class-validator).
    expect(badInputFields(await respond(server, member.token, survey.id, [{ questionId: survey.id, scale: 3 }]))).toEqual(['answers.0.questionId']);
    expect(badInputFields(await respond(server, member.token, survey.id, [...answers(survey, 3, ['Talk']), { questionId: text, text: 'x'.repeat(5001) }]))).toEqual(['answers.2.text']);
    expect(badInputFields(await respond(server, member.token, toGlobalId('Thread', dbId(survey.id)), answers(survey, 3, ['Talk'])))).toEqual(['surveyId']);
    expect(await storedResponses(server, survey.id)).toEqual(NOTHING_STORED);
  });

  it('takes a response that answers nothing else when only the required questions are answered', async () => {
    const { survey, member } = await openSurvey();
    expect(expectData(await respond(server, member.token, survey.id, answers(survey, 2, ['Workshop']))).respondToSurvey).toMatchObject({ responseCount: 1, viewerResponded: true });
    expect(await storedResponses(server, survey.id)).toEqual({ ...NOTHING_STORED, response_count: 1, participations: 1, tallied: 2, answered: 2, events: 1 });
  });
});

describe('once per member', () => {
  it('a second response is CONFLICT and changes nothing', async () => {
    const { survey, member } = await openSurvey({ anonymous: false });
    const first = expectData(await respond(server, member.token, survey.id, answers(survey, 4, ['Talk'], ['AI', 'Ebooks'], 'More hands-on time'))).respondToSurvey;
    expect(first).toMatchObject({ id: survey.id, responseCount: 1, viewerResponded: true, status: 'OPEN' });
    const stored = await storedResponses(server, survey.id);
    expect(stored).toEqual({ response_count: 1, participations: 1, tallied: 4, answered: 4, texts: 0, named_texts: 1, events: 1 });
    const again = await respond(server, member.token, survey.id, answers(survey, 1, ['Q&A']));
    expect(expectError(again, 'CONFLICT').message).toMatch(/already responded/);
    expect(await storedResponses(server, survey.id)).toEqual(stored);
  });

  it('parallel responses by one member: exactly one lands, the others are CONFLICT; parallel members all count', async () => {
    const { community, survey, member } = await openSurvey();
    const tries = await Promise.all(Array.from({ length: 8 }, (_, i) => respond(server, member.token, survey.id, answers(survey, (i % 5) + 1, ['Talk'], ['AI'], `try ${i}`))));
    const landed = tries.filter((response) => !response.errors);
    expect(landed).toHaveLength(1);
    for (const refused of tries.filter((response) => response.errors)) expectError(refused, 'CONFLICT');
    expect(await storedResponses(server, survey.id)).toEqual({ response_count: 1, participations: 1, tallied: 3, answered: 4, texts: 1, named_texts: 0, events: 1 });

    const others = await Promise.all(Array.from({ length: 6 }, () => server.factories.activeMember(community)));
    const all = await Promise.all(others.map((who, i) => respond(server, who.token, survey.id, answers(survey, (i % 5) + 1, ['Workshop']))));
    for (const response of all) expectData(response);
    expect(await storedResponses(server, survey.id)).toEqual({ response_count: 7, participations: 7, tallied: 3 + 12, answered: 4 + 12, texts: 1, named_texts: 0, events: 7 });
  });

  it('a close racing responses: every response either lands before it or is refused after it', async () => {
    const { community, survey, lead } = await openSurvey({ closesAt: inMinutes(60) });
    const people = await Promise.all(Array.from({ length: 5 }, () => server.factories.activeMember(community)));
    const close = server.gql(CloseSurveyDocument, { surveyId: survey.id }, { token: lead.token });
    const responses = await Promise.all(people.map((who) => respond(server, who.token, survey.id, answers(survey, 3, ['Talk']))));
    expect(expectData(await close).closeSurvey.status).toBe('CLOSED');
    const landed = responses.filter((response) => !response.errors).length;
    for (const refused of responses.filter((response) => response.errors)) expect(expectError(refused, 'CONFLICT').message).toBe('This survey is closed');
    expect(await storedResponses(server, survey.id)).toMatchObject({ response_count: landed, participations: landed, tallied: 2 * landed });
  });
});
