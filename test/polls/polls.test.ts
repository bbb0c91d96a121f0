import {
  CommunityThreadPollsDocument,
  LockThreadDocument,
  PollNodeDocument,
  StartThreadWithPollDocument,
  ThreadPollDocument,
  VotePollDocument,
} from '../generated/graphql';
import { CommunityRole, MembershipStatus } from '../support/factories';
import { badInputFields, countRows, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { toGlobalId } from '../../src/shared/ids';
import { ballotCount, dbId, inMinutes, pollVotedEvents, pollWorld, startPoll } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const vote = (pollId: string, optionIds: string[], token?: string) => server.gql(VotePollDocument, { input: { pollId, optionIds } }, { token });
const threadInput = (communityId: string, poll: Record<string, unknown>) => ({
  communityId,
  title: 'A thread with a poll',
  body: 'Vote below',
  poll: { question: 'Which one?', options: ['One', 'Two'], ...poll },
});
const pollRows = () => countRows(server, 'select count(*) as n from poll');
const threadRows = () => countRows(server, 'select count(*) as n from thread');

describe('startThread with a poll', () => {
  it('is refused to anonymous viewers, non-members and members of a retired community, with nothing written', async () => {
    const community = await server.factories.community();
    const outsider = await server.factories.member();
    const member = await server.factories.activeMember(community);
    const before = [await threadRows(), await pollRows()];
    const input = threadInput(community.id, {});
    expectError(await server.gql(StartThreadWithPollDocument, { input }), 'UNAUTHENTICATED');
    expectError(await server.gql(StartThreadWithPollDocument, { input }, { token: outsider.token }), 'FORBIDDEN');
    await server.em().execute(`update community set status = 'RETIRED' where id = ?`, [community.community.id]);
    const retired = expectError(await server.gql(StartThreadWithPollDocument, { input }, { token: member.token }), 'FORBIDDEN');
    expect(retired.message).toMatch(/retired and read-only/);
    expect([await threadRows(), await pollRows()]).toEqual(before);
  });

  it.each([
    ['one option', { options: ['Only'] }, 'poll.options'],
    ['21 options', { options: Array.from({ length: 21 }, (_, i) => `Option ${i}`) }, 'poll.options'],
    ['a blank option', { options: ['One', '   '] }, 'poll.options'],
    ['an option over 200 characters', { options: ['One', 'x'.repeat(201)] }, 'poll.options'],
    ['the same option twice (case and spaces aside)', { options: ['Yes', ' yes ', 'No'] }, 'poll.options'],
    ['a blank question', { question: '  ' }, 'poll.question'],
    ['a question over 300 characters', { question: 'q'.repeat(301) }, 'poll.question'],
    ['a control character', { question: 'Which\u0000one' }, 'poll.question'],
    ['a closing time in the past', { closesAt: new Date(Date.now() - 60_000).toISOString() }, 'poll.closesAt'],
  ])('refuses %s as BAD_USER_INPUT on its field, writing neither thread nor poll', async (_case, poll, field) => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    const before = [await threadRows(), await pollRows()];
    const response = await server.gql(StartThreadWithPollDocument, { input: threadInput(community.id, poll) }, { token: member.token });
    expect(new Set(badInputFields(response))).toEqual(new Set([field]));
    expect([await threadRows(), await pollRows()]).toEqual(before);
  });

  it('opens the poll with the thread: options in order, no votes, open, readable by node(id)', async () => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    const closesAt = inMinutes(90);
    const { threadId, poll } = await startPoll(server, community.id, member, { options: [' Own section ', 'Interfiled'], multiple: true, closesAt });
    expect(poll).toMatchObject({
      question: 'Where do they go?',
      multiple: true,
      anonymous: false,
      closesAt,
      closed: false,
      voterCount: 0,
      viewerVotes: [],
      options: [
        { text: 'Own section', votes: 0 },
        { text: 'Interfiled', votes: 0 },
      ],
      thread: { id: threadId },
    });
    const read = expectData(await server.gql(PollNodeDocument, { id: poll.id })).node;
    expect(read).toMatchObject({ __typename: 'Poll', id: poll.id, question: 'Where do they go?' });
    const option = expectData(await server.gql(PollNodeDocument, { id: poll.options[1]!.id })).node;
    expect(option).toMatchObject({ __typename: 'PollOption', text: 'Interfiled', poll: { id: poll.id } });
    // A thread without a poll says so.
    const plain = await server.factories.thread(community, member);
    expect(expectData(await server.gql(ThreadPollDocument, { id: plain.id })).thread!.poll).toBeNull();
  });

  it('keeps a poll without a closing time open', async () => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    const { poll } = await startPoll(server, community.id, member, { closesAt: null });
    expect(poll).toMatchObject({ closesAt: null, closed: false });
  });
});

