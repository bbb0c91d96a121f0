import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  MentorMatchesDocument,
  RequestMentorshipDocument,
  RespondToMentorshipDocument,
  UpsertMentorProfileDocument,
  WhyNotMentorDocument,
  type MentorMatchesQuery,
  type MentorMatchInput,
} from '../generated/graphql';
import { expectData, expectError, startTestServer, type TestServer, distinctBadInputFields as fieldsOf } from '../support/server';
import { startPeerServer } from '../support/redis';
import { MembershipStatus, type BuiltMember } from '../support/factories';
import { fromGlobalId, toGlobalId } from '../../src/shared/ids';
import { MATCH_CHANGES_KEPT } from '../../src/modules/mentoring/mentorProfile.entity';
import { MentoringFactories, MentorshipStatus, type BuiltMentor } from './factories';

let server: TestServer;
let mentoring: MentoringFactories;
beforeAll(async () => {
  server = await startTestServer();
  mentoring = new MentoringFactories(server);
});
afterAll(() => server.close());

type Match = MentorMatchesQuery['mentorMatches'][number];

/** A topic no other test uses, so statistics and candidates stay this test's own. */
const topic = (name: string) => `${name} ${randomBytes(3).toString('hex')}`;

async function matches(viewer: BuiltMember, input: MentorMatchInput): Promise<Match[]> {
  return expectData(await server.gql(MentorMatchesDocument, { input }, { token: viewer.token })).mentorMatches;
}

async function whyNot(viewer: BuiltMember, mentor: BuiltMember, topics?: string[]) {
  return expectData(await server.gql(WhyNotMentorDocument, { mentorId: mentor.id, topics }, { token: viewer.token })).whyNotMentor;
}

const dbId = (globalId: string) => fromGlobalId(globalId)!.id;

const contribution = (match: Match, criterion: string) => match.contributions.find((c) => c.criterion === criterion)!;

