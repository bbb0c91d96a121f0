import {
  CommunityFeedDocument,
  CommunityThreadsDocument,
  DeletePostDocument,
  PinThreadDocument,
  ReplyToThreadDocument,
  ThreadDocument,
  type ThreadQuery,
} from '../generated/graphql';
import { expectData, startTestServer, type GraphQLResponse, type TestServer, badInputFields as fieldsOf } from '../support/server';
import { CommunityRole } from '../support/factories';
import { Member } from '../../src/modules/members/member.entity';
import { Post } from '../../src/modules/discussions/post.entity';
import { Thread } from '../../src/modules/discussions/thread.entity';
import { Reaction } from '../../src/modules/discussions/reaction.entity';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const minutesAgo = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, 0) - minutes * 60_000);
const cursorOf = (values: unknown) => Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');

async function threadsOf(slug: string, variables: { first?: number; after?: string | null } = {}, token?: string) {
  const { community } = expectData(await server.gql(CommunityThreadsDocument, { slug, ...variables }, { token }));
  return community!.threads!;
}

/** Walks the whole feed page by page, returning the thread titles in order. */
async function walk(slug: string, first: number) {
  const titles: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const page = await threadsOf(slug, { first, after });
    expect(page!.edges.length).toBeLessThanOrEqual(first);
    titles.push(...page!.edges.map((e) => e.node.title));
    if (page!.edges.length) expect(page!.pageInfo.endCursor).toBe(page!.edges.at(-1)!.cursor);
    if (!page!.pageInfo.hasNextPage) return titles;
    after = page!.pageInfo.endCursor;
  }
  throw new Error('pagination never ended');
}

