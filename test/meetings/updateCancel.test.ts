import { CancelMeetingDocument, UpdateMeetingDocument } from '../generated/graphql';
import { CommunityRole, OrgRole } from '../support/factories';
import { badInputFields, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { toGlobalId } from '../../src/shared/ids';
import { dbId, eventsOf, HOUR, inHours, meetingRow, meetingWorld, scheduleMeetup } from './lifeSupport';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ ORG_TIME_ZONE: 'America/Chicago', EMAIL_DELAY_SECONDS: '3600' });
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const update = (token: string | undefined, input: Record<string, unknown>) => server.gql(UpdateMeetingDocument, { input: input as never }, { token });
const cancel = (token: string | undefined, meetingId: string) => server.gql(CancelMeetingDocument, { meetingId }, { token });

describe('updateMeeting and cancelMeeting refusals', () => {
  it('are refused to anonymous viewers, plain members, monitors and outsiders, with nothing changed', async () => {
    const { community, coordinator, member } = await meetingWorld(server);
    const meeting = await scheduleMeetup(server, community.id, coordinator.token);
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    const outsider = await server.factories.member();
    expectError(await update(undefined, { meetingId: meeting.id, title: 'Hijacked' }), 'UNAUTHENTICATED');
    expectError(await cancel(undefined, meeting.id), 'UNAUTHENTICATED');
    for (const token of [member.token, monitor.token, outsider.token]) {
      expectError(await update(token, { meetingId: meeting.id, title: 'Hijacked' }), 'FORBIDDEN');
      expectError(await cancel(token, meeting.id), 'FORBIDDEN');
    }
    expect(await meetingRow(server, meeting.id)).toMatchObject({ status: 'SCHEDULED', title: 'Spring tools meetup', sequence: 0 });
    expect(await eventsOf(server, 'MeetingUpdated', meeting.id)).toHaveLength(0);
    expect(await eventsOf(server, 'MeetingCancelled', meeting.id)).toHaveLength(0);
  });

  it('tells a malformed ID (BAD_USER_INPUT) from an unknown meeting (NOT_FOUND)', async () => {
    const staff = await server.factories.staff();
    const input = { meetingId: toGlobalId('Community', '00000000-0000-4000-8000-000000000000'), title: 'x' };
    expect(badInputFields(await update(staff.token, input))).toEqual(['meetingId']);
    expect(badInputFields(await cancel(staff.token, input.meetingId))).toEqual(['meetingId']);
    const unknown = toGlobalId('Meeting', '00000000-0000-4000-8000-000000000000');
    expectError(await update(staff.token, { meetingId: unknown, title: 'x' }), 'NOT_FOUND');
    expectError(await cancel(staff.token, unknown), 'NOT_FOUND');
  });

  it('refuses bad details field by field, with nothing changed', async () => {
    const { community, coordinator } = await meetingWorld(server);
    const meeting = await scheduleMeetup(server, community.id, coordinator.token);
    const cases: [Record<string, unknown>, string[]][] = [
      [{ startsAt: inHours(-1) }, ['startsAt']],
      [{ endsAt: inHours(47) }, ['endsAt']],
      [{ startsAt: inHours(10), endsAt: inHours(40) }, ['endsAt']],
      [{ url: 'ftp://files.example.org' }, ['url']],
      [{ reminderMinutesBefore: [30, 30] }, ['reminderMinutesBefore']],
      [{ title: '' }, ['title']],
      [{ title: null }, ['title']],
      [{ startsAt: null }, ['startsAt']],
      [{ timeZone: 'Nowhere/Land' }, ['timeZone']],
      [{ capacity: -3 }, ['capacity']],
    ];
    for (const [overrides, fields] of cases) {
      const response = await update(coordinator.token, { meetingId: meeting.id, ...overrides });
      expectError(response, 'BAD_USER_INPUT');
      expect([...new Set(badInputFields(response))]).toEqual(fields);
    }
    expect(await meetingRow(server, meeting.id)).toMatchObject({ title: 'Spring tools meetup', sequence: 0, starts_at: new Date(meeting.startsAt!) });
    expect(await eventsOf(server, 'MeetingUpdated', meeting.id)).toHaveLength(0);
  });

  it('refuses changing or cancelling a cancelled or held meeting, or cancelling one that is over (CONFLICT)', async () => {
    const { community, coordinator } = await meetingWorld(server);
    const cancelled = await scheduleMeetup(server, community.id, coordinator.token);
    expectData(await cancel(coordinator.token, cancelled.id));
    expectError(await update(coordinator.token, { meetingId: cancelled.id, title: 'Back on' }), 'CONFLICT');
    expectError(await cancel(coordinator.token, cancelled.id), 'CONFLICT');
    const held = await scheduleMeetup(server, community.id, coordinator.token);
    await server.em().execute("update meeting set status = 'HELD' where id = ?", [dbId(held.id)]);
    expectError(await update(coordinator.token, { meetingId: held.id, title: 'Renamed' }), 'CONFLICT');
    expectError(await cancel(coordinator.token, held.id), 'CONFLICT');
    const over = await scheduleMeetup(server, community.id, coordinator.token);
    await server.em().execute("update meeting set starts_at = now() - interval '3 hours', ends_at = now() - interval '2 hours' where id = ?", [dbId(over.id)]);
    expectError(await cancel(coordinator.token, over.id), 'CONFLICT');
    expect(await meetingRow(server, held.id)).toMatchObject({ status: 'HELD', title: 'Spring tools meetup' });
    expect(await meetingRow(server, over.id)).toMatchObject({ status: 'SCHEDULED' });
  });

  it('refuses both in a retired community', async () => {
    const { community, coordinator } = await meetingWorld(server);
    const meeting = await scheduleMeetup(server, community.id, coordinator.token);
    await server.em().execute("update community set status = 'RETIRED' where id = ?", [community.community.id]);
    expectError(await update(coordinator.token, { meetingId: meeting.id, title: 'Renamed' }), 'FORBIDDEN');
    expectError(await cancel(coordinator.token, meeting.id), 'FORBIDDEN');
    expect(await meetingRow(server, meeting.id)).toMatchObject({ status: 'SCHEDULED', title: 'Spring tools meetup' });
  });
});

