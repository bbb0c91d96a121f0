import {
  CreateMentoringGroupDocument,
  LogMentorshipCheckInDocument,
  MentorMatchesDocument,
  MentoringGroupsDocument,
  RequestMentorshipDocument,
  UpdateMentoringGroupDocument,
  UpsertMentorProfileDocument,
  WhyNotMentorDocument,
} from '../generated/graphql';
import { startTestServer, type TestServer, distinctBadInputFields as fieldsOf, countRows } from '../support/server';
import { MentorshipStatus } from '../../src/modules/mentoring/mentorshipPairing.entity';
import { MentoringFactories } from './factories';

let server: TestServer;
let mentoring: MentoringFactories;
beforeAll(async () => {
  server = await startTestServer();
  mentoring = new MentoringFactories(server);
});
afterAll(() => server.close());

const count = (sql: string, id: string) => countRows(server, sql, id);

// PostgreSQL text cannot hold NUL: it must be refused at the boundary, never reach the database as an internal error.
describe('control characters in mentoring text', () => {
  afterEach(() => expect(server.unexpectedErrors).toEqual([]));

  it.each([
    ['a NUL in the bio', { bio: 'Twenty\u0000years' }, 'bio'],
    ['a NUL in a topic', { topics: ['reading', 'co\u0000ding'] }, 'topics'],
  ])('upsertMentorProfile refuses %s as BAD_USER_INPUT on that field, no profile stored', async (_name, change, field) => {
    const member = await server.factories.member();
    const input = { topics: ['reading'], capacity: 2, ...change };
    expect(fieldsOf(await server.gql(UpsertMentorProfileDocument, { input }, { token: member.token }))).toEqual([field]);
    expect(await count('select count(*) as n from mentor_profile where member_id = ?', member.member.id)).toBe(0);
  });

  it.each([
    ['a NUL in the message', { message: 'Hello\u0000there' }, 'message'],
    ['a NUL in the goals', { goals: 'Learn\u0000more' }, 'goals'],
    ['a NUL in a topic', { topics: ['test\u0000ing'] }, 'topics'],
  ])('requestMentorship refuses %s as BAD_USER_INPUT on that field, no pairing stored', async (_name, change, field) => {
    const mentor = await mentoring.mentor();
    const mentee = await server.factories.member();
    const input = { mentorId: mentor.id, topics: ['testing'], ...change };
    expect(fieldsOf(await server.gql(RequestMentorshipDocument, { input }, { token: mentee.token }))).toEqual([field]);
    expect(await count('select count(*) as n from mentorship_pairing where mentee_id = ?', mentee.member.id)).toBe(0);
  });

  it('logMentorshipCheckIn refuses a NUL in the note as BAD_USER_INPUT on note, no check-in stored', async () => {
    const mentor = await mentoring.mentor();
    const mentee = await server.factories.member();
    const pairing = await mentoring.pairing(mentor, mentee, MentorshipStatus.ACTIVE);
    const input = { pairingId: pairing.id, note: 'Met\u0000today' };
    expect(fieldsOf(await server.gql(LogMentorshipCheckInDocument, { input }, { token: mentee.token }))).toEqual(['note']);
    expect(await count('select count(*) as n from mentorship_check_in where pairing_id = ?', pairing.pairing.id)).toBe(0);
  });

  it.each([
    ['a NUL in the topic', { topic: 'graphic\u0000novels' }, 'topic'],
    ['a NUL in the description', { description: 'Monthly\u0000' }, 'description'],
  ])('createMentoringGroup refuses %s as BAD_USER_INPUT on that field, no group stored', async (_name, change, field) => {
    const mentor = await mentoring.mentor();
    const input = { topic: 'graphic novels', capacity: 4, ...change };
    expect(fieldsOf(await server.gql(CreateMentoringGroupDocument, { input }, { token: mentor.token }))).toEqual([field]);
    expect(await count('select count(*) as n from mentoring_group where mentor_id = ?', mentor.member.id)).toBe(0);
  });

  it('updateMentoringGroup refuses a NUL in the description as BAD_USER_INPUT on description, nothing changed', async () => {
    const mentor = await mentoring.mentor();
    const { id, group } = await mentoring.group(mentor);
    const input = { groupId: id, description: 'Fridays\u0000' };
    expect(fieldsOf(await server.gql(UpdateMentoringGroupDocument, { input }, { token: mentor.token }))).toEqual(['description']);
    expect(await count('select count(*) as n from mentoring_group where id = ? and description is not null', group.id)).toBe(0);
  });

  it('mentorMatches, whyNotMentor and mentoringGroups refuse a NUL in their text as BAD_USER_INPUT on that field', async () => {
    const mentor = await mentoring.mentor();
    const viewer = await server.factories.member();
    const token = viewer.token;
    expect(fieldsOf(await server.gql(MentorMatchesDocument, { input: { topics: ['test\u0000ing'] } }, { token }))).toEqual(['topics']);
    expect(fieldsOf(await server.gql(MentorMatchesDocument, { input: { topics: ['testing'], goals: 'x\u0000' } }, { token }))).toEqual(['goals']);
    expect(fieldsOf(await server.gql(WhyNotMentorDocument, { mentorId: mentor.id, topics: ['test\u0000ing'] }, { token }))).toEqual(['topics']);
    expect(fieldsOf(await server.gql(MentoringGroupsDocument, { topic: 'test\u0000ing' }, { token }))).toEqual(['topic']);
  });
});
