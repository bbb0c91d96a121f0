import { LogInDocument, SignUpDocument, UpdateProfileDocument } from '../generated/graphql';
import { startTestServer, type TestServer, badInputFields as fieldsOf } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

// PostgreSQL text cannot hold NUL: it must be refused at the boundary, never reach the database as an internal error.
describe('control characters in member text', () => {
  it('signUp refuses a NUL in the display name as BAD_USER_INPUT on displayName, no account created', async () => {
    const email = `nul-${Date.now()}@example.org`;
    const input = { email, password: 'long enough password', displayName: 'Ada\u0000Lovelace' };
    expect(fieldsOf(await server.gql(SignUpDocument, { input }))).toEqual(['displayName']);
    const [row] = await server.em().execute<{ n: string }[]>('select count(*) as n from member where email_key = ?', [email]);
    expect(Number(row!.n)).toBe(0);
    expect(server.unexpectedErrors).toEqual([]);
  });

  it('logIn refuses a NUL in the email as BAD_USER_INPUT on email', async () => {
    const member = await server.factories.member();
    const input = { email: `${member.email}\u0000`, password: 'whatever it is' };
    expect(fieldsOf(await server.gql(LogInDocument, { input }))).toEqual(['email']);
    expect(server.unexpectedErrors).toEqual([]);
  });

  it.each([
    ['a NUL in the display name', { displayName: 'Ada\u0000' }, 'displayName'],
    ['a NUL in the bio', { bio: 'School\u0000librarian' }, 'bio'],
    ['a NUL in an expertise', { expertise: ['ok', 'e\u0000books'] }, 'expertise'],
    ['a backspace in the bio', { bio: 'oops\u0008' }, 'bio'],
  ])('updateProfile refuses %s as BAD_USER_INPUT on that field, the profile is unchanged', async (_name, input, field) => {
    const member = await server.factories.member({ displayName: 'Ada', bio: 'Before', expertise: ['before'] });
    expect(fieldsOf(await server.gql(UpdateProfileDocument, { input }, { token: member.token }))).toEqual([field]);
    const [row] = await server.em().execute<{ display_name: string; bio: string; expertise: string[] }[]>(
      'select display_name, bio, expertise from member where id = ?',
      [member.member.id],
    );
    expect(row).toEqual({ display_name: 'Ada', bio: 'Before', expertise: ['before'] });
    expect(server.unexpectedErrors).toEqual([]);
  });

  it.each([
    ['a right-to-left override (U+202E)', 'Ada\u202Egnp.exe'],
    ['a left-to-right isolate (U+2066)', 'Ada\u2066x'],
    ['a C1 control (U+0085)', 'Ada\u0085Lovelace'],
    ['a lone surrogate', 'Ada\uD800'],
  ])('refuses %s in a display name, at sign-up and in updateProfile', async (_name, displayName) => {
    const email = `name-${Date.now()}-${Math.random().toString(36).slice(2)}@example.org`;
    expect(fieldsOf(await server.gql(SignUpDocument, { input: { email, password: 'long enough password', displayName } }))).toEqual(['displayName']);
    const member = await server.factories.member({ displayName: 'Ada' });
    expect(fieldsOf(await server.gql(UpdateProfileDocument, { input: { displayName } }, { token: member.token }))).toEqual(['displayName']);
    const [row] = await server.em().execute<{ display_name: string }[]>('select display_name from member where id = ?', [member.member.id]);
    expect(row!.display_name).toBe('Ada');
    expect(server.unexpectedErrors).toEqual([]);
  });

  it('keeps bidirectional and C1 characters in free text as typed (stored and answered alike), and refuses a lone surrogate there', async () => {
    const member = await server.factories.member();
    const bio = 'Arabic and English: \u202Bمرحبا\u202C, then \u0085 a next-line';
    const updated = await server.gql(UpdateProfileDocument, { input: { bio } }, { token: member.token });
    expect(updated.errors).toBeUndefined();
    expect(updated.data?.updateProfile.bio).toBe(bio);
    const [row] = await server.em().execute<{ bio: string }[]>('select bio from member where id = ?', [member.member.id]);
    expect(row!.bio).toBe(bio);
    // A lone surrogate would be stored as U+FFFD while the answer echoed it: refused instead.
    expect(fieldsOf(await server.gql(UpdateProfileDocument, { input: { bio: 'broken \uDC00 text' } }, { token: member.token }))).toEqual(['bio']);
    const [after] = await server.em().execute<{ bio: string }[]>('select bio from member where id = ?', [member.member.id]);
    expect(after!.bio).toBe(bio);
  });
});
