import { MemberSettingsDocument, UpdateNotificationSettingsDocument, ViewerSettingsDocument } from '../generated/graphql';
import { badInputFields, expectData, expectError, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ ORG_TIME_ZONE: 'Europe/Oslo' });
});
afterAll(() => server.close());

const stored = async (memberId: string) =>
  (await server.em().execute<{ time_zone: string | null; email_notifications: string }[]>('select time_zone, email_notifications::text as email_notifications from member where id = ?', [memberId]))[0]!;

describe('Member.timeZone and emailNotifications', () => {
  it('default to the organisation’s time zone and WHEN_AWAY', async () => {
    const member = await server.factories.member();
    expect(expectData(await server.gql(ViewerSettingsDocument, {}, { token: member.token })).viewer).toEqual({
      id: member.id,
      timeZone: 'Europe/Oslo',
      emailNotifications: 'WHEN_AWAY',
    });
  });

  it('are the member themself’s only: FORBIDDEN to anonymous readers, other members and staff', async () => {
    const member = await server.factories.member();
    const other = await server.factories.member();
    const staff = await server.factories.staff();
    expectError(await server.gql(MemberSettingsDocument, { id: member.id }), 'FORBIDDEN');
    expectError(await server.gql(MemberSettingsDocument, { id: member.id }, { token: other.token }), 'FORBIDDEN');
    expectError(await server.gql(MemberSettingsDocument, { id: member.id }, { token: staff.token }), 'FORBIDDEN');
    expect(expectData(await server.gql(MemberSettingsDocument, { id: member.id }, { token: member.token })).node).toMatchObject({ timeZone: 'Europe/Oslo' });
  });
});

describe('updateProfile(timeZone, emailNotifications)', () => {
  it('is UNAUTHENTICATED when anonymous', async () => {
    expectError(await server.gql(UpdateNotificationSettingsDocument, { input: { timeZone: 'Asia/Tokyo' } }), 'UNAUTHENTICATED');
  });

  it('stores an IANA zone and the email choice; null goes back to the organisation’s zone', async () => {
    const member = await server.factories.member();
    const updated = expectData(
      await server.gql(UpdateNotificationSettingsDocument, { input: { timeZone: 'America/Argentina/Buenos_Aires', emailNotifications: 'NEVER' } }, { token: member.token }),
    );
    expect(updated.updateProfile).toEqual({ id: member.id, timeZone: 'America/Argentina/Buenos_Aires', emailNotifications: 'NEVER' });
    expect(await stored(member.member.id)).toEqual({ time_zone: 'America/Argentina/Buenos_Aires', email_notifications: 'NEVER' });
    const reset = expectData(await server.gql(UpdateNotificationSettingsDocument, { input: { timeZone: null } }, { token: member.token }));
    expect(reset.updateProfile).toMatchObject({ timeZone: 'Europe/Oslo', emailNotifications: 'NEVER' });
    expect(await stored(member.member.id)).toEqual({ time_zone: null, email_notifications: 'NEVER' });
  });

  it.each([['Mars/Olympus_Mons'], ['+01:00'], ['UTC+1'], [''], ['Europe/Oslo\u0000'], ['../etc/passwd'], ['x'.repeat(100)]])(
    'refuses %j as BAD_USER_INPUT on timeZone and changes nothing',
    async (timeZone) => {
      const member = await server.factories.member();
      const response = await server.gql(UpdateNotificationSettingsDocument, { input: { timeZone, emailNotifications: 'ALWAYS' } }, { token: member.token });
      expect(badInputFields(response)).toEqual(['timeZone']);
      expect(await stored(member.member.id)).toEqual({ time_zone: null, email_notifications: 'WHEN_AWAY' });
      expect(server.unexpectedErrors).toEqual([]);
    },
  );

  it('refuses an unknown emailNotifications value (GraphQL validation), changing nothing', async () => {
    const member = await server.factories.member();
    const response = await server.raw(
      { query: 'mutation { updateProfile(input: { timeZone: "Asia/Tokyo", emailNotifications: SOMETIMES }) { id } }' },
      { token: member.token },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await stored(member.member.id)).toEqual({ time_zone: null, email_notifications: 'WHEN_AWAY' });
  });
});
