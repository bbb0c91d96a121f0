import {
  CheckInNodeDocument,
  CompleteMentorshipDocument,
  LogMentorshipCheckInDocument,
  MemberMentorProfileDocument,
  MemberMentorshipsDocument,
  MentorMatchesDocument,
  PairingNodeDocument,
  RequestMentorshipDocument,
  RespondToMentorshipDocument,
  WithdrawMentorshipRequestDocument,
} from '../generated/graphql';
import { expectData, expectError, startTestServer, type GraphQLResponse, type TestServer, distinctBadInputFields as fieldsOf } from '../support/server';
import type { BuiltMember } from '../support/factories';
import { toGlobalId } from '../../src/shared/ids';
import { MentoringFactories, MentorshipStatus, type BuiltMentor } from './factories';

let server: TestServer;
let mentoring: MentoringFactories;
beforeAll(async () => {
  server = await startTestServer();
  mentoring = new MentoringFactories(server);
});
afterAll(() => server.close());

const MISSING_PAIRING = toGlobalId('MentorshipPairing', '00000000-0000-4000-8000-000000000000');

async function profileOf(mentor: BuiltMember) {
  const { node } = expectData(await server.gql(MemberMentorProfileDocument, { id: mentor.id }, { token: mentor.token }));
  if (node?.__typename !== 'Member' || !node.mentorProfile) throw new Error('no profile');
  return node.mentorProfile;
}

async function pairingStatus(id: string, token: string) {
  const { node } = expectData(await server.gql(PairingNodeDocument, { id }, { token }));
  if (node?.__typename !== 'MentorshipPairing') throw new Error('no pairing');
  return node.status;
}

const request = (mentee: BuiltMember, mentor: BuiltMember, extra: { topics?: string[]; goals?: string; message?: string } = {}) =>
  server.gql(RequestMentorshipDocument, { input: { mentorId: mentor.id, topics: ['testing'], ...extra } }, { token: mentee.token });

const respond = (who: BuiltMember | null, pairingId: string, accept: boolean) =>
  server.gql(RespondToMentorshipDocument, { input: { pairingId, accept } }, { token: who?.token });

async function proposed(mentor: BuiltMentor) {
  const mentee = await server.factories.member();
  const { requestMentorship } = expectData(await request(mentee, mentor));
  return { mentee, id: requestMentorship.id };
}