describe('votePoll refusals', () => {
  it('is UNAUTHENTICATED without an account, FORBIDDEN to non-members, pending and departed members; nothing written', async () => {
    const { community, poll, optionIds } = await pollWorld(server);
    const outsider = await server.factories.member();
    const pending = await server.factories.member();
    await server.factories.membership(pending, community, { status: MembershipStatus.PENDING });
    const departed = await server.factories.member();
    await server.factories.membership(departed, community, { status: MembershipStatus.LEFT });
    expectError(await vote(poll.id, [optionIds[0]!]), 'UNAUTHENTICATED');
    for (const who of [outsider, pending, departed]) {
      const refused = expectError(await vote(poll.id, [optionIds[0]!], who.token), 'FORBIDDEN');
      expect(refused.message).toMatch(/ACTIVE members/);
    }
    expect(await ballotCount(server, poll.id)).toBe(0);
    expect(await pollVotedEvents(server, poll.id)).toEqual([]);
  });

  it('refuses a retired community like a reply (read-only), even to its members', async () => {
    const { community, voter, poll, optionIds } = await pollWorld(server);
    await server.em().execute(`update community set status = 'RETIRED' where id = ?`, [community.community.id]);
    const refused = expectError(await vote(poll.id, [optionIds[0]!], voter.token), 'FORBIDDEN');
    expect(refused.message).toMatch(/retired and read-only/);
    expect(expectData(await server.gql(ThreadPollDocument, { id: poll.thread.id }, { token: voter.token })).thread!.poll!.closed).toBe(true);
    expect(await ballotCount(server, poll.id)).toBe(0);
  });

  it('refuses a poll whose closing time passed (CONFLICT, closed), keeping the votes it had', async () => {
    const { voter, author, poll, optionIds } = await pollWorld(server);
    expectData(await vote(poll.id, [optionIds[0]!], author.token));
    await server.em().execute(`update poll set closes_at = now() - interval '1 second' where id = ?`, [dbId(poll.id)]);
    const refused = expectError(await vote(poll.id, [optionIds[1]!], voter.token), 'CONFLICT');
    expect(refused.message).toMatch(/This poll closed at/);
    // Nor can a vote be changed once closed; the poll's state comes before the choice is judged.
    expectError(await vote(poll.id, [optionIds[1]!], author.token), 'CONFLICT');
    expectError(await vote(poll.id, [optionIds[0]!, optionIds[1]!], author.token), 'CONFLICT');
    // The rights come before its state: an outsider is FORBIDDEN as on an open poll.
    expectError(await vote(poll.id, [optionIds[1]!], (await server.factories.member()).token), 'FORBIDDEN');
    const read = expectData(await server.gql(ThreadPollDocument, { id: poll.thread.id }, { token: author.token })).thread!.poll!;
    expect(read).toMatchObject({ closed: true, voterCount: 1, viewerVotes: [optionIds[0]] });
    expect(read.options.map((o) => o.votes)).toEqual([1, 0, 0]);
    expect(await pollVotedEvents(server, poll.id)).toHaveLength(1);
  });

  it('takes votes until its closesAt and refuses them (CONFLICT) from that instant, with no job needing to run', async () => {
    const { voter, author, poll, optionIds } = await pollWorld(server);
    // Two seconds from now (set in the database: creating the world may take longer than that under load).
    const closesAt = new Date(Date.now() + 2000);
    await server.em().execute('update poll set closes_at = ? where id = ?', [closesAt.toISOString(), dbId(poll.id)]);
    expect(expectData(await vote(poll.id, [optionIds[0]!], author.token)).votePoll).toMatchObject({ closed: false, voterCount: 1 });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, closesAt.getTime() - Date.now()) + 20));
    expect(expectError(await vote(poll.id, [optionIds[1]!], voter.token), 'CONFLICT').message).toBe(`This poll closed at ${closesAt.toISOString()}`);
    const read = expectData(await server.gql(ThreadPollDocument, { id: poll.thread.id }, { token: voter.token })).thread!.poll!;
    expect(read).toMatchObject({ closed: true, voterCount: 1, viewerVotes: [] });
    expect(await ballotCount(server, poll.id)).toBe(1);
  });

  it('refuses a poll in a locked thread (closed by hand: CONFLICT), and takes votes again once it is unlocked', async () => {
    const { community, voter, poll, optionIds } = await pollWorld(server);
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    expectData(await server.gql(LockThreadDocument, { threadId: poll.thread.id, locked: true }, { token: monitor.token }));
    expect(expectData(await server.gql(ThreadPollDocument, { id: poll.thread.id }, { token: voter.token })).thread!.poll!.closed).toBe(true);
    const refused = expectError(await vote(poll.id, [optionIds[0]!], voter.token), 'CONFLICT');
    expect(refused.message).toMatch(/thread is locked/);
    expect(await ballotCount(server, poll.id)).toBe(0);
    expectData(await server.gql(LockThreadDocument, { threadId: poll.thread.id, locked: false }, { token: monitor.token }));
    expect(expectData(await vote(poll.id, [optionIds[0]!], voter.token)).votePoll.voterCount).toBe(1);
  });

  it('answers an unknown poll NOT_FOUND and a malformed poll ID BAD_USER_INPUT', async () => {
    const member = await server.factories.member();
    const unknown = toGlobalId('Poll', '00000000-0000-4000-8000-000000000000');
    expectError(await vote(unknown, [toGlobalId('PollOption', '00000000-0000-4000-8000-000000000001')], member.token), 'NOT_FOUND');
    expect(badInputFields(await vote('nope', ['nope'], member.token))).toEqual(['pollId']);
  });
});