describe('mentorMatches: refusals', () => {
  it('refuses an anonymous viewer as UNAUTHENTICATED', async () => {
    const response = await server.gql(MentorMatchesDocument, { input: { topics: ['reading'] } });
    expectError(response, 'UNAUTHENTICATED');
    expect(response.data).toBeNull();
  });

  it.each([
    ['first 0', { first: 0 }, 'first'],
    ['first 51', { first: 51 }, 'first'],
    ['no topics', { topics: [] }, 'topics'],
    ['eleven topics', { topics: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'topics'],
    ['a blank topic', { topics: [' '] }, 'topics'],
    ['goals over 1,000 characters', { goals: 'g'.repeat(1001) }, 'goals'],
  ])('refuses %s as BAD_USER_INPUT', async (_name, change, field) => {
    const viewer = await server.factories.member();
    expect(fieldsOf(await server.gql(MentorMatchesDocument, { input: { topics: ['reading'], ...change } }, { token: viewer.token }))).toEqual([field]);
  });
});

describe('mentorMatches: who is a candidate (and whyNotMentor agrees)', () => {
  it('offers accepting mentors with a free place who share a topic, and nobody else, each with the reason why not', async () => {
    const shared = topic('information literacy');
    const viewer = await server.factories.member();
    const offered = await mentoring.mentor({ topics: [shared], capacity: 2 });
    const afterCompleted = await mentoring.mentor({ topics: [shared], capacity: 1 });
    await mentoring.pairing(afterCompleted, viewer, MentorshipStatus.COMPLETED);
    const afterDeclined = await mentoring.mentor({ topics: [shared], capacity: 1 });
    await mentoring.pairing(afterDeclined, viewer, MentorshipStatus.DECLINED);

    const notAccepting = await mentoring.mentor({ topics: [shared], acceptingMentees: false });
    const full = await mentoring.mentor({ topics: [shared], capacity: 1 });
    await mentoring.pairing(full, await server.factories.member(), MentorshipStatus.ACTIVE);
    const zeroCapacity = await mentoring.mentor({ topics: [shared], capacity: 0 });
    const proposed = await mentoring.mentor({ topics: [shared] });
    await mentoring.pairing(proposed, viewer, MentorshipStatus.PROPOSED);
    const active = await mentoring.mentor({ topics: [shared], capacity: 3 });
    await mentoring.pairing(active, viewer, MentorshipStatus.ACTIVE);
    const reversed = await mentoring.mentor({ topics: [shared] });
    await mentoring.pairing(viewer, reversed, MentorshipStatus.PROPOSED); // the viewer mentors them
    const otherTopic = await mentoring.mentor({ topics: [topic('poetry')] });
    const noProfile = await server.factories.member();
    const self = await mentoring.mentor({ member: viewer, topics: [shared] });

    const found = await matches(viewer, { topics: [shared], first: 50 });
    expect(found.map((m) => m.mentor.id).sort()).toEqual([offered.id, afterCompleted.id, afterDeclined.id].sort());

    for (const mentor of [offered, afterCompleted, afterDeclined]) expect(await whyNot(viewer, mentor, [shared])).toEqual([]);
    const expectations: [BuiltMember, RegExp][] = [
      [notAccepting, /not accepting mentees/],
      [full, /no free place \(1 of 1 taken\)/],
      [zeroCapacity, /take no mentees at the moment \(capacity 0\)/],
      [proposed, /already have a PROPOSED mentorship with them/],
      [active, /already have a ACTIVE mentorship with them/],
      [reversed, /already have a PROPOSED mentorship with them/],
      [otherTopic, /share none of your topics \(they mentor in: poetry /],
      [noProfile, /have no mentor profile/],
      [self, /That is you/],
    ];
    for (const [mentor, reason] of expectations) {
      const reasons = await whyNot(viewer, mentor, [shared]);
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatch(reason);
    }
    expect(self.profile.topics).toEqual([shared]);
  });

  it('lists every rule a mentor fails, and checks topics only when they are given', async () => {
    const viewer = await server.factories.member();
    const mentor = await mentoring.mentor({ topics: [topic('drama')], capacity: 0, acceptingMentees: false });
    const withTopics = await whyNot(viewer, mentor, [topic('chess')]);
    expect(withTopics).toHaveLength(3);
    expect(withTopics.join(' | ')).toMatch(/not accepting.*capacity 0.*share none/);
    expect(await whyNot(viewer, mentor)).toHaveLength(2);
    const fine = await mentoring.mentor({ topics: ['anything'] });
    expect(await whyNot(viewer, fine)).toEqual([]);
    expect(await whyNot(viewer, fine, ['Anything '])).toEqual([]);
  });

  it('refuses whyNotMentor to anonymous viewers, malformed IDs and unknown members', async () => {
    const viewer = await server.factories.member();
    const mentor = await mentoring.mentor();
    expectError(await server.gql(WhyNotMentorDocument, { mentorId: mentor.id }), 'UNAUTHENTICATED');
    expect(fieldsOf(await server.gql(WhyNotMentorDocument, { mentorId: 'nope' }, { token: viewer.token }))).toEqual(['mentorId']);
    expect(fieldsOf(await server.gql(WhyNotMentorDocument, { mentorId: mentor.profileId }, { token: viewer.token }))).toEqual(['mentorId']);
    const unknown = toGlobalId('Member', '00000000-0000-4000-8000-000000000000');
    expectError(await server.gql(WhyNotMentorDocument, { mentorId: unknown }, { token: viewer.token }), 'NOT_FOUND');
    expect(fieldsOf(await server.gql(WhyNotMentorDocument, { mentorId: mentor.id, topics: [''] }, { token: viewer.token }))).toEqual(['topics']);
  });

  it('matches topics after normalising them, and finds nothing for a topic no mentor holds', async () => {
    const shared = topic('graphic novels');
    const viewer = await server.factories.member();
    const mentor = await mentoring.mentor({ topics: [shared] });
    expect((await matches(viewer, { topics: [`  ${shared.toUpperCase().replace(' ', '   ')} `] })).map((m) => m.mentor.id)).toEqual([mentor.id]);
    expect(await matches(viewer, { topics: [topic('nobody has this')] })).toEqual([]);
  });

  it('returns 10 matches by default and up to `first`', async () => {
    const shared = topic('crowded');
    const viewer = await server.factories.member();
    for (let i = 0; i < 12; i++) await mentoring.mentor({ topics: [shared] });
    expect(await matches(viewer, { topics: [shared] })).toHaveLength(10);
    expect(await matches(viewer, { topics: [shared], first: 3 })).toHaveLength(3);
    expect(await matches(viewer, { topics: [shared], first: 50 })).toHaveLength(12);
  });

  it('stops offering a mentor once the viewer has asked them, and offers them again after a decline', async () => {
    const shared = topic('budgeting');
    const viewer = await server.factories.member();
    const mentor = await mentoring.mentor({ topics: [shared] });
    expect(await matches(viewer, { topics: [shared] })).toHaveLength(1);
    const { requestMentorship } = expectData(
      await server.gql(RequestMentorshipDocument, { input: { mentorId: mentor.id, topics: [shared] } }, { token: viewer.token }),
    );
    expect(await matches(viewer, { topics: [shared] })).toEqual([]);
    await server.em().execute(`update mentorship_pairing set status = 'DECLINED' where id = ?`, [dbId(requestMentorship.id)]);
    expect(await matches(viewer, { topics: [shared] })).toHaveLength(1);
  });
});

describe('mentorMatches: scores that explain themselves', () => {
  it('gives every match four contributions whose weight × value add up to the score, values and score in 0..1, best first', async () => {
    const shared = topic('reading promotion');
    const other = topic('book clubs');
    const viewer = await server.factories.member();
    const community = await server.factories.community();
    await server.factories.membership(viewer, community);
    const mentors: BuiltMentor[] = [];
    for (let i = 0; i < 6; i++) {
      const mentor = await mentoring.mentor({
        topics: i % 2 ? [shared, other] : [shared],
        capacity: 1 + i,
        bio: i % 3 ? 'Book clubs for reluctant readers and reading challenges' : null,
      });
      if (i % 2) await server.factories.membership(mentor, community);
      if (i > 2) await mentoring.pairing(mentor, await server.factories.member(), MentorshipStatus.ACTIVE);
      mentors.push(mentor);
    }
    const found = await matches(viewer, { topics: [shared, other], goals: 'Start book clubs for reluctant teen readers' });
    expect(found).toHaveLength(6);
    for (const match of found) {
      expect(match.contributions.map((c) => c.criterion)).toEqual(['TOPICS', 'GOALS', 'COMMUNITIES', 'CAPACITY']);
      const sum = match.contributions.reduce((total, c) => total + c.weight * c.value, 0);
      expect(match.score).toBeCloseTo(sum, 12);
      expect(match.contributions.reduce((total, c) => total + c.weight, 0)).toBeCloseTo(1, 12);
      for (const c of match.contributions) {
        expect(c.value).toBeGreaterThanOrEqual(0);
        expect(c.value).toBeLessThanOrEqual(1);
      }
      expect(match.score).toBeGreaterThan(0);
      expect(match.score).toBeLessThanOrEqual(1);
      expect(match.reasons.length).toBeGreaterThan(0);
      expect(match.reasons.at(-1)).toBe(
        `Has ${match.mentorProfile.freePlaces} of ${match.mentorProfile.capacity} ${match.mentorProfile.capacity === 1 ? 'place' : 'places'} free`,
      );
      expect(contribution(match, 'CAPACITY').value).toBeCloseTo(match.mentorProfile.freePlaces / match.mentorProfile.capacity, 12);
    }
    const scores = found.map((m) => m.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('counts a shared rare topic for more than a shared common one (inverse document frequency)', async () => {
    const rare = topic('information literacy');
    const common = topic('digital tools');
    const viewer = await server.factories.member();
    const commonMentors = [];
    for (let i = 0; i < 12; i++) commonMentors.push(await mentoring.mentor({ topics: [common] }));
    const rareMentor = await mentoring.mentor({ topics: [rare] });
    const both = await mentoring.mentor({ topics: [rare, common] });

    const found = await matches(viewer, { topics: [common, rare], first: 50 });
    expect(found.map((m) => m.mentor.id).slice(0, 2)).toEqual([both.id, rareMentor.id]);
    const rareMatch = found[1]!;
    const commonMatch = found[2]!;
    expect(commonMentors.map((m) => m.id)).toContain(commonMatch.mentor.id);
    expect(contribution(found[0]!, 'TOPICS').value).toBeCloseTo(1, 12);
    expect(contribution(rareMatch, 'TOPICS').value).toBeGreaterThan(contribution(commonMatch, 'TOPICS').value);
    expect(contribution(rareMatch, 'TOPICS').value + contribution(commonMatch, 'TOPICS').value).toBeCloseTo(1, 12);
    expect(found[0]!.sharedTopics).toEqual([rare, common]); // rarest first
    expect(rareMatch.sharedTopics).toEqual([rare]);
    expect(commonMatch.sharedTopics).toEqual([common]);
  });

  it('scores goals by the share of their key words found in bio and topics, and names those words', async () => {
    const shared = topic('assessment');
    const viewer = await server.factories.member();
    const plain = await mentoring.mentor({ topics: [shared], capacity: 2 });
    const fitting = await mentoring.mentor({ topics: [shared, 'dyslexia support'], capacity: 2, bio: 'I design rubrics and run workshops.' });
    const found = await matches(viewer, { topics: [shared], goals: 'Assessment rubrics for students with dyslexia' });
    expect(found.map((m) => m.mentor.id)).toEqual([fitting.id, plain.id]);
    // Key words: assessment, rubrics, students, dyslexia ("for" and "with" are stop words). The fitting mentor's
    // bio and topics hold "rubrics", "dyslexia" and (through the topic) "assessment".
    const goals = contribution(found[0]!, 'GOALS');
    expect(goals.value).toBeCloseTo(3 / 4, 12);
    expect(found[0]!.reasons).toContain("Their bio and topics mention 'assessment', 'rubrics' and 'dyslexia' from your goals (3 of 4 key words)");
    expect(contribution(found[1]!, 'GOALS').value).toBeCloseTo(1 / 4, 12); // "assessment" is in its topic
  });

  it('without goals (or with stop words only) gives the goals weight to the other criteria', async () => {
    const shared = topic('storytime');
    const viewer = await server.factories.member();
    await mentoring.mentor({ topics: [shared] });
    const configured = server.config.mentorMatchWeights;
    for (const goals of [undefined, null, '', 'and the of it']) {
      const [match] = await matches(viewer, { topics: [shared], goals });
      expect(contribution(match!, 'GOALS')).toEqual({ criterion: 'GOALS', weight: 0, value: 0 });
      expect(contribution(match!, 'TOPICS').weight).toBeCloseTo(configured.topics / (1 - configured.goals), 12);
      expect(match!.contributions.reduce((total, c) => total + c.weight, 0)).toBeCloseTo(1, 12);
      // Topics and capacity fully met, no community in common.
      expect(match!.score).toBeCloseTo(1 - contribution(match!, 'COMMUNITIES').weight, 12);
    }
  });

  it('counts ACTIVE communities both are ACTIVE members of, up to three', async () => {
    const shared = topic('makerspaces');
    const viewer = await server.factories.member();
    const mentor = await mentoring.mentor({ topics: [shared] });
    const communities = await Promise.all([1, 2, 3, 4, 5].map(() => server.factories.community()));
    for (const community of communities) await server.factories.membership(viewer, community);
    const pendingCommunity = await server.factories.community();
    await server.factories.membership(viewer, pendingCommunity);
    await server.factories.membership(mentor, pendingCommunity, { status: MembershipStatus.PENDING });
    const retired = await server.factories.community();
    await server.factories.membership(viewer, retired);
    await server.factories.membership(mentor, retired);
    await server.em().execute(`update community set status = 'RETIRED' where id = ?`, [retired.community.id]);

    const valueWith = async () => {
      const [match] = await matches(viewer, { topics: [shared] });
      return { value: contribution(match!, 'COMMUNITIES').value, reasons: match!.reasons };
    };
    expect(await valueWith()).toMatchObject({ value: 0 });
    await server.factories.membership(mentor, communities[0]!);
    expect(await valueWith()).toEqual({ value: 1 / 3, reasons: expect.arrayContaining(['1 community in common']) });
    await server.factories.membership(mentor, communities[1]!);
    expect(await valueWith()).toEqual({ value: 2 / 3, reasons: expect.arrayContaining(['2 communities in common']) });
    for (const community of communities.slice(2)) await server.factories.membership(mentor, community);
    expect(await valueWith()).toEqual({ value: 1, reasons: expect.arrayContaining(['5 communities in common']) });
  });

  it('breaks ties by a stable order and answers the same twice', async () => {
    const shared = topic('weeding');
    const viewer = await server.factories.member();
    for (let i = 0; i < 8; i++) await mentoring.mentor({ topics: [shared], capacity: 2 });
    const first = await matches(viewer, { topics: [shared] });
    const second = await matches(viewer, { topics: [shared] });
    expect(new Set(first.map((m) => m.score)).size).toBe(1);
    expect(second.map((m) => m.mentorProfile.id)).toEqual(first.map((m) => m.mentorProfile.id));
    const dbIds = first.map((m) => dbId(m.mentorProfile.id));
    expect(dbIds).toEqual([...dbIds].sort());
    // With fewer places than tied mentors, the smallest profile ids win the last places.
    const three = await matches(viewer, { topics: [shared], first: 3 });
    expect(three.map((m) => dbId(m.mentorProfile.id))).toEqual(dbIds.slice(0, 3));
  });

  it('gives the same best mentors, in the same order, whatever the number asked for', async () => {
    const shared = topic('metadata');
    const viewer = await server.factories.member();
    const words = ['linked data', 'cataloguing rules', 'authority files', 'digitisation', 'crosswalks', 'archives', 'schemas', 'vocabularies'];
    for (let i = 0; i < 90; i++) {
      await mentoring.mentor({
        topics: [shared],
        capacity: 1 + (i % 5),
        bio: words.filter((_, w) => (i * 7 + w * 3) % 5 < 2).join(', '),
      });
    }
    const goals = 'Linked data, authority files and crosswalks for our digitisation schemas';
    const all = await matches(viewer, { topics: [shared], goals, first: 50 }); // every candidate (there are 90)
    for (const first of [1, 3, 5]) {
      const few = await matches(viewer, { topics: [shared], goals, first });
      expect(few.map((m) => [m.mentorProfile.id, m.score])).toEqual(all.slice(0, first).map((m) => [m.mentorProfile.id, m.score]));
    }
  });

  it('treats quotes, operators and question marks in topics and goals as text', async () => {
    const shared = topic("o'reilly; drop table member; -- ? & | ! :*");
    const viewer = await server.factories.member();
    const mentor = await mentoring.mentor({ topics: [shared], bio: "What's new? Everything & more | (really) !" });
    const found = await matches(viewer, { topics: [shared], goals: "what's new?'); drop table member; -- & | ! :* \\ $1 ?" });
    expect(found.map((m) => m.mentor.id)).toEqual([mentor.id]);
    expect(found[0]!.sharedTopics).toEqual([shared]);
    expect(server.unexpectedErrors).toEqual([]);
  });
});

describe('mentorMatches: each instance\'s matching index follows PostgreSQL', () => {
  const names = (found: Match[]) => found.map((m) => m.mentor.displayName).sort();

  it('offers on one instance what changed through another: new, withdrawn, full and edited mentors', async () => {
    const peer = await startPeerServer(server);
    try {
      const shared = topic('two instances');
      const viewer = await server.factories.member();
      const quits = await mentoring.mentor({ topics: [shared], capacity: 2, displayName: 'quits' });
      const fills = await mentoring.mentor({ topics: [shared], capacity: 1, displayName: 'fills' });
      const edits = await mentoring.mentor({ topics: [shared], capacity: 2, bio: 'Mostly storytime.', displayName: 'edits' });
      const onPeer = async (input: MentorMatchInput) =>
        expectData(await peer.gql(MentorMatchesDocument, { input }, { token: viewer.token })).mentorMatches;
      // Both instances have loaded their index before anything changes.
      expect(names(await matches(viewer, { topics: [shared] }))).toEqual(['edits', 'fills', 'quits']);
      expect(names(await onPeer({ topics: [shared] }))).toEqual(['edits', 'fills', 'quits']);

      const joins = await server.factories.member({ displayName: 'joins' });
      const upsert = (who: BuiltMember, input: { topics: string[]; capacity: number; bio?: string; acceptingMentees?: boolean }) =>
        server.gql(UpsertMentorProfileDocument, { input }, { token: who.token }).then(expectData);
      await upsert(joins, { topics: [shared], capacity: 1 });
      await upsert(quits, { topics: [shared], capacity: 2, acceptingMentees: false });
      await upsert(edits, { topics: [shared], capacity: 2, bio: 'Coding clubs and robotics.' });
      const mentee = await server.factories.member();
      const { requestMentorship } = expectData(
        await server.gql(RequestMentorshipDocument, { input: { mentorId: fills.id, topics: [shared] } }, { token: mentee.token }),
      );
      expectData(await server.gql(RespondToMentorshipDocument, { input: { pairingId: requestMentorship.id, accept: true } }, { token: fills.token }));

      const found = await onPeer({ topics: [shared], goals: 'robotics' });
      expect(names(found)).toEqual(['edits', 'joins']);
      expect(found[0]!.mentor.displayName).toBe('edits');
      expect(contribution(found[0]!, 'GOALS').value).toBe(1);
      expect(peer.unexpectedErrors).toEqual([]);
    } finally {
      await peer.close();
    }
  });

  it('reloads everything when the change log cannot say what changed (a bulk load bumps the counter only)', async () => {
    const shared = topic('bulk');
    const viewer = await server.factories.member();
    const before = await mentoring.mentor({ topics: [shared], displayName: 'before' });
    const bulk = await server.factories.member({ displayName: 'bulk' });
    expect(names(await matches(viewer, { topics: [shared] }))).toEqual(['before']);
    await mentoring.mentor({ topics: [shared], displayName: 'early' }); // a logged change before the bulk load

    // As bench/support/matchData.ts does: write with the change trigger off, then bump the counter with no row.
    const em = server.em();
    await em.transactional(async (tx) => {
      await tx.execute('alter table mentor_profile disable trigger mentor_profile_match_changes');
      await tx.execute('insert into mentor_profile (id, member_id, topics, capacity) values (gen_random_uuid(), ?, array[?], 2)', [bulk.member.id, shared]);
      await tx.execute('alter table mentor_profile enable trigger mentor_profile_match_changes');
    });
    // With neither a change row nor a newer position, the index cannot know of the bulk-loaded mentor.
    expect(names(await matches(viewer, { topics: [shared] }))).toEqual(['before', 'early']);
    await mentoring.mentor({ topics: [shared], displayName: 'early too' });
    await em.execute('insert into mentor_match_counter as c (id, position) values (1, 1) on conflict (id) do update set position = c.position + 1');
    // Logged changes on both sides of the bump must not hide it: the hole in the positions says a reload is due.
    await mentoring.mentor({ topics: [shared], displayName: 'after' });
    expect(names(await matches(viewer, { topics: [shared] }))).toEqual(['after', 'before', 'bulk', 'early', 'early too']);
    expect(before.id).not.toBe(bulk.id);
  });

  it('never offers a mentor the database no longer has available, even before the index hears of it', async () => {
    const shared = topic('safety net');
    const viewer = await server.factories.member();
    const stays = await mentoring.mentor({ topics: [shared], displayName: 'stays' });
    const goes = await mentoring.mentor({ topics: [shared], displayName: 'goes', bio: 'Weeding and inventory' });
    const best = async () => (await matches(viewer, { topics: [shared], goals: 'weeding', first: 1 })).map((m) => m.mentor.id);
    expect(await best()).toEqual([goes.id]);
    const em = server.em();
    await em.transactional(async (tx) => {
      await tx.execute('alter table mentor_profile disable trigger mentor_profile_match_changes');
      await tx.execute('update mentor_profile set accepting_mentees = false where member_id = ?', [goes.member.id]);
      await tx.execute('alter table mentor_profile enable trigger mentor_profile_match_changes');
    });
    // The profiles of the best are read from PostgreSQL, which has the last word on who is available; finding the
    // index wrong, the request reloads it and ranks again, so the one place still goes to an available mentor.
    expect(await best()).toEqual([stays.id]);
    expect(names(await matches(viewer, { topics: [shared] }))).toEqual(['stays']);
  });

  it('ranks again when mentors change between ranking and reading the best (positions moved)', async () => {
    const shared = topic('moving');
    const viewer = await server.factories.member();
    const leader = await mentoring.mentor({ topics: [shared], displayName: 'leader', bio: 'Puppetry' });
    const riser = await mentoring.mentor({ topics: [shared], displayName: 'riser', bio: 'Knitting' });
    const best = async () => (await matches(viewer, { topics: [shared], goals: 'puppetry', first: 1 })).map((m) => m.mentor.id);
    expect(await best()).toEqual([leader.id]);
    // Right after the request's first statement (the index then catches up to the position it read), another
    // session gives the goal word to riser and takes it from leader, through the trigger: the position moves.
    server.afterStatement = (statement) => {
      if (!statement.includes('ts_debug(')) return;
      server.afterStatement = null;
      execFileSync('psql', [server.config.databaseUrl!, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', `riser=${riser.member.id}`, '-v', `leader=${leader.member.id}`], {
        input: `update mentor_profile set bio = 'Puppetry and knitting' where member_id = :'riser';\nupdate mentor_profile set bio = 'Knitting' where member_id = :'leader';\n`,
        stdio: ['pipe', 'ignore', 'inherit'],
      });
    };
    try {
      const statements = server.queries.length;
      expect(await best()).toEqual([riser.id]);
      // The best were read twice: once for the stale ranking, once after catching up.
      expect(server.queries.slice(statements).filter((q) => q.includes('left join (mentor_profile p join member mb')).length).toBe(2);
    } finally {
      server.afterStatement = null;
    }
  });

  it('reloads when the counter goes backwards (a database restored or replaced under a running instance)', async () => {
    const shared = topic('restored');
    const viewer = await server.factories.member();
    await mentoring.mentor({ topics: [shared], displayName: 'old' });
    expect(names(await matches(viewer, { topics: [shared] }))).toEqual(['old']);
    const newcomer = await server.factories.member({ displayName: 'newcomer' });
    const em = server.em();
    await em.transactional(async (tx) => {
      // The "restored" database: its log and counter start again from 1, with a profile the instance never saw.
      await tx.execute('delete from mentor_match_change');
      await tx.execute('delete from mentor_match_counter');
      await tx.execute('insert into mentor_profile (id, member_id, topics, capacity) values (gen_random_uuid(), ?, array[?], 2)', [newcomer.member.id, shared]);
    });
    const [{ position }] = await em.execute<{ position: string }[]>('select position from mentor_match_counter');
    expect(Number(position)).toBe(1);
    expect(names(await matches(viewer, { topics: [shared] }))).toEqual(['newcomer', 'old']);
  });

  it('keeps only the newest changes in the log, and an index further behind reloads', async () => {
    const em = server.em();
    const shared = topic('churn');
    const viewer = await server.factories.member();
    const profile = await mentoring.mentor({ topics: [shared], capacity: 1, displayName: 'churns' });
    expect(names(await matches(viewer, { topics: [shared] }))).toEqual(['churns']);
    await mentoring.mentor({ topics: [shared], displayName: 'late' }); // its change row is about to be pruned
    await em.execute(
      `do $$ begin for i in 1..${MATCH_CHANGES_KEPT + 5} loop
         update mentor_profile set capacity = 1 + i % 2 where id = '${profile.profile.id}'; end loop; end $$`,
    );
    const [after] = await em.execute<{ kept: string; newest: string; oldest: string }[]>(
      'select count(*) as kept, max(position) as newest, min(position) as oldest from mentor_match_change',
    );
    const [{ position }] = await em.execute<{ position: string }[]>('select position from mentor_match_counter');
    // The newest MATCH_CHANGES_KEPT changes, at consecutive positions up to the counter: none skipped, older ones gone.
    expect(Number(after!.kept)).toBe(MATCH_CHANGES_KEPT);
    expect(Number(after!.newest)).toBe(Number(position));
    expect(Number(after!.newest) - Number(after!.oldest) + 1).toBe(MATCH_CHANGES_KEPT);
    // The index is further behind than the log reaches: it reloads, and so knows of the mentor whose row is gone.
    expect(names(await matches(viewer, { topics: [shared] }))).toEqual(['churns', 'late']);
  });
});