describe('updateMeeting', () => {
  it('lets event coordinators, LEADs and staff change details; sequence counts changes of time, place and status only', async () => {
    const { community, coordinator } = await meetingWorld(server);
    const events = await server.factories.activeMember(community, [CommunityRole.EVENT_COORDINATOR]);
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const staff = await server.factories.member({ orgRole: OrgRole.STAFF });
    const startsAt = inHours(72);
    const meeting = await scheduleMeetup(server, community.id, coordinator.token, { startsAt, endsAt: new Date(Date.parse(startsAt) + 2 * HOUR).toISOString() });

    const renamed = expectData(await update(events.token, { meetingId: meeting.id, title: '  Tool swap  ', description: 'Bring one tool' })).updateMeeting;
    expect(renamed).toMatchObject({ title: 'Tool swap', description: 'Bring one tool', startsAt });
    expect((await meetingRow(server, meeting.id)).sequence).toBe(0);

    const placed = expectData(await update(lead.token, { meetingId: meeting.id, venue: 'Room 4', url: 'https://meet.example.org/swap' })).updateMeeting;
    expect(placed).toMatchObject({ venue: 'Room 4', url: 'https://meet.example.org/swap' });
    expect((await meetingRow(server, meeting.id)).sequence).toBe(1);

    // Moving the start keeps its length (two hours).
    const later = inHours(96);
    const moved = expectData(await update(staff.token, { meetingId: meeting.id, startsAt: later })).updateMeeting;
    expect(moved).toMatchObject({ startsAt: later, endsAt: new Date(Date.parse(later) + 2 * HOUR).toISOString() });
    expect((await meetingRow(server, meeting.id)).sequence).toBe(2);

    // The same values again: nothing changed, nothing recorded.
    expectData(await update(coordinator.token, { meetingId: meeting.id, title: 'Tool swap', startsAt: later, reminderMinutesBefore: [60, 1440] }));
    expect((await meetingRow(server, meeting.id)).sequence).toBe(2);
    const recorded = await eventsOf(server, 'MeetingUpdated', meeting.id);
    expect(recorded.map((e) => e.payload.changed)).toEqual([['title', 'description'], ['url', 'venue'], ['startsAt', 'endsAt']]);
    expect(recorded[2]!.payload).toMatchObject({ previousStartsAt: startsAt, scheduled: false, communityId: community.community.id, kind: 'MEETUP' });
    expect(recorded.map((e) => e.actor_id)).toEqual([events.member.id, lead.member.id, staff.member.id]);

    // Clearing optional details.
    const cleared = expectData(await update(coordinator.token, { meetingId: meeting.id, venue: null, capacity: null, description: null, reminderMinutesBefore: [30] })).updateMeeting;
    expect(cleared).toMatchObject({ venue: null, capacity: null, description: null, reminderMinutesBefore: [30] });
    expect((await meetingRow(server, meeting.id)).sequence).toBe(3);
  });
});

describe('cancelMeeting', () => {
  it('cancels a meeting: CANCELLED, sequence bumped, MeetingCancelled recorded', async () => {
    const { community, coordinator } = await meetingWorld(server);
    const meeting = await scheduleMeetup(server, community.id, coordinator.token);
    const cancelled = expectData(await cancel(coordinator.token, meeting.id)).cancelMeeting;
    expect(cancelled).toMatchObject({ id: meeting.id, status: 'CANCELLED' });
    const row = await meetingRow(server, meeting.id);
    expect(row.sequence).toBe(1);
    expect(row.cancelled_at).not.toBeNull();
    const [event] = await eventsOf(server, 'MeetingCancelled', meeting.id);
    expect(event).toMatchObject({ actor_id: coordinator.member.id, payload: { communityId: community.community.id, kind: 'MEETUP' } });
  });

  it('gives two concurrent cancellations one winner (the other is CONFLICT)', async () => {
    const { community, coordinator } = await meetingWorld(server);
    const meeting = await scheduleMeetup(server, community.id, coordinator.token);
    const responses = await Promise.all([1, 2, 3].map(() => cancel(coordinator.token, meeting.id)));
    expect(responses.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of responses.filter((r) => r.errors)) expectError(r, 'CONFLICT');
    expect(await eventsOf(server, 'MeetingCancelled', meeting.id)).toHaveLength(1);
    expect((await meetingRow(server, meeting.id)).sequence).toBe(1);
  });
});
