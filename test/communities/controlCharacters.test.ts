import { CommunitiesDocument, CommunityDocument, CreateCommunityDocument, type CommunityVisibility } from '../generated/graphql';
import { expectData, startTestServer, type TestServer, badInputFields as fieldsOf } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

let sequence = 0;

// PostgreSQL text cannot hold NUL: it must be refused at the boundary, never reach the database as an internal error.
describe('control characters in community text', () => {
  it.each([
    ['a NUL in the name', { name: 'Book\u0000club' }, 'name'],
    ['a NUL in the description', { description: 'For\u0000readers' }, 'description'],
    ['a NUL in a topic', { topics: ['reading', 'book\u0000s'] }, 'topics'],
    ['a NUL in the membership rationale', { visibility: 'RESTRICTED' as CommunityVisibility, membershipRationale: 'Student\u0000data' }, 'membershipRationale'],
  ])('createCommunity refuses %s as BAD_USER_INPUT on that field, nothing stored', async (_name, overrides, field) => {
    const staff = await server.factories.staff();
    const slug = `nul-test-${Date.now()}-${sequence++}`;
    const input = { name: 'Book club', slug, description: 'For readers', ...overrides };
    expect(fieldsOf(await server.gql(CreateCommunityDocument, { input }, { token: staff.token }))).toEqual([field]);
    const [row] = await server.em().execute<{ n: string }[]>('select count(*) as n from community where slug = ?', [slug]);
    expect(Number(row!.n)).toBe(0);
    expect(server.unexpectedErrors).toEqual([]);
  });

  it.each([
    ['search', { search: 'book\u0000club' }],
    ['topic', { topic: 'read\u0000ing' }],
  ])('communities refuses a NUL in %s as BAD_USER_INPUT on that argument', async (field, args) => {
    expect(fieldsOf(await server.gql(CommunitiesDocument, args))).toEqual([field]);
    expect(server.unexpectedErrors).toEqual([]);
  });

  it('communities refuses a crafted cursor holding a NUL as BAD_USER_INPUT on after', async () => {
    const after = Buffer.from(JSON.stringify(['Book\u0000club', '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    expect(fieldsOf(await server.gql(CommunitiesDocument, { after }))).toEqual(['after']);
    expect(server.unexpectedErrors).toEqual([]);
  });

  it('community(slug) refuses a NUL in the slug as BAD_USER_INPUT on slug; a plain unknown slug is still null', async () => {
    expect(fieldsOf(await server.gql(CommunityDocument, { slug: 'book\u0000club' }))).toEqual(['slug']);
    expect(expectData(await server.gql(CommunityDocument, { slug: 'no-such-community' })).community).toBeNull();
    expect(server.unexpectedErrors).toEqual([]);
  });
});
