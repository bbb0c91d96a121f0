import { AnswerTimePollDocument, CommunityTimePollsDocument, CreateTimePollDocument, TimePollNodeDocument } from '../generated/graphql';
import { CommunityRole, MembershipStatus, OrgRole } from '../support/factories';
import { badInputFields, countRows, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { answer, createPoll, dbId, eventRows, HOUR, inHours, pollInput, pollRows, pollWorld, voteRows } from './timePollSupport';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ ORG_TIME_ZONE: 'America/Chicago' });
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const world = (visibility: 'OPEN' | 'RESTRICTED' = 'OPEN') => pollWorld(server, visibility);

describe('createTimePoll refusals and bad input', () => {
  it('is refused to anonymous viewers, plain members, monitors and outsiders, with nothing written', async () => {
    const { community, member } = await world();
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    const outsider = await server.factories.member();
    expectError(await server.gql(CreateTimePollDocument, { input: pollInput(community.id) }), 'UNAUTHENTICATED');
    for (const token of [member.token, monitor.token, outsider.token]) {
      expectError(await server.gql(CreateTimePollDocument, { input: pollInput(community.id) }, { token }), 'FORBIDDEN');
    }
    expect(await pollRows(server, community.id)).toBe(0);
  });

  it('is refused in a retired community, even to its coordinator and staff', async () => {
    const { community, coordinator } = await world();
    const staff = await server.factories.staff();
    await server.em().execute("update community set status = 'RETIRED' where id = ?", [dbId(community.id)]);
    for (const token of [coordinator.token, staff.token]) {
      expectError(await server.gql(CreateTimePollDocument, { input: pollInput(community.id) }, { token }), 'FORBIDDEN');
    }
    expect(await pollRows(server, community.id)).toBe(0);
  });

  it('refuses bad options and closing times field by field, with nothing written', async () => {
    const { community, coordinator } = await world();
    const twenty = Array.from({ length: 21 }, (_, i) => 48 + i);
    const cases: [Record<string, unknown>, string[]][] = [
      [pollInput(community.id, [48]), ['options']],
      [pollInput(community.id, twenty), ['options']],
      [pollInput(community.id, [48, 72], { options: [{ startsAt: inHours(-1), durationMinutes: 60 }, { startsAt: inHours(72), durationMinutes: 60 }], closesAt: inHours(-2) }), ['options.0.startsAt', 'closesAt']],
      [{ ...pollInput(community.id), options: [{ startsAt: inHours(48), durationMinutes: 14 }, { startsAt: inHours(72), durationMinutes: 1441 }] }, ['options.0.durationMinutes', 'options.1.durationMinutes']],
      [{ ...pollInput(community.id), options: [{ startsAt: inHours(48), durationMinutes: 60 }, { startsAt: inHours(48), durationMinutes: 60 }] }, ['options.1']],
      [pollInput(community.id, [48, 72], { closesAt: inHours(-0.1) }), ['closesAt']],
      [pollInput(community.id, [48, 72], { closesAt: inHours(49) }), ['closesAt']],
      [pollInput(community.id, [48, 72], { title: '  ' }), ['title']],
      [pollInput(community.id, [48, 72], { title: 'x'.repeat(201) }), ['title']],
      [pollInput(community.id, [48, 72], { timeZone: 'Mars/Olympus' }), ['timeZone']],
      [pollInput('not-an-id'), ['communityId']],
    ];
    for (const [input, fields] of cases) {
      const response = await server.gql(CreateTimePollDocument, { input: input as never }, { token: coordinator.token });
      expect([...new Set(badInputFields(response))]).toEqual(fields);
    }
    expect(await pollRows(server, community.id)).toBe(0);
    expect(await countRows(server, "select count(*) as n from domain_event where type = 'TimePollCreated' and payload->>'communityId' = ?", dbId(community.id))).toBe(0);
  });
});