describe('community.threads (the feed)', () => {
  it('lists pinned threads first, then by latest activity', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    await server.factories.thread(community, author, { title: 'old', lastActivityAt: minutesAgo(30) });
    await server.factories.thread(community, author, { title: 'newest', lastActivityAt: minutesAgo(1) });
    await server.factories.thread(community, author, { title: 'pinned old', pinned: true, lastActivityAt: minutesAgo(60) });
    await server.factories.thread(community, author, { title: 'middle', lastActivityAt: minutesAgo(10) });
    await server.factories.thread(community, author, { title: 'pinned new', pinned: true, lastActivityAt: minutesAgo(5) });

    const feed = await threadsOf(community.community.slug);
    expect(feed!.edges.map((e) => e.node.title)).toEqual(['pinned new', 'pinned old', 'newest', 'middle', 'old']);
    expect(feed!.totalCount).toBe(5);
    expect(feed!.pageInfo.hasNextPage).toBe(false);
  });

  it('moves a thread to the top of the unpinned ones when someone replies', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const pinned = await server.factories.thread(community, author, { title: 'pinned', pinned: true, lastActivityAt: minutesAgo(100) });
    await server.factories.thread(community, author, { title: 'recent', lastActivityAt: minutesAgo(1) });
    const quiet = await server.factories.thread(community, author, { title: 'quiet', lastActivityAt: minutesAgo(50) });
    expect((await threadsOf(community.community.slug)).edges.map((e) => e.node.title)).toEqual(['pinned', 'recent', 'quiet']);

    const { replyToThread } = expectData(
      await server.gql(ReplyToThreadDocument, { input: { threadId: quiet.id, body: 'Bump' } }, { token: author.token }),
    );
    const feed = await threadsOf(community.community.slug);
    expect(feed!.edges.map((e) => e.node.title)).toEqual(['pinned', 'quiet', 'recent']);
    expect(feed!.edges[1]!.node).toMatchObject({ replyCount: 1, lastActivityAt: replyToThread.createdAt });
    expect(feed!.edges[0]!.node.id).toBe(pinned.id);
  });

  it('moves a thread to the top when a monitor pins it, and back when unpinned', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    await server.factories.thread(community, author, { title: 'recent', lastActivityAt: minutesAgo(1) });
    const old = await server.factories.thread(community, author, { title: 'old', lastActivityAt: minutesAgo(99) });
    expectData(await server.gql(PinThreadDocument, { threadId: old.id, pinned: true }, { token: monitor.token }));
    expect((await threadsOf(community.community.slug)).edges.map((e) => [e.node.title, e.node.pinned])).toEqual([
      ['old', true],
      ['recent', false],
    ]);
    expectData(await server.gql(PinThreadDocument, { threadId: old.id, pinned: false }, { token: monitor.token }));
    expect((await threadsOf(community.community.slug)).edges.map((e) => e.node.title)).toEqual(['recent', 'old']);
  });

  it('walks every thread with first/after, without duplicates or gaps, ties included', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const specs: [string, number, boolean][] = [
      ['a', 1, false],
      ['b', 2, false],
      ['c', 2, false], // same activity as b: the id breaks the tie
      ['d', 2, false],
      ['e', 3, true],
      ['f', 4, false],
      ['g', 5, true],
    ];
    for (const [title, minutes, pinned] of specs) {
      await server.factories.thread(community, author, { title, lastActivityAt: minutesAgo(minutes), pinned });
    }
    const all = await threadsOf(community.community.slug, { first: 100 });
    expect(all!.totalCount).toBe(7);
    const expected = all!.edges.map((e) => e.node.title);
    expect(expected.slice(0, 2)).toEqual(['e', 'g']);
    expect(expected[2]).toBe('a');
    expect(new Set(expected.slice(3, 6))).toEqual(new Set(['b', 'c', 'd']));
    expect(expected[6]).toBe('f');

    for (const first of [1, 2, 3, 6, 7]) {
      expect(await walk(community.community.slug, first)).toEqual(expected);
    }

    const page1 = await threadsOf(community.community.slug, { first: 3 });
    expect(page1).toMatchObject({ totalCount: 7, pageInfo: { hasNextPage: true } });
    const page3 = await threadsOf(community.community.slug, { first: 3, after: (await threadsOf(community.community.slug, { first: 6 })).pageInfo.endCursor });
    expect(page3!.edges.map((e) => e.node.title)).toEqual([expected[6]]);
    expect(page3).toMatchObject({ totalCount: 7, pageInfo: { hasNextPage: false } });
  });

  it('gives an empty last page after the last cursor', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    await server.factories.thread(community, author);
    const all = await threadsOf(community.community.slug);
    const after = await threadsOf(community.community.slug, { after: all!.pageInfo.endCursor });
    expect(after).toMatchObject({ edges: [], totalCount: 1, pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('defaults to 20 threads a page', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    for (let i = 0; i < 21; i++) await server.factories.thread(community, author, { lastActivityAt: minutesAgo(i) });
    const page = await threadsOf(community.community.slug);
    expect(page!.edges).toHaveLength(20);
    expect(page).toMatchObject({ totalCount: 21, pageInfo: { hasNextPage: true } });
  });

  it.each([0, -1, 101])('refuses first: %i (BAD_USER_INPUT on first)', async (first) => {
    const community = await server.factories.community();
    expect(fieldsOf(await server.gql(CommunityThreadsDocument, { slug: community.community.slug, first }))).toEqual(['first']);
  });

  it.each([
    ['garbage', 'not a cursor'],
    ['an empty JSON array', cursorOf([])],
    ['a JSON object', cursorOf({ pinned: true })],
    ['values of the wrong types', cursorOf(['x', 'y', 'z'])],
    ['a bad date', cursorOf([false, 'yesterday', '7d1f1d2e-1111-4111-8111-111111111111'])],
    ['a bad id', cursorOf([false, '2026-01-01T00:00:00.000Z', 'not-a-uuid'])],
    ['too few values (a cursor of thread.posts)', cursorOf(['2026-01-01T00:00:00.000Z', '7d1f1d2e-1111-4111-8111-111111111111'])],
    ['too many values', cursorOf([false, '2026-01-01T00:00:00.000Z', '7d1f1d2e-1111-4111-8111-111111111111', 1])],
  ])('refuses an after cursor that is %s (BAD_USER_INPUT on after)', async (_name, after) => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    await server.factories.thread(community, author);
    expect(fieldsOf(await server.gql(CommunityThreadsDocument, { slug: community.community.slug, first: 5, after }))).toEqual(['after']);
  });
});

