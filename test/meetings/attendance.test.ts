import { DateTime } from 'luxon';
import { CommunityHealthMeetingsDocument, MeetingAnswersDocument, RecordAttendanceDocument, RsvpDocument, ScheduleMeetingDocument } from '../generated/graphql';
import { CommunityRole } from '../support/factories';
import { badInputFields, countRows, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { toGlobalId } from '../../src/shared/ids';
import { dbId, eventCount, meetingWorld, startedAgo } from './attendSupport';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ ORG_TIME_ZONE: 'America/Chicago' });
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const record = (token: string | undefined, meetingId: string, memberIds: string[]) => server.gql(RecordAttendanceDocument, { input: { meetingId, memberIds } }, { token });
const attendanceRows = (meetingId: string) => countRows(server, 'select count(*) as n from meeting_attendance where meeting_id = ?', dbId(meetingId));

describe('recordAttendance refusals', () => {
  it("is for the meeting's organisers only, the annual meeting's for staff only", async () => {
    const world = await meetingWorld(server);
    const [member] = await world.members(1);
    const monitor = await server.factories.activeMember(world.community, [CommunityRole.DISCUSSION_MONITOR]);
    const meeting = await world.meeting();
    await startedAgo(server, meeting.id);
    expectError(await record(undefined, meeting.id, [member!.id]), 'UNAUTHENTICATED');
    for (const who of [member!, monitor, await server.factories.member()]) expectError(await record(who.token, meeting.id, [member!.id]), 'FORBIDDEN');
    const staff = await server.factories.staff();
    const year = DateTime.now().setZone('America/Chicago').year + 1;
    const startsAt = DateTime.fromObject({ year, month: 7, day: 9, hour: 10 }, { zone: 'America/Chicago' }).toUTC().toISO()!;
    const annual = expectData(await server.gql(ScheduleMeetingDocument, { input: { communityId: world.community.id, kind: 'ANNUAL', title: 'Annual meeting', startsAt } }, { token: staff.token })).scheduleMeeting;
    await startedAgo(server, annual.id);
    expectError(await record(world.coordinator.token, annual.id, [member!.id]), 'FORBIDDEN');
    expect(await attendanceRows(meeting.id)).toBe(0);
    expect(await attendanceRows(annual.id)).toBe(0);
    expectData(await record(staff.token, annual.id, [member!.id]));
  });

  it('is CONFLICT before the meeting starts and once it is cancelled', async () => {
    const world = await meetingWorld(server);
    const [member] = await world.members(1);
    const ahead = await world.meeting();
    expectError(await record(world.coordinator.token, ahead.id, [member!.id]), 'CONFLICT');
    const cancelled = await world.meeting();
    await startedAgo(server, cancelled.id);
    await server.em().execute("update meeting set status = 'CANCELLED' where id = ?", [dbId(cancelled.id)]);
    expectError(await record(world.coordinator.token, cancelled.id, [member!.id]), 'CONFLICT');
    expect(await attendanceRows(ahead.id)).toBe(0);
    expect(await attendanceRows(cancelled.id)).toBe(0);
  });

  it('refuses attendees who are not ACTIVE members (outsiders, leavers, bad IDs) on memberIds, with nothing written', async () => {
    const world = await meetingWorld(server);
    const [member, leaver] = await world.members(2);
    await server.em().execute("update membership set status = 'LEFT' where member_id = ?", [leaver!.member.id]);
    const outsider = await server.factories.member();
    const meeting = await world.meeting();
    await startedAgo(server, meeting.id);
    for (const ids of [[member!.id, outsider.id], [leaver!.id], [world.community.id], [toGlobalId('Member', '00000000-0000-4000-8000-000000000000')]]) {
      expect(badInputFields(await record(world.coordinator.token, meeting.id, ids))).toEqual(['memberIds']);
    }
    expect(await attendanceRows(meeting.id)).toBe(0);
    expect((expectData(await server.gql(MeetingAnswersDocument, { id: meeting.id }, { token: member!.token })).node as { status: string }).status).toBe('SCHEDULED');
  });
});

describe('recordAttendance', () => {
  it('records who attended, replacing the set each time; the meeting is HELD and its attendees are those who came', async () => {
    const world = await meetingWorld(server);
    const [a, b, c] = await world.members(3);
    const meeting = await world.meeting();
    for (const member of [a, b]) expectData(await server.gql(RsvpDocument, { input: { meetingId: meeting.id, status: 'GOING' } }, { token: member!.token }));
    await startedAgo(server, meeting.id);
    const held = expectData(await record(world.coordinator.token, meeting.id, [a!.id, c!.id, a!.id])).recordAttendance;
    expect(held).toMatchObject({ status: 'HELD', goingCount: 2 });
    const read = async () =>
      (expectData(await server.gql(MeetingAnswersDocument, { id: meeting.id }, { token: b!.token })).node as { attendees: { totalCount: number; edges: { attended: boolean; node: { id: string } }[] } })
        .attendees;
    const first = await read();
    expect(first.totalCount).toBe(2);
    expect(first.edges.map((e) => e.node.id).sort()).toEqual([a!.id, c!.id].sort());
    expect(first.edges.every((e) => e.attended)).toBe(true);
    // Recorded again (b came after all, c did not): replaced, not added to.
    expectData(await record(world.coordinator.token, meeting.id, [a!.id, b!.id]));
    expect((await read()).edges.map((e) => e.node.id).sort()).toEqual([a!.id, b!.id].sort());
    expect(await eventCount(server, 'AttendanceRecorded', meeting.id)).toBe(2);
    // Held: answers are closed.
    expectError(await server.gql(RsvpDocument, { input: { meetingId: meeting.id, status: 'NOT_GOING' } }, { token: a!.token }), 'CONFLICT');
    // Nobody came: an empty set is a record too.
    expectData(await record(world.coordinator.token, meeting.id, []));
    expect(await attendanceRows(meeting.id)).toBe(0);
  });
});

describe('Community.health meetings', () => {
  it('counts meetings held in the period and their average attendance; attendees are active members', async () => {
    const world = await meetingWorld(server);
    const members = await world.members(4);
    const [a, b, c, d] = members;
    const health = async (days: number) => expectData(await server.gql(CommunityHealthMeetingsDocument, { slug: world.community.community.slug, days }, { token: a!.token })).community!.health!;
    expect(await health(30)).toEqual({ periodDays: 30, activeMembers: 0, meetingsHeld: 0, meetingAttendance: null });

    const heldRecently = await world.meeting();
    await startedAgo(server, heldRecently.id, 2);
    expectData(await record(world.coordinator.token, heldRecently.id, [a!.id, b!.id]));
    const heldLastWeek = await world.meeting();
    await startedAgo(server, heldLastWeek.id, 24 * 6);
    expectData(await record(world.coordinator.token, heldLastWeek.id, [a!.id, c!.id, d!.id]));
    // Over but nobody recorded attendance: not held.
    const notRecorded = await world.meeting();
    await startedAgo(server, notRecorded.id, 5);
    // Held long ago: outside a 30-day period.
    const old = await world.meeting();
    await startedAgo(server, old.id, 24 * 40);
    expectData(await record(world.coordinator.token, old.id, members.map((m) => m.id)));

    expect(await health(30)).toEqual({ periodDays: 30, activeMembers: 4, meetingsHeld: 2, meetingAttendance: 2.5 });
    expect(await health(3)).toEqual({ periodDays: 3, activeMembers: 2, meetingsHeld: 1, meetingAttendance: 2 });
    expect(await health(90)).toMatchObject({ meetingsHeld: 3, meetingAttendance: 3 });
  });
});
