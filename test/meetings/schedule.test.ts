import { DateTime } from 'luxon';
import { AnnualMeetingDocument, CommunityMeetingsDocument, MeetingNodeDocument, ScheduleMeetingDocument } from '../generated/graphql';
import { CommunityRole, OrgRole } from '../support/factories';
import { badInputFields, countRows, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { fromGlobalId } from '../../src/shared/ids';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ ORG_TIME_ZONE: 'America/Chicago' });
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const HOUR = 3_600_000;
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();
const dbId = (globalId: string) => fromGlobalId(globalId)!.id;
const meetingsOf = (communityId: string) => countRows(server, 'select count(*) as n from meeting where community_id = ?', dbId(communityId));
const nextYear = DateTime.now().setZone('America/Chicago').year + 1;
/** A local time in Chicago in that year's July, as UTC ISO. */
const julyAt = (day: number, hour = 10, year = nextYear) => DateTime.fromObject({ year, month: 7, day, hour }, { zone: 'America/Chicago' }).toUTC().toISO()!;

async function world(visibility: 'OPEN' | 'RESTRICTED' = 'OPEN') {
  const community = visibility === 'OPEN' ? await server.factories.community() : await server.factories.restrictedCommunity();
  const coordinator = await server.factories.activeMember(community, [CommunityRole.MEETING_COORDINATOR]);
  const member = await server.factories.activeMember(community);
  return { community, coordinator, member };
}

const meetup = (communityId: string, overrides: Record<string, unknown> = {}) => ({
  communityId,
  kind: 'MEETUP' as const,
  title: 'Spring tools meetup',
  startsAt: inHours(48),
  ...overrides,
});

describe('scheduleMeeting refusals', () => {
  it('is refused to anonymous viewers, plain members and monitors, with nothing written', async () => {
    const { community, member } = await world();
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    const outsider = await server.factories.member();
    expectError(await server.gql(ScheduleMeetingDocument, { input: meetup(community.id) }), 'UNAUTHENTICATED');
    for (const token of [member.token, monitor.token, outsider.token]) {
      expectError(await server.gql(ScheduleMeetingDocument, { input: meetup(community.id) }, { token }), 'FORBIDDEN');
    }
    expect(await meetingsOf(community.id)).toBe(0);
  });

  it('refuses an ANNUAL meeting to everyone but staff, outside its July week, and twice in a year', async () => {
    const { community, coordinator } = await world();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const staff = await server.factories.staff();
    const annual = (startsAt: string) => ({ communityId: community.id, kind: 'ANNUAL' as const, title: 'Annual meeting', startsAt });
    for (const token of [coordinator.token, lead.token]) {
      expectError(await server.gql(ScheduleMeetingDocument, { input: annual(julyAt(9)) }, { token }), 'FORBIDDEN');
    }
    for (const day of [7, 15]) {
      const response = await server.gql(ScheduleMeetingDocument, { input: annual(julyAt(day)) }, { token: staff.token });
      expectError(response, 'BAD_USER_INPUT');
      expect(badInputFields(response)).toEqual(['startsAt']);
    }
    // July 14, 23:30 in Chicago is July 15 in UTC: still the second week where the organisation is.
    const lateOnTheFourteenth = DateTime.fromObject({ year: nextYear, month: 7, day: 14, hour: 23, minute: 30 }, { zone: 'America/Chicago' }).toUTC().toISO()!;
    const held = expectData(await server.gql(ScheduleMeetingDocument, { input: annual(lateOnTheFourteenth) }, { token: staff.token })).scheduleMeeting;
    expect(held).toMatchObject({ kind: 'ANNUAL', status: 'SCHEDULED', startsAt: new Date(lateOnTheFourteenth).toISOString() });
    expectError(await server.gql(ScheduleMeetingDocument, { input: annual(julyAt(10)) }, { token: staff.token }), 'CONFLICT');
    expect(await meetingsOf(community.id)).toBe(1);
    const read = expectData(await server.gql(AnnualMeetingDocument, { slug: community.community.slug, year: nextYear })).community!.annualMeeting;
    expect(read?.id).toBe(held.id);
    expect(expectData(await server.gql(AnnualMeetingDocument, { slug: community.community.slug, year: nextYear + 1 })).community!.annualMeeting).toBeNull();
  });

  it('gives concurrent ANNUAL meetings for one year one winner and CONFLICT for the rest', async () => {
    const { community } = await world();
    const staff = await server.factories.staff();
    const input = { communityId: community.id, kind: 'ANNUAL' as const, title: 'Annual meeting', startsAt: julyAt(12) };
    const responses = await Promise.all([1, 2, 3, 4].map(() => server.gql(ScheduleMeetingDocument, { input }, { token: staff.token })));
    expect(responses.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of responses.filter((r) => r.errors)) expectError(r, 'CONFLICT');
    expect(await meetingsOf(community.id)).toBe(1);
  });

  it('refuses bad details field by field, with nothing written', async () => {
    const { community, coordinator } = await world();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ startsAt: inHours(-1) }, ['startsAt']],
      [{ endsAt: inHours(47) }, ['endsAt']],
      [{ endsAt: inHours(48 + 25) }, ['endsAt']],
      [{ timeZone: 'Mars/Olympus' }, ['timeZone']],
      [{ timeZone: '+01:00' }, ['timeZone']],
      [{ url: 'javascript:alert(1)' }, ['url']],
      [{ capacity: 0 }, ['capacity']],
      [{ reminderMinutesBefore: [60, 60] }, ['reminderMinutesBefore']],
      [{ reminderMinutesBefore: [0] }, ['reminderMinutesBefore']],
      [{ title: '   ' }, ['title']],
      [{ title: 'x'.repeat(201) }, ['title']],
    ];
    for (const [overrides, fields] of cases) {
      const response = await server.gql(ScheduleMeetingDocument, { input: meetup(community.id, overrides) }, { token: coordinator.token });
      expectError(response, 'BAD_USER_INPUT');
      expect([...new Set(badInputFields(response))]).toEqual(fields);
    }
    expect(await meetingsOf(community.id)).toBe(0);
  });

  it('refuses scheduling in a retired community', async () => {
    const { community, coordinator } = await world();
    await server.em().execute("update community set status = 'RETIRED' where id = ?", [dbId(community.id)]);
    expectError(await server.gql(ScheduleMeetingDocument, { input: meetup(community.id) }, { token: coordinator.token }), 'FORBIDDEN');
    expect(await meetingsOf(community.id)).toBe(0);
  });
});

