import { AnswerTimePollDocument, CloseTimePollDocument, CommunityMeetingsDocument, TimePollNodeDocument } from '../generated/graphql';
import { CommunityRole } from '../support/factories';
import { badInputFields, countRows, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { answer, createPoll, dbId, eventRows, HOUR, pollWorld } from './timePollSupport';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ ORG_TIME_ZONE: 'America/Chicago' });
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const world = (visibility: 'OPEN' | 'RESTRICTED' = 'OPEN') => pollWorld(server, visibility);
const close = (token: string | undefined, input: { pollId: string } & Record<string, unknown>) => server.gql(CloseTimePollDocument, { input }, { token });
const closedAt = async (pollId: string) => (await server.em().execute<{ closed_at: Date | null }[]>('select closed_at from time_poll where id = ?', [dbId(pollId)]))[0]!.closed_at;
const meetingsOf = (communityId: string) => countRows(server, 'select count(*) as n from meeting where community_id = ?', dbId(communityId));

describe('closeTimePoll refusals and bad input', () => {
  it('is refused to anonymous viewers, plain members, outsiders and non-members of a RESTRICTED community', async () => {
    const open = await world();
    const restricted = await world('RESTRICTED');
    const outsider = await server.factories.member();
    for (const { community, coordinator, member } of [open, restricted]) {
      const poll = await createPoll(server, coordinator.token, community.id);
      expectError(await close(undefined, { pollId: poll.id }), 'UNAUTHENTICATED');
      for (const token of [member.token, outsider.token]) expectError(await close(token, { pollId: poll.id }), 'FORBIDDEN');
      expect(await closedAt(poll.id)).toBeNull();
      expect(await eventRows(server, 'TimePollClosed', poll.id)).toBe(0);
    }
  });

  it('refuses options of other polls, meeting details without schedule and a time already begun, writing nothing', async () => {
    const { community, coordinator } = await world();
    const poll = await createPoll(server, coordinator.token, community.id);
    const other = await createPoll(server, coordinator.token, community.id);
    expect(badInputFields(await close(coordinator.token, { pollId: poll.id, optionId: other.options[0]!.id }))).toEqual(['optionId']);
    expect(badInputFields(await close(coordinator.token, { pollId: poll.id, optionId: poll.id }))).toEqual(['optionId']);
    expect(badInputFields(await close(coordinator.token, { pollId: poll.id, url: 'https://meet.example.org/x', venue: 'Hall' }))).toEqual(['url', 'venue']);
    expect(badInputFields(await close(coordinator.token, { pollId: poll.id, schedule: true, url: 'ftp://nope' }))).toEqual(['url']);
    await server.em().execute("update time_poll_option set starts_at = now() - interval '1 minute' where id = ?", [dbId(poll.options[0]!.id)]);
    expect(badInputFields(await close(coordinator.token, { pollId: poll.id, optionId: poll.options[0]!.id, schedule: true }))).toEqual(['optionId']);
    expect(await closedAt(poll.id)).toBeNull();
    expect(await meetingsOf(community.id)).toBe(0);
    expect(await eventRows(server, 'TimePollClosed', poll.id)).toBe(0);
  });

  it('is refused in a retired community', async () => {
    const { community, coordinator } = await world();
    const poll = await createPoll(server, coordinator.token, community.id);
    await server.em().execute("update community set status = 'RETIRED' where id = ?", [dbId(community.id)]);
    expectError(await close(coordinator.token, { pollId: poll.id }), 'FORBIDDEN');
    expect(await closedAt(poll.id)).toBeNull();
  });
});

