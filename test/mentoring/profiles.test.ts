import { MemberMentorProfileDocument, MentorProfileNodeDocument, UpsertMentorProfileDocument } from '../generated/graphql';
import { expectData, expectError, startTestServer, type TestServer, distinctBadInputFields as fieldsOf } from '../support/server';
import { MentoringFactories, MentorshipStatus } from './factories';

let server: TestServer;
let mentoring: MentoringFactories;
beforeAll(async () => {
  server = await startTestServer();
  mentoring = new MentoringFactories(server);
});
afterAll(() => server.close());

async function profileRows(memberId: string) {
  return server.em().execute<{ topics: string[]; capacity: number }[]>(
    'select p.topics, p.capacity from mentor_profile p join member m on m.id = p.member_id where m.id = ?',
    [memberId],
  );
}

async function readProfile(memberId: string, token: string) {
  const { node } = expectData(await server.gql(MemberMentorProfileDocument, { id: memberId }, { token }));
  if (node?.__typename !== 'Member') throw new Error('member not found');
  return node.mentorProfile;
}

const valid = { topics: ['Information Literacy'], capacity: 2 };

describe('upsertMentorProfile', () => {
  it('refuses an anonymous viewer as UNAUTHENTICATED', async () => {
    expectError(await server.gql(UpsertMentorProfileDocument, { input: valid }), 'UNAUTHENTICATED');
  });

  it.each([
    ['no topics', { topics: [] }, 'topics'],
    ['eleven topics', { topics: Array.from({ length: 11 }, (_, i) => `topic ${i}`) }, 'topics'],
    ['a blank topic', { topics: ['reading', '   '] }, 'topics'],
    ['a topic of 61 characters', { topics: ['x'.repeat(61)] }, 'topics'],
    ['a negative capacity', { capacity: -1 }, 'capacity'],
    ['a capacity above 20', { capacity: 21 }, 'capacity'],
    ['a bio over 2,000 characters', { bio: 'b'.repeat(2001) }, 'bio'],
  ])('refuses %s as BAD_USER_INPUT on that field and writes nothing', async (_name, change, field) => {
    const member = await server.factories.member();
    const response = await server.gql(UpsertMentorProfileDocument, { input: { ...valid, ...change } }, { token: member.token });
    expect(fieldsOf(response)).toEqual([field]);
    expect(await profileRows(member.member.id)).toEqual([]);
  });

  it('refuses a capacity that is not an integer', async () => {
    const member = await server.factories.member();
    const response = await server.raw(
      { query: 'mutation { upsertMentorProfile(input: { topics: ["x"], capacity: 1.5 }) { id } }' },
      { token: member.token },
    );
    expectError(response, 'GRAPHQL_VALIDATION_FAILED');
    expect(await profileRows(member.member.id)).toEqual([]);
  });

  it('creates the profile with normalised topics (trimmed, lower-case, single spaces, no duplicates) and accepting by default', async () => {
    const member = await server.factories.member({ displayName: 'Ada' });
    const { upsertMentorProfile: profile } = expectData(
      await server.gql(
        UpsertMentorProfileDocument,
        { input: { topics: ['  Information   Literacy ', 'information literacy', 'Digital Tools'], capacity: 3, bio: '  Twenty years in school libraries. ' } },
        { token: member.token },
      ),
    );
    expect(profile).toMatchObject({
      topics: ['information literacy', 'digital tools'],
      capacity: 3,
      activeMenteeCount: 0,
      freePlaces: 3,
      bio: 'Twenty years in school libraries.',
      acceptingMentees: true,
      member: { id: member.id, displayName: 'Ada' },
    });
    expect(await readProfile(member.id, member.token)).toEqual(profile);
  });

  it('replaces topics and capacity, keeps an omitted bio and acceptingMentees, and clears the bio with null', async () => {
    const member = await server.factories.member();
    const first = expectData(
      await server.gql(UpsertMentorProfileDocument, { input: { topics: ['reading'], capacity: 2, bio: 'Bio', acceptingMentees: false } }, { token: member.token }),
    ).upsertMentorProfile;
    const second = expectData(
      await server.gql(UpsertMentorProfileDocument, { input: { topics: ['poetry', 'drama'], capacity: 5 } }, { token: member.token }),
    ).upsertMentorProfile;
    expect(second).toMatchObject({ id: first.id, topics: ['poetry', 'drama'], capacity: 5, bio: 'Bio', acceptingMentees: false });
    const third = expectData(
      await server.gql(UpsertMentorProfileDocument, { input: { topics: ['poetry'], capacity: 5, bio: null, acceptingMentees: true } }, { token: member.token }),
    ).upsertMentorProfile;
    expect(third).toMatchObject({ id: first.id, bio: null, acceptingMentees: true });
    expect(await profileRows(member.member.id)).toEqual([{ topics: ['poetry'], capacity: 5 }]);
  });

  it('keeps ACTIVE mentorships when capacity is lowered below them: the mentor just has no free place', async () => {
    const mentor = await mentoring.mentor({ capacity: 2 });
    await mentoring.pairing(mentor, await server.factories.member(), MentorshipStatus.ACTIVE);
    await mentoring.pairing(mentor, await server.factories.member(), MentorshipStatus.ACTIVE);
    const { upsertMentorProfile: profile } = expectData(
      await server.gql(UpsertMentorProfileDocument, { input: { topics: ['testing'], capacity: 1 } }, { token: mentor.token }),
    );
    expect(profile).toMatchObject({ capacity: 1, activeMenteeCount: 2, freePlaces: 0 });
  });

  it('creates one profile when the same member upserts several times at once', async () => {
    const member = await server.factories.member();
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map((capacity) => server.gql(UpsertMentorProfileDocument, { input: { topics: [`t${capacity}`], capacity } }, { token: member.token })),
    );
    const ids = new Set(responses.map((r) => expectData(r).upsertMentorProfile.id));
    expect(ids.size).toBe(1);
    const rows = await profileRows(member.member.id);
    expect(rows).toHaveLength(1);
    // Whichever write came last, the topic statistics agree with the one profile left.
    const stats = await server.em().execute<{ topic: string; mentor_count: number }[]>(
      `select topic, mentor_count from mentor_topic_stat where topic in ('t1', 't2', 't3', 't4', 't5') and mentor_count <> 0`,
    );
    expect(stats).toEqual([{ topic: rows[0]!.topics[0], mentor_count: 1 }]);
  });
});

