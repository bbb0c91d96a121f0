import { SignJWT } from 'jose';
import { LogInDocument, SetOrgRoleDocument, SignUpDocument, UpdateProfileDocument, ViewerDocument } from '../generated/graphql';
import { expectData, expectError, startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/server';
import { FACTORY_PASSWORD, OrgRole } from '../support/factories';
import { Member } from '../../src/modules/members/member.entity';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ BOOTSTRAP_STAFF_EMAILS: 'Boss@Association.org, other@association.org' });
});
afterAll(() => server.close());

const signUpInput = (overrides: Partial<{ email: string; password: string; displayName: string }> = {}) => ({
  email: `new-${Math.random().toString(36).slice(2)}@example.org`,
  password: 'a long enough password',
  displayName: 'Nadia Librarian',
  ...overrides,
});

describe('signUp', () => {
  it('creates a member, returns a working token and shows the member their own email', async () => {
    const input = signUpInput();
    const { signUp } = expectData(await server.gql(SignUpDocument, { input }));
    expect(signUp.member).toMatchObject({ displayName: 'Nadia Librarian', orgRole: 'MEMBER', email: input.email, expertise: [] });
    const { viewer } = expectData(await server.gql(ViewerDocument, {}, { token: signUp.token }));
    expect(viewer?.id).toBe(signUp.member.id);
    expect(viewer?.email).toBe(input.email);
  });

  it('refuses a second account for the same email in any letter case', async () => {
    const input = signUpInput({ email: 'Case.Test@Example.org' });
    expectData(await server.gql(SignUpDocument, { input }));
    const again = await server.gql(SignUpDocument, { input: { ...input, email: 'case.test@EXAMPLE.org' } });
    expectError(again, 'CONFLICT');
    expect(again.data).toBeNull();
  });

  it('rejects bad input with field errors and creates nothing', async () => {
    const response = await server.gql(SignUpDocument, { input: { email: 'not-an-email', password: 'short', displayName: '  ' } });
    const error = expectError(response, 'BAD_USER_INPUT');
    const fields = (error.extensions?.fieldErrors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'password', 'displayName']));
    expect(await server.em().count(Member, { emailKey: 'not-an-email' })).toBe(0);
  });

  it('requires a password of at least 10 characters', async () => {
    const response = await server.gql(SignUpDocument, { input: signUpInput({ password: '123456789' }) });
    const error = expectError(response, 'BAD_USER_INPUT');
    expect(error.extensions?.fieldErrors).toEqual([expect.objectContaining({ field: 'password' })]);
    expectData(await server.gql(SignUpDocument, { input: signUpInput({ password: '1234567890' }) }));
  });

  it('stores a memory-hard hash, never the password', async () => {
    const input = signUpInput();
    expectData(await server.gql(SignUpDocument, { input }));
    const [row] = await server.em().execute<{ password_hash: string }[]>('select password_hash from member where email_key = ?', [input.email]);
    expect(row!.password_hash).toMatch(/^scrypt\$/);
    expect(row!.password_hash).not.toContain(input.password);
  });

  it('makes BOOTSTRAP_STAFF_EMAILS accounts staff, whatever the case', async () => {
    const { signUp } = expectData(await server.gql(SignUpDocument, { input: signUpInput({ email: 'boss@ASSOCIATION.org' }) }));
    expect(signUp.member.orgRole).toBe('STAFF');
  });
});

describe('logIn', () => {
  it('signs in with the right password, email in any case', async () => {
    const built = await server.factories.member({ email: 'Login.Me@example.org' });
    const { logIn } = expectData(await server.gql(LogInDocument, { input: { email: 'login.me@EXAMPLE.org', password: FACTORY_PASSWORD } }));
    expect(logIn.member.id).toBe(built.id);
    const { viewer } = expectData(await server.gql(ViewerDocument, {}, { token: logIn.token }));
    expect(viewer?.id).toBe(built.id);
  });

  it('gives the same UNAUTHENTICATED answer for a wrong password and an unknown email', async () => {
    const built = await server.factories.member();
    const wrong = expectError(await server.gql(LogInDocument, { input: { email: built.email, password: 'wrong password!' } }), 'UNAUTHENTICATED');
    const unknown = expectError(await server.gql(LogInDocument, { input: { email: 'nobody@example.org', password: 'whatever-123' } }), 'UNAUTHENTICATED');
    expect(wrong.message).toBe(unknown.message);
  });
});