describe('scheduleMeeting and reading meetings', () => {
  it('lets coordinators, LEADs and staff schedule, with defaults filled in', async () => {
    const { community, coordinator } = await world();
    const events = await server.factories.activeMember(community, [CommunityRole.EVENT_COORDINATOR]);
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const staff = await server.factories.staff();
    for (const who of [coordinator, events, lead, staff]) {
      const startsAt = inHours(24 * 3);
      const meeting = expectData(await server.gql(ScheduleMeetingDocument, { input: meetup(community.id, { startsAt }) }, { token: who.token })).scheduleMeeting;
      expect(meeting).toMatchObject({
        kind: 'MEETUP',
        status: 'SCHEDULED',
        startsAt,
        endsAt: new Date(Date.parse(startsAt) + HOUR).toISOString(),
        timeZone: 'America/Chicago',
        reminderMinutesBefore: [1440, 60],
        capacity: null,
        community: { id: community.id },
        createdBy: { id: who.id },
      });
    }
    expect(await countRows(server, "select count(*) as n from domain_event where type = 'MeetingScheduled' and payload->>'communityId' = ?", dbId(community.id))).toBe(4);
  });

  it('keeps the given details and lists meetings in time order, upcoming and past apart', async () => {
    const { community, coordinator } = await world();
    const input = meetup(community.id, {
      title: 'Book club: The Overstory',
      kind: 'BOOK_CLUB',
      startsAt: inHours(72),
      endsAt: inHours(73.5),
      timeZone: 'Europe/Paris',
      url: 'https://meet.example.org/book-club',
      venue: 'Main library, room 2',
      capacity: 12,
      reminderMinutesBefore: [30, 2880],
      description: 'Chapters 1–5.\nBring questions.',
    });
    const later = expectData(await server.gql(ScheduleMeetingDocument, { input }, { token: coordinator.token })).scheduleMeeting;
    expect(later).toMatchObject({ kind: 'BOOK_CLUB', timeZone: 'Europe/Paris', capacity: 12, reminderMinutesBefore: [2880, 30], venue: 'Main library, room 2' });
    const sooner = expectData(await server.gql(ScheduleMeetingDocument, { input: meetup(community.id, { startsAt: inHours(5) }) }, { token: coordinator.token })).scheduleMeeting;
    await server.em().execute("update meeting set starts_at = now() - interval '3 hours', ends_at = now() - interval '2 hours', sort_at = now() - interval '3 hours' where id = ?", [dbId(sooner.id)]);
    const slug = community.community.slug;
    const all = expectData(await server.gql(CommunityMeetingsDocument, { slug })).community!.meetings!;
    expect(all.edges.map((e) => e.node.id)).toEqual([sooner.id, later.id]);
    expect(all.totalCount).toBe(2);
    const upcoming = expectData(await server.gql(CommunityMeetingsDocument, { slug, upcoming: true })).community!.meetings!;
    expect(upcoming.edges.map((e) => e.node.id)).toEqual([later.id]);
    expect(upcoming.totalCount).toBe(1);
    const past = expectData(await server.gql(CommunityMeetingsDocument, { slug, upcoming: false })).community!.meetings!;
    expect(past.edges.map((e) => e.node.id)).toEqual([sooner.id]);
    const first = expectData(await server.gql(CommunityMeetingsDocument, { slug, first: 1 })).community!.meetings!;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = expectData(await server.gql(CommunityMeetingsDocument, { slug, first: 1, after: first.pageInfo.endCursor })).community!.meetings!;
    expect(second.edges.map((e) => e.node.id)).toEqual([later.id]);
    expectError(await server.gql(CommunityMeetingsDocument, { slug, first: 101 }), 'BAD_USER_INPUT');
  });

  it("keeps a RESTRICTED community's meetings from non-members on every path", async () => {
    const { community, coordinator, member } = await world('RESTRICTED');
    const meeting = expectData(await server.gql(ScheduleMeetingDocument, { input: meetup(community.id) }, { token: coordinator.token })).scheduleMeeting;
    const outsider = await server.factories.member();
    const staff = await server.factories.member({ orgRole: OrgRole.STAFF });
    const slug = community.community.slug;
    for (const token of [undefined, outsider.token]) {
      expectError(await server.gql(CommunityMeetingsDocument, { slug }, { token }), 'FORBIDDEN');
      expectError(await server.gql(MeetingNodeDocument, { id: meeting.id }, { token }), 'FORBIDDEN');
      expectError(await server.gql(AnnualMeetingDocument, { slug, year: nextYear }, { token }), 'FORBIDDEN');
    }
    for (const token of [member.token, staff.token]) {
      expect(expectData(await server.gql(MeetingNodeDocument, { id: meeting.id }, { token })).node).toMatchObject({ id: meeting.id });
      expect(expectData(await server.gql(CommunityMeetingsDocument, { slug }, { token })).community!.meetings!.totalCount).toBe(1);
    }
  });
});