describe('votePoll bad input', () => {
  it('refuses every wrong choice as BAD_USER_INPUT on optionIds, with nothing written', async () => {
    const { community, author, voter, poll, optionIds } = await pollWorld(server);
    const other = await startPoll(server, community.id, author);
    const cases = [
      [],
      [other.optionIds[0]!],
      ['not-an-id'],
      [poll.thread.id],
      [toGlobalId('PollOption', '00000000-0000-4000-8000-000000000000')],
      [optionIds[0]!, optionIds[0]!],
      [optionIds[0]!, optionIds[1]!],
    ];
    for (const choice of cases) {
      const response = await vote(poll.id, choice, voter.token);
      expect({ choice, fields: badInputFields(response) }).toEqual({ choice, fields: ['optionIds'] });
    }
    expect(await ballotCount(server, poll.id)).toBe(0);
    expect(await pollVotedEvents(server, poll.id)).toEqual([]);
  });

  it('refuses duplicates on a multiple-choice poll too, and keeps the previous vote', async () => {
    const { voter, poll, optionIds } = await pollWorld(server, { multiple: true });
    expectData(await vote(poll.id, [optionIds[0]!], voter.token));
    expect(badInputFields(await vote(poll.id, [optionIds[1]!, optionIds[1]!], voter.token))).toEqual(['optionIds']);
    const read = expectData(await server.gql(ThreadPollDocument, { id: poll.thread.id }, { token: voter.token })).thread!.poll!;
    expect(read.viewerVotes).toEqual([optionIds[0]]);
    expect(read.options.map((o) => o.votes)).toEqual([1, 0, 0]);
  });
});