describe('Member.mentorProfile and node(id)', () => {
  it('shows a profile to any signed-in member and null for a member without one', async () => {
    const mentor = await mentoring.mentor({ topics: ['reading'], capacity: 4, bio: 'Hello' });
    const reader = await server.factories.member();
    expect(await readProfile(mentor.id, reader.token)).toMatchObject({ id: mentor.profileId, topics: ['reading'], capacity: 4, bio: 'Hello' });
    expect(await readProfile(reader.id, reader.token)).toBeNull();
    const { node } = expectData(await server.gql(MentorProfileNodeDocument, { id: mentor.profileId }, { token: reader.token }));
    expect(node).toMatchObject({ __typename: 'MentorProfile', id: mentor.profileId, member: { id: mentor.id } });
  });

  it('asks an anonymous reader to sign in, on the field and on node(id), whether or not a profile exists', async () => {
    const mentor = await mentoring.mentor();
    const other = await server.factories.member();
    for (const id of [mentor.id, other.id]) {
      const response = await server.gql(MemberMentorProfileDocument, { id });
      expectError(response, 'UNAUTHENTICATED');
      expect(response.data?.node).toMatchObject({ __typename: 'Member', mentorProfile: null });
    }
    const node = await server.gql(MentorProfileNodeDocument, { id: mentor.profileId });
    expectError(node, 'UNAUTHENTICATED');
    expect(node.data?.node).toBeNull();
  });
});
