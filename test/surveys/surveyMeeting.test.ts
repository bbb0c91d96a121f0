import { CreateSurveyDocument, ScheduleMeetingDocument } from '../generated/graphql';
import { badInputFields, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { countRows } from '../support/server';
import { createSurvey, dbId, QUESTIONS, surveyWorld } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

describe('a survey tied to a meeting', () => {
  it("refuses another community's meeting or an unknown one, with nothing written", async () => {
    const { community, meetingCoordinator } = await surveyWorld(server);
    const other = await surveyWorld(server);
    const elsewhere = expectData(
      await server.gql(ScheduleMeetingDocument, { input: { communityId: other.community.id, kind: 'MEETUP', title: 'Elsewhere', startsAt: inHours(24) } }, { token: other.meetingCoordinator.token }),
    ).scheduleMeeting;
    for (const meetingId of [elsewhere.id, 'TWVldGluZzowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA=']) {
      const response = await server.gql(CreateSurveyDocument, { input: { communityId: community.id, title: 'Feedback', questions: QUESTIONS, meetingId } }, { token: meetingCoordinator.token });
      expectError(response, 'BAD_USER_INPUT');
      expect(badInputFields(response)).toEqual(['meetingId']);
    }
    expect(await countRows(server, 'select count(*) as n from survey where community_id = ?', dbId(community.id))).toBe(0);
  });

  it('keeps the meeting it gathers feedback on', async () => {
    const { community, meetingCoordinator } = await surveyWorld(server);
    const meeting = expectData(
      await server.gql(ScheduleMeetingDocument, { input: { communityId: community.id, kind: 'BOOK_CLUB', title: 'Book club', startsAt: inHours(24) } }, { token: meetingCoordinator.token }),
    ).scheduleMeeting;
    const survey = await createSurvey(server, meetingCoordinator.token, { communityId: community.id, meetingId: meeting.id });
    expect(survey.meeting).toEqual({ id: meeting.id, title: 'Book club' });
    const plain = await createSurvey(server, meetingCoordinator.token, { communityId: community.id });
    expect(plain.meeting).toBeNull();
  });
});