describe('requestMentorship', () => {
  it('refuses an anonymous viewer as UNAUTHENTICATED', async () => {
    const mentor = await mentoring.mentor();
    expectError(await server.gql(RequestMentorshipDocument, { input: { mentorId: mentor.id, topics: ['x'] } }), 'UNAUTHENTICATED');
  });

  it('refuses bad input, oneself and the wrong kind of ID as BAD_USER_INPUT', async () => {
    const mentee = await server.factories.member();
    const mentor = await mentoring.mentor();
    const self = await mentoring.mentor();
    expect(fieldsOf(await request(mentee, mentor, { topics: [] }))).toEqual(['topics']);
    expect(fieldsOf(await request(mentee, mentor, { goals: 'g'.repeat(2001) }))).toEqual(['goals']);
    expect(fieldsOf(await request(mentee, mentor, { message: 'm'.repeat(2001) }))).toEqual(['message']);
    const wrongType = await server.gql(RequestMentorshipDocument, { input: { mentorId: mentor.profileId, topics: ['x'] } }, { token: mentee.token });
    expect(fieldsOf(wrongType)).toEqual(['mentorId']);
    const own = expectError(await request(self, self), 'BAD_USER_INPUT');
    expect(own.message).toMatch(/own mentor/);
    expect(await server.em().execute('select 1 from mentorship_pairing where mentee_id in (?)', [[mentee.member.id, self.member.id]])).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown member or one without a mentor profile', async () => {
    const mentee = await server.factories.member();
    const unknown = toGlobalId('Member', '00000000-0000-4000-8000-000000000000');
    expectError(await server.gql(RequestMentorshipDocument, { input: { mentorId: unknown, topics: ['x'] } }, { token: mentee.token }), 'NOT_FOUND');
    expectError(await request(mentee, await server.factories.member()), 'NOT_FOUND');
  });

  it('refuses a mentor who is not accepting (FORBIDDEN) or has no free place (CONFLICT)', async () => {
    const mentee = await server.factories.member();
    expectError(await request(mentee, await mentoring.mentor({ acceptingMentees: false })), 'FORBIDDEN');
    const full = await mentoring.mentor({ capacity: 1 });
    await mentoring.pairing(full, await server.factories.member(), MentorshipStatus.ACTIVE);
    expectError(await request(mentee, full), 'CONFLICT');
    expectError(await request(mentee, await mentoring.mentor({ capacity: 0 })), 'CONFLICT');
  });

  it('creates a PROPOSED pairing with normalised topics and trimmed texts', async () => {
    const mentee = await server.factories.member();
    const mentor = await mentoring.mentor();
    const { requestMentorship: pairing } = expectData(
      await request(mentee, mentor, { topics: [' Reading  Promotion', 'reading promotion'], goals: ' Run a book club ', message: ' Hi! ' }),
    );
    expect(pairing).toMatchObject({
      status: 'PROPOSED',
      topics: ['reading promotion'],
      goals: 'Run a book club',
      message: 'Hi!',
      respondedAt: null,
      completedAt: null,
      mentor: { id: mentor.id },
      mentee: { id: mentee.id },
    });
    expect(Date.parse(pairing.createdAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('refuses a second open pairing between the same two, in either direction, until the first is closed', async () => {
    const a = await mentoring.mentor();
    const b = await mentoring.mentor();
    const { requestMentorship: first } = expectData(await request(a, b));
    expectError(await request(a, b), 'CONFLICT');
    expectError(await request(b, a), 'CONFLICT');
    expectData(await respond(b, first.id, false));
    expectData(await request(b, a));
  });

  it('lets exactly one of several simultaneous identical requests through', async () => {
    const mentee = await server.factories.member();
    const mentor = await mentoring.mentor();
    const responses = await Promise.all([1, 2, 3, 4, 5, 6].map(() => request(mentee, mentor)));
    expect(responses.filter((r) => r.data?.requestMentorship).length).toBe(1);
    for (const r of responses.filter((r) => !r.data?.requestMentorship)) expectError(r, 'CONFLICT');
    const [count] = await server.em().execute<{ n: number }[]>('select count(*)::int as n from mentorship_pairing where mentee_id = ?', [mentee.member.id]);
    expect(count!.n).toBe(1);
  });
});

describe('respondToMentorship', () => {
  it('refuses anonymous (UNAUTHENTICATED), the mentee and strangers (FORBIDDEN), bad and unknown IDs', async () => {
    const mentor = await mentoring.mentor();
    const { mentee, id } = await proposed(mentor);
    expectError(await respond(null, id, true), 'UNAUTHENTICATED');
    expectError(await respond(mentee, id, true), 'FORBIDDEN');
    expectError(await respond(await server.factories.member(), id, true), 'FORBIDDEN');
    expectError(await respond(await server.factories.staff(), id, true), 'FORBIDDEN');
    expect(fieldsOf(await respond(mentor, mentor.id, true))).toEqual(['pairingId']);
    expectError(await respond(mentor, MISSING_PAIRING, true), 'NOT_FOUND');
    expect(await pairingStatus(id, mentor.token)).toBe('PROPOSED');
    expect((await profileOf(mentor)).activeMenteeCount).toBe(0);
  });

  it('accepting makes it ACTIVE and takes a place; declining makes it DECLINED and takes none', async () => {
    const mentor = await mentoring.mentor({ capacity: 3 });
    const one = await proposed(mentor);
    const two = await proposed(mentor);
    const accepted = expectData(await respond(mentor, one.id, true)).respondToMentorship;
    expect(accepted).toMatchObject({ status: 'ACTIVE', mentor: { id: mentor.id }, mentee: { id: one.mentee.id } });
    expect(accepted.respondedAt).not.toBeNull();
    const declined = expectData(await respond(mentor, two.id, false)).respondToMentorship;
    expect(declined.status).toBe('DECLINED');
    expect(await profileOf(mentor)).toMatchObject({ activeMenteeCount: 1, freePlaces: 2 });
  });

  it('answers only PROPOSED pairings: anything else is a CONFLICT that changes nothing', async () => {
    const mentor = await mentoring.mentor({ capacity: 5 });
    for (const status of [MentorshipStatus.ACTIVE, MentorshipStatus.DECLINED, MentorshipStatus.COMPLETED]) {
      const { id } = await mentoring.pairing(mentor, await server.factories.member(), status);
      const before = (await profileOf(mentor)).activeMenteeCount;
      for (const accept of [true, false]) expectError(await respond(mentor, id, accept), 'CONFLICT');
      expect(await pairingStatus(id, mentor.token)).toBe(status);
      expect((await profileOf(mentor)).activeMenteeCount).toBe(before);
    }
  });

  it('refuses to accept beyond capacity (CONFLICT) but still lets the mentor decline', async () => {
    const mentor = await mentoring.mentor({ capacity: 2 });
    const one = await proposed(mentor);
    const two = await proposed(mentor);
    await mentoring.pairing(mentor, await server.factories.member(), MentorshipStatus.ACTIVE);
    expectData(await respond(mentor, one.id, true));
    const refused = expectError(await respond(mentor, two.id, true), 'CONFLICT');
    expect(refused.message).toMatch(/no free place \(2 of 2 taken\)/);
    expect(await pairingStatus(two.id, mentor.token)).toBe('PROPOSED');
    expect(expectData(await respond(mentor, two.id, false)).respondToMentorship.status).toBe('DECLINED');
  });

  it.each([
    [1, 2],
    [1, 6],
    [3, 8],
  ])('never exceeds capacity %i when %i proposals are accepted at the same moment', async (capacity, proposals) => {
    const mentor = await mentoring.mentor({ capacity });
    const pending = [];
    for (let i = 0; i < proposals; i++) pending.push(await proposed(mentor));
    const responses = await Promise.all(pending.map(({ id }) => respond(mentor, id, true)));
    const accepted = responses.filter((r) => r.data?.respondToMentorship?.status === 'ACTIVE');
    expect(accepted).toHaveLength(capacity);
    for (const r of responses.filter((r) => !r.data?.respondToMentorship)) expectError(r, 'CONFLICT');
    expect(await profileOf(mentor)).toMatchObject({ activeMenteeCount: capacity, freePlaces: 0 });
    const [active] = await server.em().execute<{ n: number }[]>(
      `select count(*)::int as n from mentorship_pairing where mentor_id = ? and status = 'ACTIVE'`,
      [mentor.member.id],
    );
    expect(active!.n).toBe(capacity);
    expect(server.unexpectedErrors).toEqual([]);
  });
});

describe('withdrawMentorshipRequest', () => {
  const withdraw = (who: BuiltMember | null, pairingId: string) =>
    server.gql(WithdrawMentorshipRequestDocument, { pairingId }, { token: who?.token });

  it('refuses anonymous (UNAUTHENTICATED), the mentor, strangers and staff (FORBIDDEN), bad and unknown IDs', async () => {
    const mentor = await mentoring.mentor();
    const { mentee, id } = await proposed(mentor);
    expectError(await withdraw(null, id), 'UNAUTHENTICATED');
    expect(expectError(await withdraw(mentor, id), 'FORBIDDEN').message).toMatch(/Only the mentee/);
    expectError(await withdraw(await server.factories.member(), id), 'FORBIDDEN');
    expectError(await withdraw(await server.factories.staff(), id), 'FORBIDDEN');
    expect(fieldsOf(await withdraw(mentee, mentor.id))).toEqual(['pairingId']);
    expectError(await withdraw(mentee, MISSING_PAIRING), 'NOT_FOUND');
    expect(await pairingStatus(id, mentee.token)).toBe('PROPOSED');
  });

  it('withdraws a PROPOSED request: the mentor can no longer answer it, and the pair is free again', async () => {
    const mentor = await mentoring.mentor({ topics: ['withdrawals'] });
    const { mentee, id } = await proposed(mentor);
    const matchIds = async () =>
      expectData(await server.gql(MentorMatchesDocument, { input: { topics: ['withdrawals'] } }, { token: mentee.token })).mentorMatches.map(
        (m) => m.mentor.id,
      );
    expect(await matchIds()).toEqual([]); // an open request hides the mentor from the mentee's matches
    expect(expectData(await withdraw(mentee, id)).withdrawMentorshipRequest).toMatchObject({ id, status: 'WITHDRAWN' });
    for (const accept of [true, false]) expectError(await respond(mentor, id, accept), 'CONFLICT');
    expect((await profileOf(mentor)).activeMenteeCount).toBe(0);
    expect(await matchIds()).toEqual([mentor.id]);
    expect(expectData(await request(mentee, mentor)).requestMentorship.status).toBe('PROPOSED');
  });

  it('withdraws only PROPOSED requests: anything else is a CONFLICT that changes nothing', async () => {
    const mentor = await mentoring.mentor({ capacity: 5 });
    for (const status of [MentorshipStatus.ACTIVE, MentorshipStatus.DECLINED, MentorshipStatus.COMPLETED, MentorshipStatus.WITHDRAWN]) {
      const mentee = await server.factories.member();
      const { id } = await mentoring.pairing(mentor, mentee, status);
      expectError(await withdraw(mentee, id), 'CONFLICT');
      expect(await pairingStatus(id, mentee.token)).toBe(status);
    }
  });

  it('settles a withdrawal racing the mentor’s acceptance: exactly one of them wins', async () => {
    for (let round = 0; round < 5; round++) {
      const mentor = await mentoring.mentor({ capacity: 1 });
      const { mentee, id } = await proposed(mentor);
      const [withdrawn, accepted] = await Promise.all([withdraw(mentee, id), respond(mentor, id, true)]);
      const winners = [withdrawn.data?.withdrawMentorshipRequest, accepted.data?.respondToMentorship].filter(Boolean);
      expect(winners).toHaveLength(1);
      const status = await pairingStatus(id, mentee.token);
      expect(status).toBe(winners[0]!.status);
      expect((await profileOf(mentor)).activeMenteeCount).toBe(status === 'ACTIVE' ? 1 : 0);
      const lost: GraphQLResponse<unknown> = withdrawn.errors ? withdrawn : accepted;
      expectError(lost, 'CONFLICT');
    }
  });
});

describe('logMentorshipCheckIn and completeMentorship', () => {
  async function activePairing() {
    const mentor = await mentoring.mentor({ capacity: 2 });
    const mentee = await server.factories.member();
    const { id } = await mentoring.pairing(mentor, mentee, MentorshipStatus.ACTIVE);
    return { mentor, mentee, id };
  }
  const checkIn = (who: BuiltMember | null, pairingId: string, note = 'We met today') =>
    server.gql(LogMentorshipCheckInDocument, { input: { pairingId, note } }, { token: who?.token });
  const complete = (who: BuiltMember | null, pairingId: string) => server.gql(CompleteMentorshipDocument, { pairingId }, { token: who?.token });

  it('lets either participant log check-ins, listed oldest first with paging', async () => {
    const { mentor, mentee, id } = await activePairing();
    const first = expectData(await checkIn(mentee, id, '  First meeting  ')).logMentorshipCheckIn;
    expect(first).toMatchObject({ note: 'First meeting', author: { id: mentee.id }, pairing: { id, status: 'ACTIVE' } });
    expectData(await checkIn(mentor, id, 'Second'));
    expectData(await checkIn(mentee, id, 'Third'));
    const page = expectData(await server.gql(PairingNodeDocument, { id, first: 2 }, { token: mentor.token })).node;
    if (page?.__typename !== 'MentorshipPairing') throw new Error('no pairing');
    expect(page.checkIns.totalCount).toBe(3);
    expect(page.checkIns.edges.map((e) => [e.node.note, e.node.author.id])).toEqual([
      ['First meeting', mentee.id],
      ['Second', mentor.id],
    ]);
    const rest = expectData(await server.gql(PairingNodeDocument, { id, first: 2, after: page.checkIns.pageInfo.endCursor }, { token: mentee.token })).node;
    if (rest?.__typename !== 'MentorshipPairing') throw new Error('no pairing');
    expect(rest.checkIns.edges.map((e) => e.node.note)).toEqual(['Third']);
    expect(rest.checkIns.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses check-ins from anonymous viewers, strangers and staff, blank notes, and on pairings that are not ACTIVE', async () => {
    const { id, mentee: participant } = await activePairing();
    expectError(await checkIn(null, id), 'UNAUTHENTICATED');
    expectError(await checkIn(await server.factories.member(), id), 'FORBIDDEN');
    expectError(await checkIn(await server.factories.staff(), id), 'FORBIDDEN');
    expect(fieldsOf(await checkIn(participant, id, '   '))).toEqual(['note']);
    expect(fieldsOf(await checkIn(participant, id, 'n'.repeat(4001)))).toEqual(['note']);
    expectError(await checkIn(participant, MISSING_PAIRING), 'NOT_FOUND');
    const mentor = await mentoring.mentor();
    const ids = [id];
    for (const status of [MentorshipStatus.PROPOSED, MentorshipStatus.DECLINED, MentorshipStatus.COMPLETED]) {
      const pairing = await mentoring.pairing(mentor, await server.factories.member(), status);
      expectError(await checkIn(mentor, pairing.id), 'CONFLICT');
      ids.push(pairing.id);
    }
    const [count] = await server.em().execute<{ n: number }[]>('select count(*)::int as n from mentorship_check_in where pairing_id in (?)', [
      ids.map((global) => Buffer.from(global, 'base64url').toString('utf8').split(':')[1]),
    ]);
    expect(count!.n).toBe(0);
  });

  it('completes an ACTIVE pairing by either participant, freeing the mentor’s place, once', async () => {
    for (const by of ['mentor', 'mentee'] as const) {
      const pairing = await activePairing();
      expect((await profileOf(pairing.mentor)).activeMenteeCount).toBe(1);
      const completed = expectData(await complete(pairing[by], pairing.id)).completeMentorship;
      expect(completed.status).toBe('COMPLETED');
      expect(completed.completedAt).not.toBeNull();
      expect((await profileOf(pairing.mentor)).activeMenteeCount).toBe(0);
      expectError(await complete(pairing[by], pairing.id), 'CONFLICT');
      expectError(await checkIn(pairing.mentee, pairing.id), 'CONFLICT');
    }
  });

  it('refuses to complete for anonymous viewers and strangers, and pairings that are not ACTIVE', async () => {
    const { id, mentor } = await activePairing();
    expectError(await complete(null, id), 'UNAUTHENTICATED');
    expectError(await complete(await server.factories.member(), id), 'FORBIDDEN');
    expect(fieldsOf(await complete(mentor, 'garbage'))).toEqual(['pairingId']);
    expect(await pairingStatus(id, mentor.token)).toBe('ACTIVE');
    const open = await proposed(mentor);
    expectError(await complete(open.mentee, open.id), 'CONFLICT');
    expect(await pairingStatus(open.id, mentor.token)).toBe('PROPOSED');
  });

  it('offers the mentor again in matches once a place is free', async () => {
    const shared = `cycle ${Date.now()}`;
    const mentor = await mentoring.mentor({ topics: [shared], capacity: 1 });
    const viewer = await server.factories.member();
    const mentee = await server.factories.member();
    const offered = async () =>
      expectData(await server.gql(MentorMatchesDocument, { input: { topics: [shared] } }, { token: viewer.token })).mentorMatches.map((m) => m.mentor.id);
    expect(await offered()).toEqual([mentor.id]);
    const { requestMentorship } = expectData(await request(mentee, mentor, { topics: [shared] }));
    expectData(await respond(mentor, requestMentorship.id, true));
    expect(await offered()).toEqual([]);
    expectData(await complete(mentee, requestMentorship.id));
    expect(await offered()).toEqual([mentor.id]);
  });
});

describe('privacy: Member.mentorships and node(id)', () => {
  it('lists a member’s pairings as mentor and as mentee, newest first, to the member themself, filtered and paged', async () => {
    const me = await mentoring.mentor({ capacity: 5 });
    const others = await Promise.all([1, 2, 3].map(() => mentoring.mentor()));
    const asMentor = await mentoring.pairing(me, others[0]!, MentorshipStatus.ACTIVE);
    const asMentee = await mentoring.pairing(others[1]!, me, MentorshipStatus.PROPOSED);
    const completed = await mentoring.pairing(me, others[2]!, MentorshipStatus.COMPLETED);
    await mentoring.pairing(others[0]!, others[1]!, MentorshipStatus.ACTIVE); // not mine

    const read = async (vars: { first?: number; after?: string | null; status?: 'ACTIVE' | 'PROPOSED' | 'COMPLETED' } = {}) => {
      const { node } = expectData(await server.gql(MemberMentorshipsDocument, { id: me.id, ...vars }, { token: me.token }));
      return node as { mentorships: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { id: string } }[] } };
    };
    const all = (await read()).mentorships;
    expect(all.totalCount).toBe(3);
    expect(all.edges.map((e) => e.node.id)).toEqual([completed.id, asMentee.id, asMentor.id]);
    const active = (await read({ status: 'ACTIVE' })).mentorships;
    expect(active.edges.map((e) => e.node.id)).toEqual([asMentor.id]);
    expect(active.totalCount).toBe(1);
    const page1 = (await read({ first: 2 })).mentorships;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await read({ first: 2, after: page1.pageInfo.endCursor })).mentorships;
    expect(page2.edges.map((e) => e.node.id)).toEqual([asMentor.id]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect(fieldsOf(await server.gql(MemberMentorshipsDocument, { id: me.id, first: 101 }, { token: me.token }))).toEqual(['first']);
    expect(fieldsOf(await server.gql(MemberMentorshipsDocument, { id: me.id, after: 'bogus' }, { token: me.token }))).toEqual(['after']);
  });

  it('is FORBIDDEN to everyone else, staff and the other participant included', async () => {
    const me = await mentoring.mentor();
    const partner = await server.factories.member();
    await mentoring.pairing(me, partner, MentorshipStatus.ACTIVE);
    for (const reader of [partner, await server.factories.member(), await server.factories.staff(), null]) {
      const response = await server.gql(MemberMentorshipsDocument, { id: me.id }, { token: reader?.token });
      expectError(response, 'FORBIDDEN');
      expect((response.data?.node as { mentorships: unknown } | null)?.mentorships ?? null).toBeNull();
    }
  });

  it('shows a pairing and its check-ins by node(id) to the two participants only', async () => {
    const mentor = await mentoring.mentor();
    const mentee = await server.factories.member();
    const { id } = await mentoring.pairing(mentor, mentee, MentorshipStatus.ACTIVE);
    const { logMentorshipCheckIn } = expectData(
      await server.gql(LogMentorshipCheckInDocument, { input: { pairingId: id, note: 'Private notes' } }, { token: mentee.token }),
    );
    for (const participant of [mentor, mentee]) {
      expect(expectData(await server.gql(PairingNodeDocument, { id }, { token: participant.token })).node).toMatchObject({ id, status: 'ACTIVE' });
      expect(expectData(await server.gql(CheckInNodeDocument, { id: logMentorshipCheckIn.id }, { token: participant.token })).node).toMatchObject({
        note: 'Private notes',
        pairing: { id },
      });
    }
    for (const reader of [await server.factories.member(), await server.factories.staff()]) {
      const responses: GraphQLResponse<{ node: unknown }>[] = [
        await server.gql(PairingNodeDocument, { id }, { token: reader.token }),
        await server.gql(CheckInNodeDocument, { id: logMentorshipCheckIn.id }, { token: reader.token }),
      ];
      for (const response of responses) {
        expectError(response, 'FORBIDDEN');
        expect(response.data?.node).toBeNull();
      }
    }
    const anonymous = await server.gql(PairingNodeDocument, { id });
    expectError(anonymous, 'UNAUTHENTICATED');
    expect(anonymous.data?.node).toBeNull();
    expectError(await server.gql(CheckInNodeDocument, { id: logMentorshipCheckIn.id }), 'UNAUTHENTICATED');
    expect(expectData(await server.gql(PairingNodeDocument, { id: MISSING_PAIRING }, { token: mentor.token })).node).toBeNull();
  });
});