describe('voting', () => {
  it('counts a vote, replaces it on a second vote (counts stay exact), and records PollVoted with the voter', async () => {
    const { author, voter, poll, optionIds } = await pollWorld(server);
    const first = expectData(await vote(poll.id, [optionIds[0]!], voter.token)).votePoll;
    expect(first).toMatchObject({ voterCount: 1, viewerVotes: [optionIds[0]] });
    expect(first.options.map((o) => o.votes)).toEqual([1, 0, 0]);
    expectData(await vote(poll.id, [optionIds[0]!], author.token));
    const changed = expectData(await vote(poll.id, [optionIds[2]!], voter.token)).votePoll;
    expect(changed).toMatchObject({ voterCount: 2, viewerVotes: [optionIds[2]] });
    expect(changed.options.map((o) => o.votes)).toEqual([1, 0, 1]);
    expect(await ballotCount(server, poll.id)).toBe(2);
    // Each reader sees only their own votes.
    const byAuthor = expectData(await server.gql(ThreadPollDocument, { id: poll.thread.id }, { token: author.token })).thread!.poll!;
    expect(byAuthor.viewerVotes).toEqual([optionIds[0]]);
    expect(expectData(await server.gql(ThreadPollDocument, { id: poll.thread.id })).thread!.poll!.viewerVotes).toEqual([]);

    const events = await pollVotedEvents(server, poll.id);
    expect(events).toHaveLength(3);
    expect(events[0]).toEqual({ actor_id: voter.member.id, payload: expect.objectContaining({ voterId: voter.member.id, threadId: dbId(poll.thread.id) }) });
  });

  it('records nothing for a vote that changes nothing', async () => {
    const { voter, poll, optionIds } = await pollWorld(server);
    expectData(await vote(poll.id, [optionIds[1]!], voter.token));
    expectData(await vote(poll.id, [optionIds[1]!], voter.token));
    expect(await pollVotedEvents(server, poll.id)).toHaveLength(1);
  });

  it('takes several options on a multiple-choice poll: one voter, one vote per option, replaced whole', async () => {
    const { voter, poll, optionIds } = await pollWorld(server, { multiple: true });
    const both = expectData(await vote(poll.id, [optionIds[2]!, optionIds[0]!], voter.token)).votePoll;
    expect(both).toMatchObject({ voterCount: 1, viewerVotes: [optionIds[0], optionIds[2]] });
    expect(both.options.map((o) => o.votes)).toEqual([1, 0, 1]);
    const one = expectData(await vote(poll.id, [optionIds[1]!], voter.token)).votePoll;
    expect(one).toMatchObject({ voterCount: 1, viewerVotes: [optionIds[1]] });
    expect(one.options.map((o) => o.votes)).toEqual([0, 1, 0]);
  });

  it('never double-counts concurrent votes by one member: one ballot, one vote, the last one committed', async () => {
    const { voter, poll, optionIds } = await pollWorld(server);
    const choices = Array.from({ length: 12 }, (_, i) => optionIds[i % 3]!);
    const responses = await Promise.all(choices.map((choice) => vote(poll.id, [choice], voter.token)));
    for (const response of responses) expectData(response);
    expect(await ballotCount(server, poll.id)).toBe(1);
    const read = expectData(await server.gql(ThreadPollDocument, { id: poll.thread.id }, { token: voter.token })).thread!.poll!;
    expect(read.voterCount).toBe(1);
    expect(read.options.reduce((sum, o) => sum + o.votes, 0)).toBe(1);
    expect(read.viewerVotes).toHaveLength(1);
    const [row] = await server.em().execute<{ option_ids: string[] }[]>('select option_ids from poll_ballot where poll_id = ?', [dbId(poll.id)]);
    expect(read.viewerVotes).toEqual(row!.option_ids.map((id) => toGlobalId('PollOption', id)));
  });

  it('counts concurrent votes by many members exactly', async () => {
    const { community, poll, optionIds } = await pollWorld(server, { multiple: true });
    const voters = await Promise.all(Array.from({ length: 10 }, () => server.factories.activeMember(community)));
    const responses = await Promise.all(
      voters.flatMap((voter, i) => [vote(poll.id, [optionIds[i % 3]!], voter.token), vote(poll.id, [optionIds[0]!, optionIds[1]!], voter.token)]),
    );
    for (const response of responses) expectData(response);
    const read = expectData(await server.gql(ThreadPollDocument, { id: poll.thread.id })).thread!.poll!;
    expect(read.voterCount).toBe(10);
    const [row] = await server.em().execute<{ n: string }[]>(
      'select count(*) as n from poll_ballot b cross join unnest(b.option_ids) where b.poll_id = ?',
      [dbId(poll.id)],
    );
    expect(read.options.reduce((sum, o) => sum + o.votes, 0)).toBe(Number(row!.n));
  });
});

describe('a poll in a thread that moved (split or merge)', () => {
  it('follows its thread: the new community\'s members vote, and the event belongs to that community', async () => {
    const { voter, poll, optionIds } = await pollWorld(server);
    const destination = await server.factories.community();
    const newcomer = await server.factories.activeMember(destination);
    await server.em().execute('update thread set community_id = ? where id = ?', [destination.community.id, dbId(poll.thread.id)]);
    expectError(await vote(poll.id, [optionIds[0]!], voter.token), 'FORBIDDEN');
    expect(expectData(await vote(poll.id, [optionIds[0]!], newcomer.token)).votePoll.voterCount).toBe(1);
    const [event] = await pollVotedEvents(server, poll.id);
    expect(event!.payload).toMatchObject({ communityId: destination.community.id });
  });
});

