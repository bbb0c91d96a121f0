import { CloseSurveyDocument, CreateSurveyDocument, LeaveCommunityDocument, SurveyInboxDocument, type CreateSurveyInput } from '../generated/graphql';
import { CommunityRole, MembershipStatus } from '../support/factories';
import { badInputFields, countRows, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { captureMail, fanOutAll, jobsDone } from '../notifications/support';
import type { OutgoingMail } from '../../src/mail/mailer';
import { createSurvey, dbId, inMinutes, QUESTIONS, surveyWorld } from './support';

let server: TestServer;
let mail: OutgoingMail[];
beforeAll(async () => {
  server = await startTestServer({ EMAIL_DELAY_SECONDS: '3600' });
  mail = captureMail(server);
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const surveysIn = (communityId: string) => countRows(server, 'select count(*) as n from survey where community_id = ?', dbId(communityId));
const eventsOf = (type: string, communityId: string) =>
  countRows(server, 'select count(*) as n from domain_event where type = ? and community_id = ?', type, dbId(communityId));
const create = (token: string | undefined, input: Partial<CreateSurveyInput> & { communityId: string }) =>
  server.gql(CreateSurveyDocument, { input: { title: 'Spring planning', questions: QUESTIONS, ...input } }, { token });

describe('createSurvey', () => {
  it('is refused to anonymous viewers, plain members, monitors, other communities’ leads and non-members, with nothing written', async () => {
    const { community, member, monitor } = await surveyWorld(server);
    const elsewhere = await server.factories.community();
    const otherLead = await server.factories.activeMember(elsewhere, [CommunityRole.LEAD]);
    const outsider = await server.factories.member();
    expectError(await create(undefined, { communityId: community.id }), 'UNAUTHENTICATED');
    for (const who of [member, monitor, otherLead, outsider]) expectError(await create(who.token, { communityId: community.id }), 'FORBIDDEN');
    expect(await surveysIn(community.id)).toBe(0);
    expect(await eventsOf('SurveyOpened', community.id)).toBe(0);
  });

  it('is refused in a retired community, even to its LEAD', async () => {
    const { community, lead } = await surveyWorld(server);
    await server.em().execute("update community set status = 'RETIRED' where id = ?", [dbId(community.id)]);
    expect(expectError(await create(lead.token, { communityId: community.id }), 'FORBIDDEN').message).toMatch(/retired and read-only/);
    expect(await surveysIn(community.id)).toBe(0);
  });

  it('refuses bad questions and a closesAt that is not in the future, every problem on its field, with nothing written', async () => {
    const { community, lead } = await surveyWorld(server);
    const empty = await create(lead.token, { communityId: community.id, questions: [] });
    expect(badInputFields(empty)).toEqual(['questions']);

    const response = await create(lead.token, {
      communityId: community.id,
      closesAt: new Date(Date.now() - 1000).toISOString(),
      questions: [
        { kind: 'SCALE', prompt: 'Options on a scale', options: ['a', 'b'], scaleMin: 1, scaleMax: 5 },
        { kind: 'TEXT', prompt: 'Options on a text', options: ['a'] },
        { kind: 'SINGLE', prompt: 'No options' },
        { kind: 'MULTIPLE', prompt: 'One option', options: ['only'] },
        { kind: 'SINGLE', prompt: 'Twice the same', options: ['Yes', 'Yes '] },
        { kind: 'SCALE', prompt: 'Upside down', scaleMin: 5, scaleMax: 5 },
        { kind: 'SCALE', prompt: 'No bounds' },
        { kind: 'SINGLE', prompt: 'A scale on a choice', options: ['a', 'b'], scaleMin: 1 },
        { kind: 'SCALE', prompt: 'Too wide', scaleMin: 0, scaleMax: 500 },
      ],
    });
    expect(badInputFields(response)).toEqual([
      'questions.0.options',
      'questions.1.options',
      'questions.2.options',
      'questions.3.options',
      'questions.4.options',
      'questions.5.scaleMax',
      'questions.6.scaleMin',
      'questions.6.scaleMax',
      'questions.7.scaleMin',
      'questions.8.scaleMax',
      'closesAt',
    ]);
    const blank = await create(lead.token, { communityId: community.id, title: '   ', questions: [{ kind: 'TEXT', prompt: '' }] });
    expect(badInputFields(blank).sort()).toEqual(['questions.0.prompt', 'questions.0.prompt', 'title'].sort());
    expect(await surveysIn(community.id)).toBe(0);
    expect(await countRows(server, 'select count(*) as n from survey_question q join survey s on s.id = q.survey_id where s.community_id = ?', dbId(community.id))).toBe(0);
    expect(await eventsOf('SurveyOpened', community.id)).toBe(0);
  });

  it('is open to the LEAD, both coordinators and staff: an OPEN survey with its questions in order and its counters', async () => {
    const { community, lead, meetingCoordinator, eventCoordinator } = await surveyWorld(server);
    const staff = await server.factories.staff();
    const closesAt = inMinutes(60 * 24 * 7);
    const survey = await createSurvey(server, lead.token, { communityId: community.id, anonymous: true, closesAt, title: '  Spring planning  ' });
    expect(survey).toMatchObject({
      title: 'Spring planning',
      status: 'OPEN',
      anonymous: true,
      closesAt,
      closedAt: null,
      responseCount: 0,
      viewerResponded: false,
      community: { id: community.id },
      createdBy: { id: lead.id },
    });
    expect(survey.questions.map((q) => [q.position, q.kind, q.prompt, q.options, q.required, q.scaleMin, q.scaleMax])).toEqual([
      [0, 'SCALE', 'How useful was the last meetup?', [], true, 1, 5],
      [1, 'SINGLE', 'Which format next?', ['Workshop', 'Talk', 'Q&A'], true, null, null],
      [2, 'MULTIPLE', 'Which topics?', ['AI', 'Ebooks', 'Makerspaces', 'Systems'], false, null, null],
      [3, 'TEXT', 'Anything else?', [], false, null, null],
    ]);
    // A counter for every scale value and option, none for text.
    const tallies = await server.em().execute<{ position: number; values: number[] }[]>(
      'select q.position, array_agg(t.value order by t.value) as values from survey_question q join survey_tally t on t.question_id = q.id where q.survey_id = ? group by q.position order by q.position',
      [dbId(survey.id)],
    );
    expect(tallies).toEqual([
      { position: 0, values: [1, 2, 3, 4, 5] },
      { position: 1, values: [0, 1, 2] },
      { position: 2, values: [0, 1, 2, 3] },
    ]);
    for (const who of [meetingCoordinator, eventCoordinator, staff]) {
      expect((await createSurvey(server, who.token, { communityId: community.id })).createdBy).toEqual({ id: who.id });
    }
    expect(await eventsOf('SurveyOpened', community.id)).toBe(4);
  });
});

describe('closeSurvey', () => {
  it('is refused to anonymous viewers, plain members and monitors; the LEAD closes it once (then CONFLICT)', async () => {
    const { community, lead, member, monitor, eventCoordinator } = await surveyWorld(server);
    const survey = await createSurvey(server, lead.token, { communityId: community.id });
    expectError(await server.gql(CloseSurveyDocument, { surveyId: survey.id }), 'UNAUTHENTICATED');
    for (const who of [member, monitor]) expectError(await server.gql(CloseSurveyDocument, { surveyId: survey.id }, { token: who.token }), 'FORBIDDEN');
    expect(await countRows(server, 'select count(*) as n from survey where id = ? and closed_at is null', dbId(survey.id))).toBe(1);

    const closed = expectData(await server.gql(CloseSurveyDocument, { surveyId: survey.id }, { token: eventCoordinator.token })).closeSurvey;
    expect(closed).toMatchObject({ status: 'CLOSED', closedAt: expect.any(String) });
    expectError(await server.gql(CloseSurveyDocument, { surveyId: survey.id }, { token: lead.token }), 'CONFLICT');
    expect(await eventsOf('SurveyClosed', community.id)).toBe(1);
    const [row] = await server.em().execute<{ closed_by_id: string }[]>('select closed_by_id from survey where id = ?', [dbId(survey.id)]);
    expect(row!.closed_by_id).toBe(eventCoordinator.member.id);
  });

  it('refuses a survey whose closesAt passed (it is closed already), and bad or unknown ids', async () => {
    const { community, lead } = await surveyWorld(server);
    const survey = await createSurvey(server, lead.token, { communityId: community.id, closesAt: inMinutes(60) });
    await server.em().execute("update survey set closes_at = now() - interval '1 second' where id = ?", [dbId(survey.id)]);
    expectError(await server.gql(CloseSurveyDocument, { surveyId: survey.id }, { token: lead.token }), 'CONFLICT');
    expect(badInputFields(await server.gql(CloseSurveyDocument, { surveyId: community.id }, { token: lead.token }))).toEqual(['surveyId']);
    const unknown = Buffer.from('Survey:00000000-0000-4000-8000-000000000000').toString('base64url');
    expectError(await server.gql(CloseSurveyDocument, { surveyId: unknown }, { token: lead.token }), 'NOT_FOUND');
  });

  it('is FORBIDDEN to a non-member of a RESTRICTED community, who may not even read the survey', async () => {
    const { community, lead } = await surveyWorld(server, { restricted: true });
    const survey = await createSurvey(server, lead.token, { communityId: community.id });
    const outsider = await server.factories.member();
    expect(expectError(await server.gql(CloseSurveyDocument, { surveyId: survey.id }, { token: outsider.token }), 'FORBIDDEN').message).toMatch(/members only/);
  });
});

describe('SURVEY_OPENED', () => {
  it('reaches REALTIME members (inbox and email), not digest or NONE members, pending or former members, or the creator', async () => {
    const { community, lead, meetingCoordinator, member, other } = await surveyWorld(server, { restricted: true });
    const daily = await server.factories.activeMember(community);
    const none = await server.factories.activeMember(community);
    const pending = await server.factories.member();
    await server.factories.membership(pending, community, { status: MembershipStatus.PENDING });
    await server.em().execute("update membership set notification_preference = 'DAILY_DIGEST' where id = ?", [dbId(daily.membershipId)]);
    await server.em().execute("update membership set notification_preference = 'NONE' where id = ?", [dbId(none.membershipId)]);
    const outsider = await server.factories.member();
    mail.length = 0;

    const survey = await createSurvey(server, lead.token, { communityId: community.id, title: 'Book club picks' });
    await fanOutAll(server);
    await jobsDone(server, 'notifications.email');
    const rows = await server.em().execute<{ recipient_id: string; subject_type: string; subject_id: string; title: string }[]>(
      "select recipient_id, subject_type, subject_id, title from notification where kind = 'SURVEY_OPENED' and community_id = ?",
      [dbId(community.id)],
    );
    const heard = rows.map((row) => row.recipient_id).sort();
    expect(heard).toEqual(expect.arrayContaining([member.member.id, other.member.id, meetingCoordinator.member.id]));
    for (const silent of [lead, daily, none, pending, outsider]) expect(heard).not.toContain(silent.member.id);
    expect(rows[0]).toMatchObject({ subject_type: 'Survey', subject_id: dbId(survey.id), title: expect.stringContaining('“Book club picks”') });

    const inbox = expectData(await server.gql(SurveyInboxDocument, {}, { token: member.token })).viewer!.notifications.edges;
    expect(inbox.map((e) => e.node)).toContainEqual({
      kind: 'SURVEY_OPENED',
      title: expect.stringContaining('Book club picks'),
      community: { id: community.id },
      subject: { __typename: 'Survey', id: survey.id, title: 'Book club picks' },
    });
    // Community mail: sent at once to REALTIME members, with the community's unsubscribe.
    const mailed = mail.filter((m) => m.category === 'community:SURVEY_OPENED' && m.subject.includes('Book club picks'));
    expect(mailed.map((m) => m.memberId).sort()).toEqual(heard);
    expect(mailed[0]!.unsubscribeUrl).toContain('/unsubscribe/');

    // Nothing from a RESTRICTED community stays with someone who can no longer read it.
    expectData(await server.gql(LeaveCommunityDocument, { communityId: community.id }, { token: member.token }));
    const after = expectData(await server.gql(SurveyInboxDocument, {}, { token: member.token })).viewer!.notifications.edges;
    expect(after.filter((e) => e.node.kind === 'SURVEY_OPENED')).toEqual([]);
  });
});