describe('thread.posts', () => {
  async function threadWithPosts() {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const bodies = ['one', 'two', 'three', 'four', 'five'];
    for (const [i, body] of bodies.entries()) {
      await server.factories.post(thread, author, { body, createdAt: minutesAgo(50 - i) });
    }
    return { community, author, thread, bodies };
  }

  const bodiesOf = (posts: { edges: { node: { body?: string | null } }[] }) => posts.edges.map((e) => e.node.body);

  it('lists replies oldest first by default, with totalCount', async () => {
    const { thread, bodies } = await threadWithPosts();
    const read = expectData(await server.gql(ThreadDocument, { id: thread.id })).thread!;
    expect(bodiesOf(read.posts)).toEqual(bodies);
    expect(read.posts.totalCount).toBe(5);
    expect(read.posts.pageInfo.hasNextPage).toBe(false);
  });

  it('lists replies newest first with orderBy: NEWEST_FIRST', async () => {
    const { thread, bodies } = await threadWithPosts();
    const read = expectData(await server.gql(ThreadDocument, { id: thread.id, orderBy: 'NEWEST_FIRST' })).thread!;
    expect(bodiesOf(read.posts)).toEqual([...bodies].reverse());
    expect(read.posts.totalCount).toBe(5);
  });

  it.each(['OLDEST_FIRST', 'NEWEST_FIRST'] as const)('pages through replies %s without duplicates or gaps', async (orderBy) => {
    const { thread, bodies } = await threadWithPosts();
    const seen: (string | null | undefined)[] = [];
    let after: string | null | undefined = null;
    for (;;) {
      const response: GraphQLResponse<ThreadQuery> = await server.gql(ThreadDocument, { id: thread.id, first: 2, after, orderBy });
      const posts = expectData(response).thread!.posts;
      expect(posts.totalCount).toBe(5);
      seen.push(...bodiesOf(posts));
      if (!posts.pageInfo.hasNextPage) break;
      after = posts.pageInfo.endCursor;
    }
    expect(seen).toEqual(orderBy === 'OLDEST_FIRST' ? bodies : [...bodies].reverse());
  });

  it('counts deleted replies in totalCount (they stay as tombstones) but not in replyCount', async () => {
    const { thread, author } = await threadWithPosts();
    const first = expectData(await server.gql(ThreadDocument, { id: thread.id, first: 1 })).thread!.posts.edges[0]!.node;
    const { deletePost } = expectData(await server.gql(DeletePostDocument, { postId: first.id }, { token: author.token }));
    expect(deletePost.deleted).toBe(true);
    const read = expectData(await server.gql(ThreadDocument, { id: thread.id })).thread!;
    expect(read.replyCount).toBe(4);
    expect(read.posts.totalCount).toBe(5);
    expect(read.posts.edges[0]!.node).toMatchObject({ id: first.id, deleted: true, body: null });
  });

  it.each([0, 101])('refuses first: %i (BAD_USER_INPUT on first)', async (first) => {
    const { thread } = await threadWithPosts();
    expect(fieldsOf(await server.gql(ThreadDocument, { id: thread.id, first }))).toEqual(['first']);
  });

  it.each([
    ['garbage', 'garbage!'],
    ['values of the wrong types', cursorOf([true, 12])],
    ['a cursor of the feed', cursorOf([false, '2026-01-01T00:00:00.000Z', '7d1f1d2e-1111-4111-8111-111111111111'])],
  ])('refuses an after cursor that is %s (BAD_USER_INPUT on after)', async (_name, after) => {
    const { thread } = await threadWithPosts();
    expect(fieldsOf(await server.gql(ThreadDocument, { id: thread.id, first: 2, after }))).toEqual(['after']);
  });
});

describe('the feed query', () => {
  it('costs the same small number of SQL statements for 5 threads as for 50', async () => {
    const community = await server.factories.community();
    const authors = await Promise.all(Array.from({ length: 8 }, () => server.factories.activeMember(community)));
    const viewer = authors[0]!;
    const em = server.em();
    for (let i = 0; i < 60; i++) {
      const thread = await server.factories.thread(community, authors[i % authors.length]!, {
        title: `Thread ${i}`,
        lastActivityAt: minutesAgo(1000 - i),
        pinned: i % 17 === 0,
        tags: ['feed'],
      });
      for (let j = 0; j < 4; j++) {
        const post = new Post();
        post.thread = em.getReference(Thread, thread.thread.id);
        post.author = em.getReference(Member, authors[(i + j + 1) % authors.length]!.member.id);
        post.body = `Reply ${j} to ${i}`;
        post.createdAt = minutesAgo(1000 - i - j / 10);
        em.persist(post);
        for (let k = 0; k < (i + j) % 4; k++) {
          const reaction = new Reaction();
          reaction.post = post;
          reaction.member = em.getReference(Member, authors[k]!.member.id);
          reaction.emoji = ['👍', '🎉', '❤️'][k % 3]!;
          em.persist(reaction);
        }
      }
    }
    await em.flush();
    await em.execute('update thread set reply_count = 4 where community_id = ?', [community.community.id]);

    const run = async (first: number) => {
      server.queries.length = 0;
      const { community: feed } = expectData(
        await server.gql(CommunityFeedDocument, { slug: community.community.slug, first }, { token: viewer.token }),
      );
      const statements = [...server.queries];
      return { feed: feed!, statements };
    };

    const small = await run(5);
    const large = await run(50);
    expect(small.feed.threads!.edges).toHaveLength(5);
    expect(large.feed.threads!.edges).toHaveLength(50);
    expect(large.feed.threads!.totalCount).toBe(60);

    // The data is all there: each thread's three newest replies, with authors and the viewer's reactions.
    for (const edge of large.feed.threads!.edges) {
      expect(edge.node.author.displayName).toBeTruthy();
      expect(edge.node.posts.edges).toHaveLength(3);
      for (const post of edge.node.posts.edges) expect(post.node.author.displayName).toBeTruthy();
    }
    const reactions = large.feed.threads!.edges.flatMap((e) => e.node.posts.edges.flatMap((p) => p.node.reactions));
    expect(reactions.some((r) => r.viewerReacted)).toBe(true);
    expect(reactions.some((r) => !r.viewerReacted)).toBe(true);

    // toHaveLength prints the statements when it fails.
    expect(large.statements).toHaveLength(small.statements.length);
    expect(large.statements.length).toBeLessThanOrEqual(6);
  });
});