describe('anonymous polls', () => {
  it('show counts and each viewer their own votes, and keep voters out of the events', async () => {
    const { author, voter, poll, optionIds } = await pollWorld(server, { anonymous: true });
    expect(poll.anonymous).toBe(true);
    expectData(await vote(poll.id, [optionIds[1]!], voter.token));
    const byAuthor = expectData(await server.gql(ThreadPollDocument, { id: poll.thread.id }, { token: author.token })).thread!.poll!;
    expect(byAuthor).toMatchObject({ voterCount: 1, viewerVotes: [] });
    expect(byAuthor.options.map((o) => o.votes)).toEqual([0, 1, 0]);
    const events = await pollVotedEvents(server, poll.id);
    expect(events).toEqual([{ actor_id: null, payload: expect.objectContaining({ voterId: null }) }]);
    const live = await server.em().execute<{ payload: Record<string, unknown> }[]>(
      "select payload from live_event where type = 'PollVoted' and payload->>'pollId' = ?",
      [dbId(poll.id)],
    );
    expect(live).toHaveLength(1);
    expect(JSON.stringify(live[0]!.payload)).not.toContain(voter.member.id);
    expect(JSON.stringify(events[0]!.payload)).not.toContain(voter.member.id);
  });
});

describe('RESTRICTED communities', () => {
  it('refuse their polls to non-members and anonymous viewers on every path (FORBIDDEN); members and staff read them', async () => {
    const { voter, poll, optionIds } = await pollWorld(server, { visibility: 'RESTRICTED' });
    const outsider = await server.factories.member();
    for (const token of [outsider.token, undefined]) {
      const byThread = await server.gql(ThreadPollDocument, { id: poll.thread.id }, { token });
      expectError(byThread, 'FORBIDDEN');
      expect(byThread.data?.thread ?? null).toBeNull();
      expectError(await server.gql(PollNodeDocument, { id: poll.id }, { token }), 'FORBIDDEN');
      expectError(await server.gql(PollNodeDocument, { id: poll.options[0]!.id }, { token }), 'FORBIDDEN');
    }
    const refused = expectError(await vote(poll.id, [optionIds[0]!], outsider.token), 'FORBIDDEN');
    expect(refused.message).toMatch(/members only/);
    // A stranger learns nothing from a wrong option either: still FORBIDDEN, not BAD_USER_INPUT.
    expectError(await vote(poll.id, ['nope'], outsider.token), 'FORBIDDEN');
    expect(await ballotCount(server, poll.id)).toBe(0);

    expectData(await vote(poll.id, [optionIds[0]!], voter.token));
    const staff = await server.factories.staff();
    expect(expectData(await server.gql(PollNodeDocument, { id: poll.id }, { token: staff.token })).node).toMatchObject({ voterCount: 1 });
  });
});

describe('listing threads with polls', () => {
  it('reads polls, options, counts and the viewer\'s votes in a constant number of statements', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const voters = await Promise.all([1, 2, 3].map(() => server.factories.activeMember(community)));
    for (let i = 0; i < 12; i++) {
      const { poll, optionIds } = await startPoll(server, community.id, author, { multiple: i % 2 === 0 });
      if (i % 3 === 0) await server.factories.thread(community, author);
      for (const [j, voter] of voters.entries()) if ((i + j) % 2 === 0) expectData(await vote(poll.id, [optionIds[j % 3]!], voter.token));
    }
    const run = async (first: number) => {
      server.queries.length = 0;
      const { community: read } = expectData(await server.gql(CommunityThreadPollsDocument, { slug: community.community.slug, first }, { token: voters[0]!.token }));
      return { threads: read!.threads!.edges.map((e) => e.node), statements: [...server.queries] };
    };
    const small = await run(2);
    const large = await run(16);
    expect(large.threads).toHaveLength(16);
    expect(large.threads.filter((t) => t.poll)).toHaveLength(12);
    expect(large.threads.some((t) => t.poll?.viewerVotes.length)).toBe(true);
    expect(large.threads.some((t) => t.poll && t.poll.voterCount > 0)).toBe(true);
    expect(large.statements).toHaveLength(small.statements.length);
    // The viewer, the community, the page, then polls, options, counts and the viewer's votes: one statement each.
    expect(large.statements.length).toBeLessThanOrEqual(7);
  });
});
