import {
  CommunityResourcesDocument,
  DeletePostDocument,
  CommunityThreadsDocument,
  EditPostDocument,
  EndorseResourceDocument,
  JoinCommunityDocument,
  ReactDocument,
  ReplyToThreadDocument,
  SetTypingDocument,
  ShareResourceDocument,
  StartThreadDocument,
} from '../generated/graphql';
import { expectData, expectError, startTestServer, type GraphQLResponse, type TestServer, countRows } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const READ_ONLY = 'This community is retired and read-only';

function expectReadOnly(response: GraphQLResponse<unknown>) {
  expect(expectError(response, 'FORBIDDEN').message).toBe(READ_ONLY);
  expect(response.data).toBeNull();
}

/** A community with an ACTIVE member, a thread, a reply and a resource, then retired (no API retires one yet). */
async function retiredWorld() {
  const community = await server.factories.community();
  const member = await server.factories.activeMember(community);
  const thread = await server.factories.thread(community, member);
  const post = await server.factories.post(thread, member, { body: 'Before retirement' });
  const resource = await server.factories.resource(community, member);
  await server.em().execute(`update community set status = 'RETIRED' where id = ?`, [community.community.id]);
  return { community, member, thread, post, resource };
}

const count = (sql: string, id: string) => countRows(server, sql, id);

describe('a RETIRED community is read-only', () => {
  it('refuses startThread (FORBIDDEN, saying why) and stores nothing', async () => {
    const { community, member } = await retiredWorld();
    const input = { communityId: community.id, title: 'Still here?', body: 'Anyone?' };
    expectReadOnly(await server.gql(StartThreadDocument, { input }, { token: member.token }));
    expect(await count('select count(*) as n from thread where community_id = ?', community.community.id)).toBe(1);
  });

  it('refuses replyToThread, editPost, react and setTyping; the thread is unchanged', async () => {
    const { thread, post, member } = await retiredWorld();
    const token = member.token;
    expectReadOnly(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Late reply' } }, { token }));
    expectReadOnly(await server.gql(EditPostDocument, { input: { postId: post.id, body: 'Edited later' } }, { token }));
    expectReadOnly(await server.gql(ReactDocument, { input: { postId: post.id, emoji: '👍' } }, { token }));
    expectReadOnly(await server.gql(SetTypingDocument, { input: { threadId: thread.id, typing: true } }, { token }));
    expect(await count('select count(*) as n from post where thread_id = ?', thread.thread.id)).toBe(1);
    expect(await count('select count(*) as n from reaction where post_id = ?', post.post.id)).toBe(0);
    const [row] = await server.em().execute<{ body: string }[]>('select body from post where id = ?', [post.post.id]);
    expect(row!.body).toBe('Before retirement');
  });

  it('still lets authors take their own posts down (not others\u2019)', async () => {
    const { community, thread, post, member } = await retiredWorld();
    const other = await server.factories.activeMember(community);
    const theirs = await server.factories.post(thread, other, { body: 'Theirs' });
    expectError(await server.gql(DeletePostDocument, { postId: theirs.id }, { token: member.token }), 'FORBIDDEN');
    expect(expectData(await server.gql(DeletePostDocument, { postId: post.id }, { token: member.token })).deletePost.deleted).toBe(true);
  });

  it('refuses shareResource and endorseResource; nothing stored', async () => {
    const { community, member, resource } = await retiredWorld();
    const input = { communityId: community.id, title: 'A good read', url: 'https://example.org/read' };
    expectReadOnly(await server.gql(ShareResourceDocument, { input }, { token: member.token }));
    expectReadOnly(await server.gql(EndorseResourceDocument, { resourceId: resource.id }, { token: member.token }));
    expect(await count('select count(*) as n from resource where community_id = ?', community.community.id)).toBe(1);
    expect(await count('select count(*) as n from resource_endorsement where resource_id = ?', resource.resource.id)).toBe(0);
  });

  it('refuses joinCommunity; no membership stored', async () => {
    const { community } = await retiredWorld();
    const newcomer = await server.factories.member();
    expectReadOnly(await server.gql(JoinCommunityDocument, { input: { communityId: community.id } }, { token: newcomer.token }));
    expect(await count('select count(*) as n from membership where member_id = ?', newcomer.member.id)).toBe(0);
  });

  it('still asks an anonymous writer to sign in (UNAUTHENTICATED)', async () => {
    const { community } = await retiredWorld();
    expectError(await server.gql(StartThreadDocument, { input: { communityId: community.id, title: 'Hi', body: 'Hi' } }), 'UNAUTHENTICATED');
  });

  it('stays readable: its threads and resources', async () => {
    const { community } = await retiredWorld();
    const slug = community.community.slug;
    expect(expectData(await server.gql(CommunityThreadsDocument, { slug })).community!.threads!.totalCount).toBe(1);
    expect(expectData(await server.gql(CommunityResourcesDocument, { slug })).community!.resources!.totalCount).toBe(1);
  });
});

describe('an ACTIVE community still takes writes', () => {
  it('lets a member join, start a thread, reply and share', async () => {
    const community = await server.factories.community();
    const member = await server.factories.member();
    const token = member.token;
    expect(expectData(await server.gql(JoinCommunityDocument, { input: { communityId: community.id } }, { token })).joinCommunity.status).toBe('ACTIVE');
    const input = { communityId: community.id, title: 'Book club', body: 'Monthly?' };
    const { startThread } = expectData(await server.gql(StartThreadDocument, { input }, { token }));
    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: startThread.id, body: 'Yes' } }, { token }));
    const share = { communityId: community.id, title: 'A good read', url: 'https://example.org/read' };
    expectData(await server.gql(ShareResourceDocument, { input: share }, { token }));
  });
});