describe('createTimePoll and reading polls', () => {
  it('lets coordinators, LEADs and staff create polls, in the creator\'s time zone or the organisation\'s', async () => {
    const { community, coordinator } = await world();
    const events = await server.factories.activeMember(community, [CommunityRole.EVENT_COORDINATOR]);
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const staff = await server.factories.staff();
    await server.em().execute("update member set time_zone = 'Europe/Paris' where id = ?", [lead.member.id]);
    for (const who of [coordinator, events, lead, staff]) {
      const poll = await createPoll(server, who.token, community.id, [72, 48]);
      expect(poll).toMatchObject({
        title: 'Spring meetup',
        status: 'OPEN',
        closedAt: null,
        timeZone: who === lead ? 'Europe/Paris' : 'America/Chicago',
        respondentCount: 0,
        chosenOption: null,
        meeting: null,
        community: { id: community.id },
        createdBy: { id: who.id },
      });
      // Earliest first, whatever the order given; counts start at zero.
      expect(poll.options.map((o) => o.startsAt)).toEqual([...poll.options.map((o) => o.startsAt)].sort());
      expect(poll.options[0]).toMatchObject({ durationMinutes: 60, yes: 0, ifNeeded: 0, no: 0, viewerAnswer: null });
      expect(Date.parse(poll.options[0]!.endsAt) - Date.parse(poll.options[0]!.startsAt)).toBe(HOUR);
      expect(await eventRows(server, 'TimePollCreated', poll.id)).toBe(1);
    }
    const explicit = await createPoll(server, coordinator.token, community.id, [48, 72], { timeZone: 'Asia/Tokyo' });
    expect(explicit.timeZone).toBe('Asia/Tokyo');
  });

  it('lists a community\'s polls newest first, in pages, and refuses first over 100', async () => {
    const { community, coordinator } = await world();
    const older = await createPoll(server, coordinator.token, community.id);
    const newer = await createPoll(server, coordinator.token, community.id, [50, 70], { title: 'Book club' });
    const slug = community.community.slug;
    const all = expectData(await server.gql(CommunityTimePollsDocument, { slug })).community!.timePolls;
    expect(all.totalCount).toBe(2);
    expect(all.edges.map((e) => e.node.id)).toEqual([newer.id, older.id]);
    const first = expectData(await server.gql(CommunityTimePollsDocument, { slug, first: 1 })).community!.timePolls;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = expectData(await server.gql(CommunityTimePollsDocument, { slug, first: 1, after: first.pageInfo.endCursor })).community!.timePolls;
    expect(second.edges.map((e) => e.node.id)).toEqual([older.id]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const tooMany = await server.gql(CommunityTimePollsDocument, { slug, first: 101 });
    expect(badInputFields(tooMany)).toEqual(['first']);
    expect(badInputFields(await server.gql(CommunityTimePollsDocument, { slug, after: 'garbage' }))).toEqual(['after']);
  });

  it("keeps a RESTRICTED community's polls from non-members on every path", async () => {
    const { community, coordinator, member } = await world('RESTRICTED');
    const poll = await createPoll(server, coordinator.token, community.id);
    const outsider = await server.factories.member();
    const pending = await server.factories.member();
    await server.factories.membership(pending, community, { status: MembershipStatus.PENDING });
    const staff = await server.factories.member({ orgRole: OrgRole.STAFF });
    const slug = community.community.slug;
    const answers = { pollId: poll.id, answers: [{ optionId: poll.options[0]!.id, answer: 'YES' as const }] };
    for (const token of [undefined, outsider.token, pending.token]) {
      expectError(await server.gql(CommunityTimePollsDocument, { slug }, { token }), 'FORBIDDEN');
      expectError(await server.gql(TimePollNodeDocument, { id: poll.id }, { token }), 'FORBIDDEN');
      expectError(await server.gql(TimePollNodeDocument, { id: poll.options[0]!.id }, { token }), 'FORBIDDEN');
    }
    expectError(await server.gql(AnswerTimePollDocument, { input: answers }), 'UNAUTHENTICATED');
    for (const token of [outsider.token, pending.token]) expectError(await server.gql(AnswerTimePollDocument, { input: answers }, { token }), 'FORBIDDEN');
    expect(await voteRows(server, poll.id)).toBe(0);
    for (const token of [member.token, staff.token]) {
      expect(expectData(await server.gql(TimePollNodeDocument, { id: poll.id }, { token })).node).toMatchObject({ id: poll.id, title: 'Spring meetup' });
      expect(expectData(await server.gql(TimePollNodeDocument, { id: poll.options[1]!.id }, { token })).node).toMatchObject({ id: poll.options[1]!.id, yes: 0 });
      expect(expectData(await server.gql(CommunityTimePollsDocument, { slug }, { token })).community!.timePolls.totalCount).toBe(1);
    }
  });

  it('batches options, counts, viewer answers and respondents: the statements do not grow with polls or options', async () => {
    const { community, coordinator, members } = await world();
    const statementsFor = async () => {
      server.queries.length = 0;
      const page = expectData(await server.gql(CommunityTimePollsDocument, { slug: community.community.slug }, { token: members[0]!.token })).community!.timePolls;
      return { count: server.queries.filter((q) => /time_poll/.test(q)).length, polls: page.edges.length };
    };
    const first = await createPoll(server, coordinator.token, community.id, [48, 72]);
    await answer(server, members[0]!.token, first.id, [[first.options[0]!.id, 'YES']]);
    const one = await statementsFor();
    for (let i = 0; i < 4; i++) {
      const poll = await createPoll(server, coordinator.token, community.id, [48 + i, 60 + i, 72 + i, 84 + i, 96 + i]);
      for (const m of members) await answer(server, m.token, poll.id, poll.options.map((o, k) => [o.id, k % 2 ? 'NO' : 'IF_NEEDED']));
    }
    const five = await statementsFor();
    expect([one.polls, five.polls]).toEqual([1, 5]);
    // The page, totalCount, the options, the answer counts, the viewer's answers, the respondents: six either way.
    expect(five.count).toBe(one.count);
    expect(five.count).toBe(6);
  });
});

describe('answerTimePoll', () => {
  it('is refused to anonymous viewers, outsiders, pending and departed members, and in a retired community', async () => {
    const { community, coordinator } = await world();
    const poll = await createPoll(server, coordinator.token, community.id);
    const outsider = await server.factories.member();
    const pending = await server.factories.member();
    await server.factories.membership(pending, community, { status: MembershipStatus.PENDING });
    const gone = await server.factories.member();
    await server.factories.membership(gone, community, { status: MembershipStatus.LEFT });
    const input = { pollId: poll.id, answers: [{ optionId: poll.options[0]!.id, answer: 'YES' as const }] };
    expectError(await server.gql(AnswerTimePollDocument, { input }), 'UNAUTHENTICATED');
    for (const token of [outsider.token, pending.token, gone.token]) expectError(await server.gql(AnswerTimePollDocument, { input }, { token }), 'FORBIDDEN');
    await server.em().execute("update community set status = 'RETIRED' where id = ?", [dbId(community.id)]);
    expectError(await server.gql(AnswerTimePollDocument, { input }, { token: coordinator.token }), 'FORBIDDEN');
    expect(await voteRows(server, poll.id)).toBe(0);
  });

  it('refuses unknown and repeated options with fieldErrors, writing none of the answers', async () => {
    const { community, coordinator, member } = await world();
    const poll = await createPoll(server, coordinator.token, community.id);
    const other = await createPoll(server, coordinator.token, community.id);
    const [a, b] = poll.options;
    const cases: [{ optionId: string; answer: 'YES' | 'NO' | 'IF_NEEDED' }[], string[]][] = [
      [[{ optionId: a!.id, answer: 'YES' }, { optionId: other.options[0]!.id, answer: 'YES' }], ['answers.1.optionId']],
      [[{ optionId: 'garbage', answer: 'YES' }, { optionId: b!.id, answer: 'NO' }], ['answers.0.optionId']],
      [[{ optionId: poll.id, answer: 'YES' }], ['answers.0.optionId']],
      [[{ optionId: a!.id, answer: 'YES' }, { optionId: b!.id, answer: 'NO' }, { optionId: a!.id, answer: 'NO' }], ['answers.2.optionId']],
      [[], ['answers']],
    ];
    for (const [answers, fields] of cases) {
      const response = await server.gql(AnswerTimePollDocument, { input: { pollId: poll.id, answers } }, { token: member.token });
      expect(badInputFields(response)).toEqual(fields);
    }
    expect(badInputFields(await server.gql(AnswerTimePollDocument, { input: { pollId: 'nope', answers: [{ optionId: a!.id, answer: 'YES' }] } }, { token: member.token }))).toEqual(['pollId']);
    expect(await voteRows(server, poll.id)).toBe(0);
    expect(await eventRows(server, 'TimePollAnswered', poll.id)).toBe(0);
  });

  it('takes answers per option, some options at a time, each replaced by a later answer', async () => {
    const { community, coordinator, members } = await world();
    const poll = await createPoll(server, coordinator.token, community.id);
    const [a, b, c] = poll.options.map((o) => o.id);
    const mine = await answer(server, members[0]!.token, poll.id, [[a!, 'YES'], [b!, 'NO']]);
    expect(mine.options.map((o) => [o.yes, o.ifNeeded, o.no, o.viewerAnswer])).toEqual([[1, 0, 0, 'YES'], [0, 0, 1, 'NO'], [0, 0, 0, null]]);
    await answer(server, members[1]!.token, poll.id, [[a!, 'IF_NEEDED'], [c!, 'YES']]);
    // Answering one option again replaces that answer only; the other stays.
    const again = await answer(server, members[0]!.token, poll.id, [[a!, 'NO']]);
    expect(again.options.map((o) => [o.yes, o.ifNeeded, o.no, o.viewerAnswer])).toEqual([[0, 1, 1, 'NO'], [0, 0, 1, 'NO'], [1, 0, 0, null]]);
    expect(again.respondentCount).toBe(2);
    const theirs = expectData(await server.gql(TimePollNodeDocument, { id: poll.id }, { token: members[1]!.token })).node;
    expect(theirs && 'options' in theirs ? theirs.options.map((o) => o.viewerAnswer) : null).toEqual(['IF_NEEDED', null, 'YES']);
    const anonymous = expectData(await server.gql(TimePollNodeDocument, { id: poll.id })).node;
    expect(anonymous && 'options' in anonymous ? anonymous.options.map((o) => o.viewerAnswer) : null).toEqual([null, null, null]);
    expect(await voteRows(server, poll.id)).toBe(4);
    expect(await eventRows(server, 'TimePollAnswered', poll.id)).toBe(3);
  });

  it('never counts one member twice, however many of their answers race', async () => {
    const { community, coordinator, members } = await world();
    const poll = await createPoll(server, coordinator.token, community.id);
    const ids = poll.options.map((o) => o.id);
    const values = ['YES', 'IF_NEEDED', 'NO'] as const;
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        server.gql(AnswerTimePollDocument, { input: { pollId: poll.id, answers: ids.map((optionId, k) => ({ optionId, answer: values[(i + k) % 3]! })) } }, { token: members[0]!.token }),
      ),
    );
    for (const response of responses) expectData(response);
    // And two other members at the same time, on the same options.
    await Promise.all(members.slice(1).map((m) => answer(server, m.token, poll.id, ids.map((id) => [id, 'YES']))));
    expect(await voteRows(server, poll.id)).toBe(9);
    const read = expectData(await server.gql(TimePollNodeDocument, { id: poll.id }, { token: members[0]!.token })).node;
    const options = read && 'options' in read ? read.options : [];
    for (const option of options) {
      expect(option.yes + option.ifNeeded + option.no).toBe(3);
      expect(option.viewerAnswer).not.toBeNull();
    }
    expect(read && 'respondentCount' in read ? read.respondentCount : null).toBe(3);
  });

  it('refuses answers once closesAt has passed, with no job needing to run, and reads CLOSED', async () => {
    const { community, coordinator, member } = await world();
    const closesAt = new Date(Date.now() + 1500).toISOString();
    const poll = await createPoll(server, coordinator.token, community.id, [48, 72], { closesAt });
    const input = { pollId: poll.id, answers: [{ optionId: poll.options[0]!.id, answer: 'YES' as const }] };
    expect(expectData(await server.gql(AnswerTimePollDocument, { input }, { token: member.token })).answerTimePoll.status).toBe('OPEN');
    await new Promise((resolve) => setTimeout(resolve, Date.parse(closesAt) - Date.now() + 20));
    const late = await server.gql(AnswerTimePollDocument, { input: { ...input, answers: [{ ...input.answers[0]!, answer: 'NO' }] } }, { token: member.token });
    expect(expectError(late, 'CONFLICT').message).toMatch(/closing time/);
    const read = expectData(await server.gql(TimePollNodeDocument, { id: poll.id }, { token: member.token })).node;
    expect(read).toMatchObject({ status: 'CLOSED', closedAt: null, chosenOption: null });
    expect(read && 'options' in read ? read.options[0]!.viewerAnswer : null).toBe('YES');
    expect(await eventRows(server, 'TimePollAnswered', poll.id)).toBe(1);
  });
});
