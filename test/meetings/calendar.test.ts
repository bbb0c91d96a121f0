import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { CalendarFeedUrlDocument, MeetingCountsDocument, MemberCalendarFeedUrlDocument, ResetCalendarFeedDocument, RsvpDocument } from '../generated/graphql';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';
import type { BuiltMember } from '../support/factories';
import { dbId, meetingWorld, startedAgo } from './attendSupport';

const PUBLIC_URL = 'https://hub.example.org';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ PUBLIC_URL, ORG_TIME_ZONE: 'America/Chicago' });
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

/** Fetches a PUBLIC_URL link from the test server. */
async function fetchIcs(url: string, init: RequestInit = {}) {
  expect(url.startsWith(PUBLIC_URL)).toBe(true);
  const response = await fetch(server.app.url + url.slice(PUBLIC_URL.length), init);
  return { status: response.status, type: response.headers.get('content-type'), cache: response.headers.get('cache-control'), body: await response.text() };
}
const icsUrlOf = async (meetingId: string, token?: string) => (expectData(await server.gql(MeetingCountsDocument, { id: meetingId }, { token })).node as { icsUrl: string }).icsUrl;
const feedUrlOf = async (member: BuiltMember) => expectData(await server.gql(CalendarFeedUrlDocument, {}, { token: member.token })).viewer!.calendarFeedUrl!;
const events = (body: string) => ICAL.Component.fromString(body).getAllSubcomponents('vevent');
const uidsOf = (body: string) => events(body).map((event) => event.getFirstPropertyValue('uid'));

/** A refusal: 403 and nothing of the calendar. */
async function expectRefused(url: string) {
  const response = await fetchIcs(url);
  expect(response.status).toBe(403);
  expect(response.body).not.toContain('BEGIN:VCALENDAR');
}

