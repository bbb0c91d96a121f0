import {
  AcceptAnswerDocument,
  DeletePostDocument,
  EditPostDocument,
  LockThreadDocument,
  PinThreadDocument,
  PostNodeDocument,
  ReactDocument,
  ReplyToThreadDocument,
  ThreadDocument,
} from '../generated/graphql';
import { expectData, expectError, startTestServer, type GraphQLResponse, type TestServer } from '../support/server';
import { CommunityRole, ThreadKind } from '../support/factories';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function readThread(id: string) {
  const { thread } = expectData(await server.gql(ThreadDocument, { id, first: 100 }));
  if (!thread) throw new Error(`thread ${id} not found`);
  return thread;
}

/** Either data, or one of the expected refusals; never INTERNAL_SERVER_ERROR (a deadlock, a broken transaction). */
function succeededOr<R>(response: GraphQLResponse<R>, ...codes: string[]): boolean {
  if (!response.errors?.length) return true;
  expect(response.errors).toHaveLength(1);
  expect(codes).toContain(response.errors[0]!.extensions?.code);
  return false;
}

async function world(kind: ThreadKind = ThreadKind.DISCUSSION) {
  const community = await server.factories.community();
  const author = await server.factories.activeMember(community);
  const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
  const replier = await server.factories.activeMember(community);
  return { community, author, monitor, replier };
}

describe('a refused mutation leaves nothing behind', () => {
  it('a reply to a locked thread creates no post and changes neither replyCount nor lastActivityAt', async () => {
    const { community, author, replier } = await world();
    const thread = await server.factories.thread(community, author, { locked: true, lastActivityAt: new Date('2026-01-01T00:00:00Z') });
    await server.factories.post(thread, author, { createdAt: new Date('2026-01-01T00:00:00Z') });
    const before = await readThread(thread.id);
    expectError(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Hello?' } }, { token: replier.token }), 'FORBIDDEN');
    const after = await readThread(thread.id);
    expect(after).toEqual(before);
    expect(after).toMatchObject({ replyCount: 1, lastActivityAt: '2026-01-01T00:00:00.000Z', posts: { totalCount: 1 } });
  });

  it('a thread locked between two replies refuses the second one, which leaves nothing', async () => {
    const { community, author, monitor, replier } = await world();
    const thread = await server.factories.thread(community, author);
    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Made it' } }, { token: replier.token }));
    expectData(await server.gql(LockThreadDocument, { threadId: thread.id, locked: true }, { token: monitor.token }));
    const before = await readThread(thread.id);
    expectError(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Too late' } }, { token: replier.token }), 'FORBIDDEN');
    expect(await readThread(thread.id)).toEqual(before);
  });

  it('a reply with a parent from another thread creates no post', async () => {
    const { community, author, replier } = await world();
    const thread = await server.factories.thread(community, author);
    const elsewhere = await server.factories.post(await server.factories.thread(community, author), author);
    const before = await readThread(thread.id);
    expectError(
      await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'x', parentPostId: elsewhere.id } }, { token: replier.token }),
      'BAD_USER_INPUT',
    );
    expect(await readThread(thread.id)).toEqual(before);
  });
});

describe('concurrent writes', () => {
  it('an answer accepted while it is being deleted never stays accepted, and neither request fails', async () => {
    const { community, author, monitor, replier } = await world();
    for (let i = 0; i < 8; i++) {
      const thread = await server.factories.thread(community, author, { kind: ThreadKind.QUESTION });
      const post = await server.factories.post(thread, replier);
      const [accepted, deleted] = await Promise.all([
        server.gql(AcceptAnswerDocument, { postId: post.id }, { token: author.token }),
        server.gql(DeletePostDocument, { postId: post.id }, { token: monitor.token }),
      ]);
      succeededOr(accepted, 'CONFLICT');
      expect(expectData(deleted).deletePost.deleted).toBe(true);
      expect(await readThread(thread.id)).toMatchObject({ acceptedAnswer: null, replyCount: 0 });
    }
  });

  it('a reply to a post while that post is being deleted neither deadlocks nor loses a count', async () => {
    const { community, author, monitor, replier } = await world();
    for (let i = 0; i < 8; i++) {
      const thread = await server.factories.thread(community, author);
      const post = await server.factories.post(thread, author);
      const [replied, deleted] = await Promise.all([
        server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Re', parentPostId: post.id } }, { token: replier.token }),
        server.gql(DeletePostDocument, { postId: post.id }, { token: monitor.token }),
      ]);
      expectData(replied);
      expectData(deleted);
      expect(await readThread(thread.id)).toMatchObject({ replyCount: 1, posts: { totalCount: 2 } });
    }
  });

  it('a reaction while the post is being deleted either lands first or is refused (CONFLICT)', async () => {
    const { community, author, monitor, replier } = await world();
    for (let i = 0; i < 8; i++) {
      const thread = await server.factories.thread(community, author);
      const post = await server.factories.post(thread, author);
      const [reacted, deleted] = await Promise.all([
        server.gql(ReactDocument, { input: { postId: post.id, emoji: '👍' } }, { token: replier.token }),
        server.gql(DeletePostDocument, { postId: post.id }, { token: monitor.token }),
      ]);
      const landed = succeededOr(reacted, 'CONFLICT');
      expectData(deleted);
      const { node } = expectData(await server.gql(PostNodeDocument, { id: post.id }));
      expect(node).toMatchObject({ deleted: true, reactions: landed ? [{ emoji: '👍', count: 1 }] : [] });
    }
  });

  it('many moderation writes at once (more than the connection pool) all complete', async () => {
    const { community, author, monitor } = await world();
    const threads = [];
    for (let i = 0; i < 15; i++) {
      const thread = await server.factories.thread(community, author);
      threads.push({ thread, post: await server.factories.post(thread, author) });
    }
    const responses = await Promise.all(
      threads.flatMap(({ thread, post }): Promise<GraphQLResponse<unknown>>[] => [
        server.gql(DeletePostDocument, { postId: post.id }, { token: monitor.token }),
        server.gql(PinThreadDocument, { threadId: thread.id, pinned: true }, { token: monitor.token }),
        server.gql(EditPostDocument, { input: { postId: post.id, body: 'Edited' } }, { token: author.token }),
      ]),
    );
    responses.forEach((response) => succeededOr(response, 'CONFLICT'));
    for (const { thread } of threads) expect(await readThread(thread.id)).toMatchObject({ pinned: true, replyCount: 0 });
  });
});