describe('closing a time poll', () => {
  it('records the given option, closes for good (again: CONFLICT) and refuses later answers with CONFLICT', async () => {
    const { community, coordinator, member } = await world();
    const poll = await createPoll(server, coordinator.token, community.id);
    await answer(server, member.token, poll.id, [[poll.options[0]!.id, 'YES']]);
    const closed = expectData(await close(coordinator.token, { pollId: poll.id, optionId: poll.options[2]!.id })).closeTimePoll;
    expect(closed).toMatchObject({ status: 'CLOSED', chosenOption: { id: poll.options[2]!.id }, meeting: null });
    expect(closed.closedAt).not.toBeNull();
    expectError(await close(coordinator.token, { pollId: poll.id }), 'CONFLICT');
    const late = await server.gql(AnswerTimePollDocument, { input: { pollId: poll.id, answers: [{ optionId: poll.options[1]!.id, answer: 'YES' }] } }, { token: member.token });
    expect(expectError(late, 'CONFLICT').message).toMatch(/closed/);
    expect(await countRows(server, 'select count(*) as n from time_poll_vote where poll_id = ?', dbId(poll.id))).toBe(1);
    const events = await server.em().execute<{ payload: Record<string, unknown> }[]>("select payload from domain_event where type = 'TimePollClosed' and payload->>'pollId' = ?", [dbId(poll.id)]);
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ optionId: dbId(poll.options[2]!.id), chosenBy: 'GIVEN', meetingId: null })]);
  });

  it('chooses the best option: most YES + IF_NEEDED, then most YES, then the earliest (ties through the API)', async () => {
    const { community, coordinator, members } = await world();
    const [m1, m2, m3] = members.map((m) => m.token) as [string, string, string];
    // Listed latest first, so the earliest is not simply the first given.
    const hours = [96, 72, 48];
    const cases: { votes: (p: string[]) => [string, [string, 'YES' | 'IF_NEEDED' | 'NO'][]][]; expected: number }[] = [
      // Most YES + IF_NEEDED wins over more YES elsewhere: 48h: 2 YES; 72h: 1 YES + 2 IF_NEEDED.
      { votes: ([late, mid, early]) => [[m1, [[early!, 'YES'], [mid!, 'YES']]], [m2, [[early!, 'YES'], [mid!, 'IF_NEEDED']]], [m3, [[mid!, 'IF_NEEDED'], [late!, 'NO']]]], expected: 72 },
      // Tie on YES + IF_NEEDED (2 each): the one with more YES, though later.
      { votes: ([late, mid, early]) => [[m1, [[early!, 'YES'], [late!, 'YES']]], [m2, [[early!, 'IF_NEEDED'], [late!, 'YES']]], [m3, [[mid!, 'YES']]]], expected: 96 },
      // Full tie (1 YES + 1 IF_NEEDED each): the earliest.
      { votes: ([late, mid, early]) => [[m1, [[late!, 'YES'], [early!, 'IF_NEEDED'], [mid!, 'NO']]], [m2, [[late!, 'IF_NEEDED'], [early!, 'YES'], [mid!, 'NO']]]], expected: 48 },
      // Nobody answered: a tie at zero, the earliest.
      { votes: () => [], expected: 48 },
    ];
    for (const { votes, expected } of cases) {
      const poll = await createPoll(server, coordinator.token, community.id, hours);
      // Options come back earliest first; map them back to the order given (latest first).
      const byHour = new Map(poll.options.map((o) => [Math.round((Date.parse(o.startsAt) - Date.now()) / HOUR), o.id]));
      const given = hours.map((h) => byHour.get(h)!);
      for (const [token, list] of votes(given)) await answer(server, token, poll.id, list);
      const closed = expectData(await close(coordinator.token, { pollId: poll.id })).closeTimePoll;
      expect(closed.chosenOption?.id).toBe(byHour.get(expected));
      expect((await server.em().execute<{ payload: { chosenBy: string } }[]>("select payload from domain_event where type = 'TimePollClosed' and payload->>'pollId' = ?", [dbId(poll.id)]))[0]!.payload.chosenBy).toBe('BEST');
    }
  });

  it('lets the creator close their own poll after stepping down, but not schedule; another organiser can', async () => {
    const { community, coordinator } = await world();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const first = await createPoll(server, coordinator.token, community.id);
    const second = await createPoll(server, coordinator.token, community.id);
    await server.em().execute("update membership set roles = '{}' where id = ?", [dbId(coordinator.membershipId)]);
    // Scheduling needs the role: refused, and the poll stays open (the close and the meeting are one transaction).
    expectError(await close(coordinator.token, { pollId: first.id, schedule: true }), 'FORBIDDEN');
    expect(await closedAt(first.id)).toBeNull();
    expect(await meetingsOf(community.id)).toBe(0);
    expect(await eventRows(server, 'TimePollClosed', first.id)).toBe(0);
    expect(expectData(await close(coordinator.token, { pollId: first.id })).closeTimePoll.status).toBe('CLOSED');
    expect(expectData(await close(lead.token, { pollId: second.id, schedule: true })).closeTimePoll.meeting).toMatchObject({ createdBy: { id: lead.id } });
  });

  it('schedules the meeting from the chosen option with the closer\'s rights, and links it', async () => {
    const { community, coordinator, member } = await world();
    const staff = await server.factories.staff();
    const poll = await createPoll(server, coordinator.token, community.id, [48, 72], { timeZone: 'Europe/Paris', title: 'Show and tell' });
    const option = poll.options[1]!;
    await answer(server, member.token, poll.id, [[option.id, 'YES']]);
    const closed = expectData(await close(coordinator.token, { pollId: poll.id, schedule: true })).closeTimePoll;
    expect(closed.chosenOption?.id).toBe(option.id);
    expect(closed.meeting).toMatchObject({
      kind: 'MEETUP',
      status: 'SCHEDULED',
      title: 'Show and tell',
      startsAt: option.startsAt,
      endsAt: option.endsAt,
      timeZone: 'Europe/Paris',
      createdBy: { id: coordinator.id },
    });
    const meetings = expectData(await server.gql(CommunityMeetingsDocument, { slug: community.community.slug })).community!.meetings!;
    expect(meetings.edges.map((e) => e.node.id)).toEqual([closed.meeting!.id]);
    const events = await server.em().execute<{ payload: { meetingId: string | null } }[]>("select payload from domain_event where type = 'TimePollClosed' and payload->>'pollId' = ?", [dbId(poll.id)]);
    expect(events[0]!.payload.meetingId).toBe(dbId(closed.meeting!.id));
    expect(await countRows(server, "select count(*) as n from domain_event where type = 'MeetingScheduled' and payload->>'meetingId' = ?", dbId(closed.meeting!.id))).toBe(1);

    // The optional details reach the meeting; staff close too; the meeting reads through node(id) like the poll.
    const book = await createPoll(server, coordinator.token, community.id, [30, 40, 50, 60]);
    const input = { pollId: book.id, optionId: book.options[3]!.id, schedule: true, kind: 'BOOK_CLUB', url: 'https://meet.example.org/books', venue: 'Room 2', timeZone: 'Asia/Tokyo' };
    const scheduled = expectData(await close(staff.token, input)).closeTimePoll;
    expect(scheduled.meeting).toMatchObject({ kind: 'BOOK_CLUB', url: 'https://meet.example.org/books', venue: 'Room 2', timeZone: 'Asia/Tokyo', startsAt: book.options[3]!.startsAt });
    const read = expectData(await server.gql(TimePollNodeDocument, { id: book.id })).node;
    expect(read).toMatchObject({ status: 'CLOSED', meeting: { id: scheduled.meeting!.id }, chosenOption: { id: book.options[3]!.id } });
  });

  it('closes a poll whose closesAt has passed, and gives concurrent closes one winner and CONFLICT for the rest', async () => {
    const { community, coordinator, member } = await world();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const poll = await createPoll(server, coordinator.token, community.id);
    await answer(server, member.token, poll.id, [[poll.options[1]!.id, 'IF_NEEDED']]);
    await server.em().execute("update time_poll set closes_at = now() - interval '1 second' where id = ?", [dbId(poll.id)]);
    const responses = await Promise.all([coordinator, lead, coordinator, lead].map((who) => close(who.token, { pollId: poll.id, schedule: true })));
    const winners = responses.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    for (const r of responses.filter((r) => r.errors)) expectError(r, 'CONFLICT');
    expect(winners[0]!.data!.closeTimePoll.chosenOption?.id).toBe(poll.options[1]!.id);
    expect(await meetingsOf(community.id)).toBe(1);
    expect(await eventRows(server, 'TimePollClosed', poll.id)).toBe(1);
  });

  it('counts every answer that committed before the close, and refuses those that waited for it', async () => {
    const { community, coordinator, members } = await world();
    const poll = await createPoll(server, coordinator.token, community.id);
    const last = poll.options[2]!.id;
    const racing = members.map((m) => server.gql(AnswerTimePollDocument, { input: { pollId: poll.id, answers: [{ optionId: last, answer: 'YES' }] } }, { token: m.token }));
    const closing = close(coordinator.token, { pollId: poll.id });
    const [answers, closed] = [await Promise.all(racing), await closing];
    const accepted = answers.filter((r) => !r.errors).length;
    for (const r of answers.filter((r) => r.errors)) expectError(r, 'CONFLICT');
    const chosen = expectData(closed).closeTimePoll.chosenOption!.id;
    // Whatever the interleaving: the answers stored are exactly the accepted ones, and the choice agrees with them.
    expect(await countRows(server, 'select count(*) as n from time_poll_vote where poll_id = ?', dbId(poll.id))).toBe(accepted);
    expect(chosen).toBe(accepted > 0 ? last : poll.options[0]!.id);
  });
});
