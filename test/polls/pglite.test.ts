import { useEmbeddedApp } from '../support/embedded';
import {
  CommunityThreadPollsDocument,
  JoinCommunityDocument,
  LogInDocument,
  StartThreadWithPollDocument,
  ThreadPollDocument,
  VotePollDocument,
} from '../generated/graphql';

/** The zero-setup default (embedded PGlite, seeded): the demo's thread poll, voted on, and a new poll opened and voted on. */
describe('thread polls on the embedded PGlite database', () => {
  const embedded = useEmbeddedApp('practicehub-polls-pglite-');
  async function gql(document: Parameters<typeof embedded.gql>[0], variables: unknown, token?: string) {
    const json = await embedded.gql(document, variables, token);
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data;
  }

  it('has the demo poll with its votes; a new member votes, changes their mind and votes in parallel, counted once', async () => {
    const demo = (await gql(LogInDocument, { input: embedded.demo })).logIn.token as string;
    type Listed = { title: string; poll: { id: string; voterCount: number; options: { id: string; text: string; votes: number }[] } | null };
    const community = (await gql(CommunityThreadPollsDocument, { slug: 'reading-promotion', first: 50 }, demo)).community;
    const threads = community.threads.edges.map((e: { node: Listed }) => e.node) as Listed[];
    const withPolls = threads.filter((t) => t.poll);
    expect(withPolls.map((t) => t.title)).toEqual(['Graphic novels: separate section or interfiled?']);
    const poll = withPolls[0]!.poll!;
    expect(poll.options.map((o) => o.text)).toEqual(['Their own section', 'Interfiled with everything else', 'Fiction separate, nonfiction interfiled by subject']);
    expect(poll.voterCount).toBeGreaterThanOrEqual(3);
    expect(poll.options.reduce((sum, o) => sum + o.votes, 0)).toBe(poll.voterCount);

    // The demo member is not in this community yet: joining lets them vote.
    const refused = await embedded.gql(VotePollDocument, { input: { pollId: poll.id, optionIds: [poll.options[0]!.id] } }, demo);
    expect((refused.errors as { extensions: { code: string } }[])[0]!.extensions.code).toBe('FORBIDDEN');
    await gql(JoinCommunityDocument, { input: { communityId: community.id } }, demo);
    const voted = (await gql(VotePollDocument, { input: { pollId: poll.id, optionIds: [poll.options[0]!.id] } }, demo)).votePoll;
    expect(voted).toMatchObject({ voterCount: poll.voterCount + 1, viewerVotes: [poll.options[0]!.id] });
    await Promise.all(poll.options.map((o) => gql(VotePollDocument, { input: { pollId: poll.id, optionIds: [o.id] } }, demo)));
    const after = (await gql(VotePollDocument, { input: { pollId: poll.id, optionIds: [poll.options[1]!.id] } }, demo)).votePoll;
    expect(after.voterCount).toBe(poll.voterCount + 1);
    expect(after.options[1].votes).toBe(poll.options[1]!.votes + 1);
    expect(after.options.reduce((sum: number, o: { votes: number }) => sum + o.votes, 0)).toBe(poll.voterCount + 1);
  }, 60_000);

  it('opens a multiple-choice anonymous poll with a thread and counts a vote', async () => {
    const demo = (await gql(LogInDocument, { input: embedded.demo })).logIn.token as string;
    const community = (await gql(CommunityThreadPollsDocument, { slug: 'digital-tools', first: 1 }, demo)).community;
    const input = {
      communityId: community.id,
      title: 'Which tools should the next show-and-tell cover?',
      body: 'Pick any',
      poll: { question: 'Cover which?', options: ['Makerspace kits', 'Library systems', 'AI tools'], multiple: true, anonymous: true },
    };
    const started = (await gql(StartThreadWithPollDocument, { input }, demo)).startThread;
    const ids = started.poll.options.map((o: { id: string }) => o.id);
    await gql(VotePollDocument, { input: { pollId: started.poll.id, optionIds: [ids[0], ids[2]] } }, demo);
    const read = (await gql(ThreadPollDocument, { id: started.id }, demo)).thread.poll;
    expect(read).toMatchObject({ anonymous: true, multiple: true, voterCount: 1, viewerVotes: [ids[0], ids[2]] });
    expect(read.options.map((o: { votes: number }) => o.votes)).toEqual([1, 0, 1]);
  }, 60_000);
});
