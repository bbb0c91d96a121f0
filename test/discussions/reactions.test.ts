import { DeletePostDocument, PostNodeDocument, ReactDocument, ThreadDocument } from '../generated/graphql';
import { expectData, expectError, startTestServer, type TestServer, badInputFields as fieldsOf } from '../support/server';
import { MembershipStatus } from '../support/factories';
import { toGlobalId } from '../../src/shared/ids';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function reactionsOf(postId: string, token?: string) {
  const { node } = expectData(await server.gql(PostNodeDocument, { id: postId }, { token }));
  if (node?.__typename !== 'Post') throw new Error(`post ${postId} not found`);
  return node.reactions;
}

async function world(visibility: 'OPEN' | 'RESTRICTED' = 'OPEN') {
  const community = visibility === 'OPEN' ? await server.factories.community() : await server.factories.restrictedCommunity();
  const author = await server.factories.activeMember(community);
  const thread = await server.factories.thread(community, author);
  const post = await server.factories.post(thread, author, { body: 'React to me' });
  return { community, author, thread, post };
}

const react = (postId: string, emoji: string, token?: string) => server.gql(ReactDocument, { input: { postId, emoji } }, { token });

describe('react', () => {
  it('refuses an anonymous viewer as UNAUTHENTICATED and adds nothing', async () => {
    const { post } = await world();
    expectError(await react(post.id, '👍'), 'UNAUTHENTICATED');
    expect(await reactionsOf(post.id)).toEqual([]);
  });

  it.each([
    ['a member who never joined', null],
    ['a PENDING member', MembershipStatus.PENDING],
    ['a member who LEFT', MembershipStatus.LEFT],
  ])('is FORBIDDEN to %s, and adds nothing', async (_name, status) => {
    const { community, post } = await world();
    const member = await server.factories.member();
    if (status) await server.factories.membership(member, community, { status });
    expectError(await react(post.id, '👍', member.token), 'FORBIDDEN');
    expect(await reactionsOf(post.id)).toEqual([]);
  });

  it('is FORBIDDEN to a non-member of a RESTRICTED community', async () => {
    const { post } = await world('RESTRICTED');
    const outsider = await server.factories.member();
    expectError(await react(post.id, '👍', outsider.token), 'FORBIDDEN');
    const staff = await server.factories.staff();
    expect(await reactionsOf(post.id, staff.token)).toEqual([]);
  });

  it('adds the emoji on the first call and removes it on the second (a toggle)', async () => {
    const { community, post } = await world();
    const member = await server.factories.activeMember(community);
    const added = expectData(await react(post.id, '👍', member.token)).react;
    expect(added).toMatchObject({ id: post.id, reactions: [{ emoji: '👍', count: 1, viewerReacted: true }] });
    expect(await reactionsOf(post.id, member.token)).toEqual([{ emoji: '👍', count: 1, viewerReacted: true }]);

    const removed = expectData(await react(post.id, '👍', member.token)).react;
    expect(removed.reactions).toEqual([]);
    expect(await reactionsOf(post.id, member.token)).toEqual([]);

    expect(expectData(await react(post.id, '👍', member.token)).react.reactions).toEqual([{ emoji: '👍', count: 1, viewerReacted: true }]);
  });

  it('counts each emoji across members and tells each viewer whether they reacted', async () => {
    const { community, author, post } = await world();
    const [alice, bob, carol] = await Promise.all([1, 2, 3].map(() => server.factories.activeMember(community)));
    expectData(await react(post.id, '👍', alice!.token));
    expectData(await react(post.id, '👍', bob!.token));
    expectData(await react(post.id, '🎉', bob!.token));
    expectData(await react(post.id, '👍', carol!.token));

    // In order of first use.
    expect(await reactionsOf(post.id, alice!.token)).toEqual([
      { emoji: '👍', count: 3, viewerReacted: true },
      { emoji: '🎉', count: 1, viewerReacted: false },
    ]);
    expect(await reactionsOf(post.id, bob!.token)).toEqual([
      { emoji: '👍', count: 3, viewerReacted: true },
      { emoji: '🎉', count: 1, viewerReacted: true },
    ]);
    expect(await reactionsOf(post.id, author.token)).toEqual([
      { emoji: '👍', count: 3, viewerReacted: false },
      { emoji: '🎉', count: 1, viewerReacted: false },
    ]);
    expect(await reactionsOf(post.id)).toEqual([
      { emoji: '👍', count: 3, viewerReacted: false },
      { emoji: '🎉', count: 1, viewerReacted: false },
    ]);

    // Bob's toggle removes only Bob's reaction.
    expect(expectData(await react(post.id, '👍', bob!.token)).react.reactions).toEqual([
      { emoji: '👍', count: 2, viewerReacted: false },
      { emoji: '🎉', count: 1, viewerReacted: true },
    ]);
  });

  it('shows reactions on the posts of a thread, per viewer', async () => {
    const { community, thread, post } = await world();
    const member = await server.factories.activeMember(community);
    expectData(await react(post.id, '❤️', member.token));
    const mine = expectData(await server.gql(ThreadDocument, { id: thread.id }, { token: member.token })).thread!;
    expect(mine.posts.edges[0]!.node.reactions).toEqual([{ emoji: '❤️', count: 1, viewerReacted: true }]);
    const anonymous = expectData(await server.gql(ThreadDocument, { id: thread.id })).thread!;
    expect(anonymous.posts.edges[0]!.node.reactions).toEqual([{ emoji: '❤️', count: 1, viewerReacted: false }]);
  });

  it.each([
    ['a skin tone', '👍🏽'],
    ['a ZWJ sequence', '👩‍💻'],
    ['a flag', '🇫🇷'],
    ['a keycap', '1️⃣'],
    ['a variation selector', '❤️'],
  ])('accepts an emoji with %s', async (_name, emoji) => {
    const { community, post } = await world();
    const member = await server.factories.activeMember(community);
    expect(expectData(await react(post.id, emoji, member.token)).react.reactions).toEqual([{ emoji, count: 1, viewerReacted: true }]);
  });

  it.each([
    ['plain text', 'hello'],
    ['a shortcode', ':thumbsup:'],
    ['an empty string', ''],
    ['a digit', '1'],
    ['digits', '42'],
    ['a hash sign', '#'],
    ['an asterisk', '*'],
    ['an emoji followed by text', '👍 nice'],
    ['two emoji', '👍👍'],
    ['half a flag', '🇫'],
    ['a lone zero-width joiner', '\u200d'],
  ])('rejects %s as BAD_USER_INPUT on emoji, and adds nothing', async (_name, emoji) => {
    const { community, post } = await world();
    const member = await server.factories.activeMember(community);
    expect(fieldsOf(await react(post.id, emoji, member.token))).toEqual(['emoji']);
    expect(await reactionsOf(post.id, member.token)).toEqual([]);
  });

  it('refuses to react on a deleted post (CONFLICT), and adds nothing', async () => {
    const { community, author, post } = await world();
    const member = await server.factories.activeMember(community);
    expectData(await server.gql(DeletePostDocument, { postId: post.id }, { token: author.token }));
    expectError(await react(post.id, '👍', member.token), 'CONFLICT');
    expect(await reactionsOf(post.id, member.token)).toEqual([]);
  });

  it('refuses a postId that is not a post ID (BAD_USER_INPUT) and answers NOT_FOUND for a missing post', async () => {
    const { community, thread } = await world();
    const member = await server.factories.activeMember(community);
    expect(fieldsOf(await react(thread.id, '👍', member.token))).toEqual(['postId']);
    expectError(await react(toGlobalId('Post', '00000000-0000-4000-8000-000000000000'), '👍', member.token), 'NOT_FOUND');
  });
});
