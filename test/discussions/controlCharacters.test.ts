import { EditPostDocument, ReplyToThreadDocument, StartThreadDocument } from '../generated/graphql';
import { expectData, startTestServer, type TestServer, badInputFields as fieldsOf, countRows } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const count = (sql: string, id: string) => countRows(server, sql, id);

// PostgreSQL text cannot hold NUL: it must be refused at the boundary, never reach the database as an internal error.
describe('control characters in discussion text', () => {
  it.each([
    ['a NUL in the title', { title: 'Book\u0000club' }, 'title'],
    ['a NUL in the body', { body: 'We meet\u0000monthly' }, 'body'],
    ['a NUL in a tag', { tags: ['ok', 'rea\u0000ding'] }, 'tags'],
    ['an escape character in the title', { title: 'Bell\u001b[1m' }, 'title'],
  ])('startThread refuses %s as BAD_USER_INPUT on that field, nothing stored', async (_name, overrides, field) => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    const input = { communityId: community.id, title: 'Book club', body: 'We meet monthly', ...overrides };
    expect(fieldsOf(await server.gql(StartThreadDocument, { input }, { token: member.token }))).toEqual([field]);
    expect(await count('select count(*) as n from thread where community_id = ?', community.community.id)).toBe(0);
    expect(server.unexpectedErrors).toEqual([]);
  });

  it('replyToThread refuses a NUL in the body as BAD_USER_INPUT on body, nothing stored', async () => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, member);
    const input = { threadId: thread.id, body: 'Agreed\u0000!' };
    expect(fieldsOf(await server.gql(ReplyToThreadDocument, { input }, { token: member.token }))).toEqual(['body']);
    expect(await count('select count(*) as n from post where thread_id = ?', thread.thread.id)).toBe(0);
    expect(server.unexpectedErrors).toEqual([]);
  });

  it('editPost refuses a NUL in the body as BAD_USER_INPUT on body, the post is unchanged', async () => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, member);
    const post = await server.factories.post(thread, member, { body: 'First version' });
    const input = { postId: post.id, body: 'Second\u0000version' };
    expect(fieldsOf(await server.gql(EditPostDocument, { input }, { token: member.token }))).toEqual(['body']);
    const [row] = await server.em().execute<{ body: string }[]>('select body from post where id = ?', [post.post.id]);
    expect(row!.body).toBe('First version');
    expect(server.unexpectedErrors).toEqual([]);
  });

  it('keeps line breaks and tabs in a body', async () => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    const input = { communityId: community.id, title: 'Book club', body: 'Step 1\r\n\tStep 2' };
    const { startThread } = expectData(await server.gql(StartThreadDocument, { input }, { token: member.token }));
    expect(startThread.body).toBe('Step 1\r\n\tStep 2');
  });
});