describe('a meeting’s iCalendar file', () => {
  it('is a valid RFC 5545 VCALENDAR with one VEVENT, a stable UID and the meeting’s SEQUENCE, public for an OPEN community', async () => {
    const world = await meetingWorld(server);
    const startsAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 48 * 3_600_000);
    const meeting = await world.meeting({
      title: 'Tools, tips; and tricks, part 1',
      description: 'Line one\nLine two, with a comma; a semicolon and a backslash \\ — and “quotes” ✨ ' + 'long '.repeat(30),
      venue: 'Room 4, Main St; 2nd floor',
      url: 'https://meet.example.org/room?a=1,2',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 90 * 60_000).toISOString(),
    });
    const url = await icsUrlOf(meeting.id);
    expect(url).toBe(`${PUBLIC_URL}/calendar/meetings/${meeting.id}.ics`);
    const first = await fetchIcs(url);
    expect(first.status).toBe(200);
    expect(first.type).toBe('text/calendar; charset=utf-8; method=PUBLISH');
    const raw = first.body;
    // CRLF everywhere; no physical line over 75 octets; TEXT escaped.
    expect(raw.split('\r\n').every((line) => !line.includes('\n'))).toBe(true);
    expect(Math.max(...raw.split('\r\n').map((line) => Buffer.byteLength(line)))).toBeLessThanOrEqual(75);
    const unfolded = raw.replace(/\r\n /g, '');
    expect(unfolded).toContain('SUMMARY:Tools\\, tips\\; and tricks\\, part 1\r\n');
    expect(unfolded).toContain('LOCATION:Room 4\\, Main St\\; 2nd floor\r\n');
    expect(unfolded).toContain('DESCRIPTION:Line one\\nLine two\\, with a comma\\; a semicolon and a backslash \\\\ —');
    expect(unfolded).toContain('METHOD:PUBLISH\r\n');
    expect(unfolded).toContain('VERSION:2.0\r\n');

    const calendar = ICAL.Component.fromString(raw);
    expect(calendar.name).toBe('vcalendar');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//PracticeHub//Meetings//EN');
    const [event] = events(raw);
    expect(events(raw)).toHaveLength(1);
    expect(event!.getFirstPropertyValue('uid')).toBe(`${dbId(meeting.id)}@hub.example.org`);
    expect(event!.getFirstPropertyValue('sequence')).toBe(0);
    expect(event!.getFirstPropertyValue('summary')).toBe('Tools, tips; and tricks, part 1');
    expect(event!.getFirstPropertyValue('location')).toBe('Room 4, Main St; 2nd floor');
    expect(String(event!.getFirstPropertyValue('description'))).toContain('Line one\nLine two, with a comma; a semicolon and a backslash \\ — and “quotes” ✨');
    expect(String(event!.getFirstPropertyValue('description'))).toContain('Join online: https://meet.example.org/room?a=1,2');
    expect(event!.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(event!.getFirstPropertyValue('url')).toBe(`${PUBLIC_URL}/demo#c=${world.community.community.slug}&m=${meeting.id}`);
    const dtstart = event!.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time>;
    expect(dtstart.zone?.tzid).toBe('UTC');
    expect(dtstart.toJSDate().toISOString()).toBe(startsAt.toISOString());
    expect((event!.getFirstPropertyValue('dtend') as InstanceType<typeof ICAL.Time>).toJSDate().toISOString()).toBe(new Date(startsAt.getTime() + 90 * 60_000).toISOString());
    expect(event!.getFirstPropertyValue('dtstamp')).toBeTruthy();

    // A change of time (updateMeeting bumps sequence; simulated here): same UID, SEQUENCE 1, the new time.
    await server.em().execute("update meeting set sequence = sequence + 1, starts_at = starts_at + interval '1 day', ends_at = ends_at + interval '1 day', updated_at = now() where id = ?", [dbId(meeting.id)]);
    const [moved] = events((await fetchIcs(url)).body);
    expect(moved!.getFirstPropertyValue('uid')).toBe(event!.getFirstPropertyValue('uid'));
    expect(moved!.getFirstPropertyValue('sequence')).toBe(1);
    expect((moved!.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time>).toJSDate().getTime()).toBe(startsAt.getTime() + 86_400_000);
    // Cancelled: STATUS:CANCELLED (calendars remove it).
    await server.em().execute("update meeting set status = 'CANCELLED', sequence = sequence + 1 where id = ?", [dbId(meeting.id)]);
    const [cancelled] = events((await fetchIcs(url)).body);
    expect([cancelled!.getFirstPropertyValue('status'), cancelled!.getFirstPropertyValue('sequence')]).toEqual(['CANCELLED', 2]);
  });

  it('gives a TENTATIVE annual meeting without a time an all-day event over its July week', async () => {
    const world = await meetingWorld(server);
    const meeting = await world.meeting({ title: 'Annual meeting' });
    const year = DateTime.now().setZone('America/Chicago').year + 1;
    await server.em().execute("update meeting set kind = 'ANNUAL', status = 'TENTATIVE', annual_year = ?, starts_at = null, ends_at = null where id = ?", [year, dbId(meeting.id)]);
    const raw = (await fetchIcs(await icsUrlOf(meeting.id))).body;
    expect(raw).toContain(`DTSTART;VALUE=DATE:${year}0708\r\n`);
    expect(raw).toContain(`DTEND;VALUE=DATE:${year}0715\r\n`);
    const [event] = events(raw);
    expect(event!.getFirstPropertyValue('status')).toBe('TENTATIVE');
    expect((event!.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time>).isDate).toBe(true);
  });

  it("keeps a RESTRICTED community's meeting from non-members: node(id), the bare URL and forged or foreign tokens are refused", async () => {
    const world = await meetingWorld(server, 'RESTRICTED');
    const [member] = await world.members(1);
    const meeting = await world.meeting({ title: 'Members only' });
    const other = await world.meeting({ title: 'Another' });
    const outsider = await server.factories.member();
    expectError(await server.gql(MeetingCountsDocument, { id: meeting.id }, { token: outsider.token }), 'FORBIDDEN');
    expectError(await server.gql(MeetingCountsDocument, { id: meeting.id }), 'FORBIDDEN');

    const url = await icsUrlOf(meeting.id, member!.token);
    expect(url).toMatch(new RegExp(`^${PUBLIC_URL}/calendar/meetings/${meeting.id}\\.ics\\?token=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$`));
    const ok = await fetchIcs(url);
    expect(ok).toMatchObject({ status: 200, cache: 'private, no-store' });
    expect(events(ok.body)[0]!.getFirstPropertyValue('summary')).toBe('Members only');

    const bare = url.split('?')[0]!;
    await expectRefused(bare);
    const token = url.split('token=')[1]!;
    const [payload, signature] = token.split('.') as [string, string];
    // Any altered character: one in the middle, and the last one (whose spare bits a lax decoder would ignore).
    const flip = (text: string, at: number) => `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    await expectRefused(`${bare}?token=${payload}.${flip(signature, 20)}`);
    await expectRefused(`${bare}?token=${payload}.${flip(signature, 42)}`);
    // A payload naming someone else, under the old signature.
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), m: outsider.member.id })).toString('base64url');
    await expectRefused(`${bare}?token=${forged}.${signature}`);
    await expectRefused(`${bare}?token=garbage`);
    // The member's token for this meeting opens no other.
    await expectRefused(`${PUBLIC_URL}/calendar/meetings/${other.id}.ics?token=${token}`);
    // Checked against current rights: a member who left is refused with the very same URL; back in, it works again.
    await server.em().execute("update membership set status = 'LEFT' where member_id = ?", [member!.member.id]);
    await expectRefused(url);
    await server.em().execute("update membership set status = 'ACTIVE' where member_id = ?", [member!.member.id]);
    expect((await fetchIcs(url)).status).toBe(200);
    // Staff read every community, so their link works too.
    const staff = await server.factories.staff();
    expect((await fetchIcs(await icsUrlOf(meeting.id, staff.token))).status).toBe(200);
    // Unknown meetings, other methods, other paths.
    expect((await fetchIcs(`${PUBLIC_URL}/calendar/meetings/${world.community.id}.ics`)).status).toBe(404);
    expect((await fetchIcs(url, { method: 'POST' })).status).toBe(405);
    expect((await fetchIcs(`${PUBLIC_URL}/calendar/nothing`)).status).toBe(404);
  });
});

describe('the member’s calendar feed', () => {
  it("holds the meetings ahead of the member's communities (and recent ones they answered), the member's own URL only, revocable", async () => {
    const open = await meetingWorld(server);
    const restricted = await meetingWorld(server, 'RESTRICTED');
    const elsewhere = await meetingWorld(server);
    const member = await server.factories.activeMember(open.community);
    await server.factories.membership(member, restricted.community);
    const ahead = await open.meeting({ title: 'Ahead' });
    const membersOnly = await restricted.meeting({ title: 'Members only' });
    const notMine = await elsewhere.meeting({ title: 'Elsewhere' });
    const cancelled = await open.meeting({ title: 'Cancelled, not answered' });
    const answeredCancelled = await open.meeting({ title: 'Cancelled, answered' });
    const answeredPast = await open.meeting({ title: 'Answered, last week' });
    const unansweredPast = await open.meeting({ title: 'Not answered, last week' });
    for (const meeting of [answeredCancelled, answeredPast]) {
      expectData(await server.gql(RsvpDocument, { input: { meetingId: meeting.id, status: 'GOING' } }, { token: member.token }));
    }
    await server.em().execute("update meeting set status = 'CANCELLED' where id in (?, ?)", [dbId(cancelled.id), dbId(answeredCancelled.id)]);
    await startedAgo(server, answeredPast.id, 24 * 7);
    await startedAgo(server, unansweredPast.id, 24 * 7);

    const url = await feedUrlOf(member);
    expect(url).toMatch(new RegExp(`^${PUBLIC_URL}/calendar/feed/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}\\.ics$`));
    const feed = await fetchIcs(url);
    expect(feed).toMatchObject({ status: 200, cache: 'private, no-store' });
    const uids = uidsOf(feed.body);
    const uid = (meeting: { id: string }) => `${dbId(meeting.id)}@hub.example.org`;
    expect(uids.sort()).toEqual([ahead, membersOnly, answeredCancelled, answeredPast].map(uid).sort());
    expect(uids).not.toContain(uid(notMine));
    expect(ICAL.Component.fromString(feed.body).getFirstPropertyValue('x-wr-calname')).toBe(`PracticeHub: ${member.member.displayName}`);

    // Someone else's feed URL is theirs alone.
    const other = await server.factories.member();
    expectError(await server.gql(MemberCalendarFeedUrlDocument, { id: member.id }, { token: other.token }), 'FORBIDDEN');
    expectError(await server.gql(MemberCalendarFeedUrlDocument, { id: member.id }), 'FORBIDDEN');
    // Forged: refused.
    const [payload] = url.split('/').at(-1)!.split('.') as [string];
    await expectRefused(`${PUBLIC_URL}/calendar/feed/${payload}.${'A'.repeat(43)}.ics`);

    // Leaving the RESTRICTED community takes its meetings out of the feed at once.
    await server.em().execute("update membership set status = 'LEFT' where member_id = ? and community_id = ?", [member.member.id, restricted.community.community.id]);
    expect(uidsOf((await fetchIcs(url)).body)).not.toContain(uid(membersOnly));

    // Reset: the old feed URL and the old meeting links stop working; the new ones work.
    const meetingUrl = await icsUrlOf(membersOnly.id, member.token).catch(() => null);
    expect(meetingUrl).toBeNull();
    await server.em().execute("update membership set status = 'ACTIVE' where member_id = ? and community_id = ?", [member.member.id, restricted.community.community.id]);
    const oldMeetingUrl = await icsUrlOf(membersOnly.id, member.token);
    const reset = expectData(await server.gql(ResetCalendarFeedDocument, {}, { token: member.token })).resetCalendarFeed;
    expect(reset.calendarFeedUrl).not.toBe(url);
    await expectRefused(url);
    await expectRefused(oldMeetingUrl);
    expect((await fetchIcs(reset.calendarFeedUrl!)).status).toBe(200);
    expect((await fetchIcs(await icsUrlOf(membersOnly.id, member.token))).status).toBe(200);
    expect(await feedUrlOf(member)).toBe(reset.calendarFeedUrl);
    expectError(await server.gql(ResetCalendarFeedDocument, {}), 'UNAUTHENTICATED');
  });
});