describe('tokens', () => {
  it('treats no token as anonymous', async () => {
    expect(expectData(await server.gql(ViewerDocument, {})).viewer).toBeNull();
  });

  it.each([
    ['garbage', 'Bearer not-a-jwt'],
    ['wrong scheme', 'Basic abc'],
  ])('refuses an invalid token (%s) as UNAUTHENTICATED, never anonymous', async (_name, header) => {
    const response = await server.gql(ViewerDocument, {}, { headers: { authorization: header } });
    expect(response.status).toBe(401);
    expectError(response, 'UNAUTHENTICATED');
    expect(response.data ?? null).toBeNull();
  });

  it('refuses an expired token and one signed with another key', async () => {
    const built = await server.factories.member();
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(built.member.id)
      .setIssuer('practicehub')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    expect(expectError(await server.gql(ViewerDocument, {}, { token: expired }), 'UNAUTHENTICATED').message).toMatch(/expired/i);
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(built.member.id)
      .setIssuer('practicehub')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-another-secret-another-secret'));
    expectError(await server.gql(ViewerDocument, {}, { token: forged }), 'UNAUTHENTICATED');
  });

  /** A token signed with the server's own key, shaped by `build` (the claims a well-formed token has, then changed). */
  const signed = (build: (jwt: SignJWT) => SignJWT) =>
    build(new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('practicehub').setIssuedAt()).sign(new TextEncoder().encode(TEST_JWT_SECRET));

  it('accepts a token signed with its key that has a member id and an expiry', async () => {
    const built = await server.factories.member();
    const token = await signed((jwt) => jwt.setSubject(built.member.id).setExpirationTime('1h'));
    expect(expectData(await server.gql(ViewerDocument, {}, { token })).viewer).toMatchObject({ id: built.id });
  });

  it.each([
    ['a sub that is not a UUID', (jwt: SignJWT) => jwt.setSubject('not-a-uuid').setExpirationTime('1h')],
    ['a sub in capitals', (jwt: SignJWT) => jwt.setSubject('0000000A-0000-4000-8000-000000000000').setExpirationTime('1h')],
    ['no sub', (jwt: SignJWT) => jwt.setExpirationTime('1h')],
    // The member is real: only the missing expiry can be why it is refused.
    ['no exp', (jwt: SignJWT, memberId: string) => jwt.setSubject(memberId)],
  ])('refuses a validly signed token with %s as UNAUTHENTICATED (401), nothing logged as unexpected', async (_name, build) => {
    const { member } = await server.factories.member();
    const response = await server.gql(ViewerDocument, {}, { token: await signed((jwt) => build(jwt, member.id)) });
    expect(response.status).toBe(401);
    expect(expectError(response, 'UNAUTHENTICATED').message).toBe('Invalid token');
    expect(response.data ?? null).toBeNull();
    expect(server.unexpectedErrors).toEqual([]);
  });
});

describe('updateProfile', () => {
  it('needs a signed-in member', async () => {
    expectError(await server.gql(UpdateProfileDocument, { input: { bio: 'hi' } }), 'UNAUTHENTICATED');
  });

  it('updates display name, bio and expertise (trimmed, de-duplicated)', async () => {
    const built = await server.factories.member();
    const { updateProfile } = expectData(
      await server.gql(
        UpdateProfileDocument,
        { input: { displayName: ' Ada ', bio: 'School librarian in Leeds', expertise: ['Picture books', 'picture books ', 'OER'] } },
        { token: built.token },
      ),
    );
    expect(updateProfile).toMatchObject({ id: built.id, displayName: 'Ada', bio: 'School librarian in Leeds', expertise: ['Picture books', 'OER'] });
    const { viewer } = expectData(await server.gql(ViewerDocument, {}, { token: built.token }));
    expect(viewer?.expertise).toEqual(['Picture books', 'OER']);
  });

  it('rejects too many expertise entries', async () => {
    const built = await server.factories.member();
    const expertise = Array.from({ length: 21 }, (_, i) => `topic ${i}`);
    expectError(await server.gql(UpdateProfileDocument, { input: { expertise } }, { token: built.token }), 'BAD_USER_INPUT');
  });
});

describe('setOrgRole', () => {
  it('is refused to anonymous viewers and to non-staff', async () => {
    const target = await server.factories.member();
    expectError(await server.gql(SetOrgRoleDocument, { input: { memberId: target.id, role: 'BOARD' } }), 'UNAUTHENTICATED');
    const board = await server.factories.member({ orgRole: OrgRole.BOARD });
    expectError(await server.gql(SetOrgRoleDocument, { input: { memberId: target.id, role: 'STAFF' } }, { token: board.token }), 'FORBIDDEN');
  });

  it('lets staff change a member\'s role, but not demote themselves', async () => {
    const staff = await server.factories.staff();
    const target = await server.factories.member();
    const { setOrgRole } = expectData(await server.gql(SetOrgRoleDocument, { input: { memberId: target.id, role: 'BOARD' } }, { token: staff.token }));
    expect(setOrgRole.orgRole).toBe('BOARD');
    expectError(await server.gql(SetOrgRoleDocument, { input: { memberId: staff.id, role: 'MEMBER' } }, { token: staff.token }), 'FORBIDDEN');
  });

  it('rejects an ID that is not a member', async () => {
    const staff = await server.factories.staff();
    const response = await server.gql(SetOrgRoleDocument, { input: { memberId: 'nonsense', role: 'BOARD' } }, { token: staff.token });
    expect(expectError(response, 'BAD_USER_INPUT').extensions?.fieldErrors).toEqual([expect.objectContaining({ field: 'memberId' })]);
  });
});

describe('rate limiting', () => {
  it('limits failed log-ins per account and IP', async () => {
    const limited = await startTestServer({ AUTH_MAX_ATTEMPTS: '3' });
    try {
      const built = await limited.factories.member();
      for (let i = 0; i < 3; i++) {
        expectError(await limited.gql(LogInDocument, { input: { email: built.email, password: 'wrong password' } }), 'UNAUTHENTICATED');
      }
      const blocked = await limited.gql(LogInDocument, { input: { email: built.email, password: FACTORY_PASSWORD } });
      expect(blocked.status).toBe(429);
      expectError(blocked, 'RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});
