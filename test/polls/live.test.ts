import { ReplyToThreadDocument, ThreadPollActivityDocument, VotePollDocument } from '../generated/graphql';
import { eventually, subscribe, trackSockets } from '../support/live';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { threadTopic } from '../../src/realtime/events';
import { dbId, pollWorld } from './support';

let server: TestServer;
const openOn = trackSockets();
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const open = (token?: string | null) => openOn(server, token);
const followers = (threadId: string) => server.app.services.events.listenerCount(threadTopic(dbId(threadId)));
/** Every event this document selects carries a cursor (PollVoted, PostAdded). */
const cursorOf = (event: object) => (event as { cursor: string }).cursor;
const vote = (pollId: string, optionIds: string[], token: string) => server.gql(VotePollDocument, { input: { pollId, optionIds } }, { token });

describe('Thread.poll live on threadActivity', () => {
  it('pushes PollVoted with the new counts and the voter of a named poll; viewerVotes stays each subscriber\'s own', async () => {
    const { author, voter, poll, optionIds, threadId } = await pollWorld(server);
    const live = subscribe(open(author.token), ThreadPollActivityDocument, { threadId });
    await eventually(() => followers(threadId) === 1);

    expectData(await vote(poll.id, [optionIds[1]!], voter.token));
    const [first] = await live.next(1);
    expect(first!.threadActivity).toMatchObject({
      __typename: 'PollVoted',
      voter: { id: voter.id },
      poll: { id: poll.id, voterCount: 1, viewerVotes: [], options: [{ votes: 0 }, { votes: 1 }, { votes: 0 }] },
    });

    expectData(await vote(poll.id, [optionIds[0]!], author.token));
    expectData(await vote(poll.id, [optionIds[2]!], voter.token));
    const events = (await live.next(3)).map((e) => e.threadActivity);
    expect(events[1]).toMatchObject({ __typename: 'PollVoted', voter: { id: author.id }, poll: { voterCount: 2, viewerVotes: [optionIds[0]] } });
    // The voter changed their mind: the counts move, nothing is counted twice.
    expect(events[2]).toMatchObject({
      __typename: 'PollVoted',
      voter: { id: voter.id },
      poll: { voterCount: 2, viewerVotes: [optionIds[0]], options: [{ votes: 1 }, { votes: 0 }, { votes: 1 }] },
    });
    const cursors = events.map(cursorOf);
    expect([...cursors].sort((a, b) => Number(a) - Number(b))).toEqual(cursors);
    expect(live.errors).toEqual([]);
  });

  it('names no voter for an anonymous poll, to any subscriber (the voter included)', async () => {
    const { author, voter, poll, optionIds, threadId } = await pollWorld(server, { anonymous: true });
    const byAuthor = subscribe(open(author.token), ThreadPollActivityDocument, { threadId });
    const byVoter = subscribe(open(voter.token), ThreadPollActivityDocument, { threadId });
    const byAnyone = subscribe(open(), ThreadPollActivityDocument, { threadId });
    await eventually(() => followers(threadId) === 3);
    expectData(await vote(poll.id, [optionIds[2]!], voter.token));
    const [seenByAuthor] = await byAuthor.next(1);
    const [seenByVoter] = await byVoter.next(1);
    const [seenByAnyone] = await byAnyone.next(1);
    for (const seen of [seenByAuthor, seenByVoter, seenByAnyone]) {
      expect(seen!.threadActivity).toMatchObject({ __typename: 'PollVoted', voter: null, poll: { anonymous: true, voterCount: 1 } });
    }
    expect(seenByVoter!.threadActivity).toMatchObject({ poll: { viewerVotes: [optionIds[2]] } });
    expect(seenByAuthor!.threadActivity).toMatchObject({ poll: { viewerVotes: [] } });
    expect(seenByAnyone!.threadActivity).toMatchObject({ poll: { viewerVotes: [] } });
  });

  it('gives a non-member of a RESTRICTED community nothing (FORBIDDEN), while members get the votes', async () => {
    const { voter, author, poll, optionIds, threadId } = await pollWorld(server, { visibility: 'RESTRICTED' });
    const outsider = await server.factories.member();
    const refused = [subscribe(open(outsider.token), ThreadPollActivityDocument, { threadId }), subscribe(open(), ThreadPollActivityDocument, { threadId })];
    await Promise.all(refused.map((s) => s.ended));
    const member = subscribe(open(author.token), ThreadPollActivityDocument, { threadId });
    await eventually(() => followers(threadId) === 1);
    expectData(await vote(poll.id, [optionIds[0]!], voter.token));
    const [event] = await member.next(1);
    expect(event!.threadActivity).toMatchObject({ __typename: 'PollVoted', poll: { voterCount: 1 } });
    for (const subscription of refused) {
      expect(subscription.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(subscription.events).toEqual([]);
    }
  });

  it('replays missed votes after `since`, in order with the replies', async () => {
    const { author, voter, poll, optionIds, threadId } = await pollWorld(server);
    const first = subscribe(open(author.token), ThreadPollActivityDocument, { threadId });
    await eventually(() => followers(threadId) === 1);
    expectData(await vote(poll.id, [optionIds[0]!], voter.token));
    const [seen] = await first.next(1);
    first.unsubscribe();
    await eventually(() => followers(threadId) === 0);

    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId, body: 'I voted' } }, { token: voter.token }));
    expectData(await vote(poll.id, [optionIds[1]!], voter.token));
    const resumed = subscribe(open(author.token), ThreadPollActivityDocument, { threadId, since: cursorOf(seen!.threadActivity) });
    const replayed = (await resumed.next(2)).map((e) => e.threadActivity.__typename);
    expect(replayed).toEqual(['PostAdded', 'PollVoted']);
    expect(resumed.events[1]!.threadActivity).toMatchObject({ poll: { options: [{ votes: 0 }, { votes: 1 }, { votes: 0 }] } });
  });
});
