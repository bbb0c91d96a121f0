import { DateTime } from 'luxon';
import { AnnualMeetingDocument, CancelMeetingDocument, CreateCommunityDocument, ScheduleMeetingDocument, UpdateMeetingDocument } from '../generated/graphql';
import { CommunityRole } from '../support/factories';
import { badInputFields, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { toGlobalId } from '../../src/shared/ids';
import type { Em } from '../../src/db/orm';
import { annualMeetingDue, ensureAnnualMeetings } from '../../src/modules/meetings/annual/annualMeetings';
import { runAnnualMeetings } from '../../src/modules/meetings/annual/annualMeetings.job';
import { comingAnnualYear } from '../../src/modules/meetings/meeting/annualWeek';
import { captureMail, fanOutAll } from '../notifications/support';
import { annualMeetingsOf, eventsOf, julyAt, meetingRow, notificationsAbout, remindersOf, ZONE } from './lifeSupport';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ ORG_TIME_ZONE: ZONE, EMAIL_DELAY_SECONDS: '3600' });
  captureMail(server);
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const coming = comingAnnualYear(new Date(), ZONE);
const chicago = (year: number, month: number, day: number, hour = 0, minute = 0) => DateTime.fromObject({ year, month, day, hour, minute }, { zone: ZONE }).toJSDate();
let slugs = 0;

async function createCommunity(name: string) {
  const staff = await server.factories.staff();
  const input = { name, slug: `annual-${Date.now().toString(36)}-${slugs++}`, description: 'Meets every July', topics: ['meetings'] };
  const created = expectData(await server.gql(CreateCommunityDocument, { input }, { token: staff.token })).createCommunity;
  return { ...created, dbId: Buffer.from(created.id, 'base64url').toString().split(':')[1]!, staff };
}

describe('the year an annual meeting is due', () => {
  it("is this year's until its July week begins in the organisation's zone, then next year's", () => {
    expect(annualMeetingDue(chicago(2027, 1, 1), ZONE).year).toBe(2027);
    expect(annualMeetingDue(chicago(2027, 7, 7, 23, 59), ZONE).year).toBe(2027);
    // 23:59 on July 7 in Chicago is already July 8 in UTC: the organisation's zone decides.
    expect(chicago(2027, 7, 7, 23, 59).toISOString()).toMatch(/^2027-07-08T/);
    expect(annualMeetingDue(chicago(2027, 7, 8, 0, 0), ZONE).year).toBe(2028);
    expect(annualMeetingDue(chicago(2027, 7, 14, 12), ZONE).year).toBe(2028);
    expect(annualMeetingDue(chicago(2027, 12, 31, 23, 59), ZONE)).toEqual({ year: 2028, sortAt: chicago(2028, 7, 8) });
    expect(annualMeetingDue(new Date('2027-07-08T03:00:00Z'), 'Europe/Paris').year).toBe(2028);
  });
});

describe('annual meetings at a community’s founding', () => {
  it('createCommunity founds it with one TENTATIVE annual meeting of the coming year, telling nobody', async () => {
    const created = await createCommunity('Makerspaces');
    const rows = await annualMeetingsOf(server, created.dbId);
    expect(rows).toEqual([{ id: expect.any(String), annual_year: coming, status: 'TENTATIVE', title: `Makerspaces annual meeting ${coming}`, starts_at: null, created_by_id: null }]);
    const read = expectData(await server.gql(AnnualMeetingDocument, { slug: created.slug, year: coming })).community!.annualMeeting;
    expect(read).toMatchObject({ kind: 'ANNUAL', status: 'TENTATIVE', startsAt: null, endsAt: null, timeZone: ZONE, createdBy: null, reminderMinutesBefore: [1440, 60] });
    const meetingId = toGlobalId('Meeting', rows[0]!.id);
    expect(await eventsOf(server, 'MeetingScheduled', meetingId)).toEqual([expect.objectContaining({ actor_id: null, payload: expect.objectContaining({ kind: 'ANNUAL' }) })]);
    expect(await remindersOf(server, meetingId)).toEqual([]);
    await fanOutAll(server);
    expect(await notificationsAbout(server, meetingId, 'MEETING_SCHEDULED')).toEqual([]);
  });

  it('gives a community founded on either side of July 8 the right year', async () => {
    const em = server.em();
    for (const [now, year] of [
      [chicago(2030, 7, 7, 23, 59), 2030],
      [chicago(2030, 7, 8, 0, 0), 2031],
    ] as const) {
      const community = await server.factories.community();
      const created = await em.transactional((tem) => ensureAnnualMeetings(tem as Em, { communityId: community.community.id, orgTimeZone: ZONE, now }));
      expect(created).toHaveLength(1);
      expect((await annualMeetingsOf(server, community.community.id)).map((m) => m.annual_year)).toEqual([year]);
    }
  });
});

describe('the annual meetings job', () => {
  it('fills in a community created without one, never a retired one, and creates nothing when run again', async () => {
    const bare = await server.factories.community();
    const retired = await server.factories.community();
    await server.em().execute("update community set status = 'RETIRED' where id = ?", [retired.community.id]);
    expect(await annualMeetingsOf(server, bare.community.id)).toEqual([]);
    expect(await runAnnualMeetings(server.app.services)).toBeGreaterThanOrEqual(1);
    const rows = await annualMeetingsOf(server, bare.community.id);
    expect(rows).toMatchObject([{ annual_year: coming, status: 'TENTATIVE' }]);
    expect(await annualMeetingsOf(server, retired.community.id)).toEqual([]);
    expect(await runAnnualMeetings(server.app.services)).toBe(0);
    expect(await annualMeetingsOf(server, bare.community.id)).toHaveLength(1);
  });

  it('creates one meeting when two runs race, and one for each community', async () => {
    const communities = await Promise.all([1, 2, 3].map(() => server.factories.community()));
    const counts = await Promise.all([1, 2, 3, 4].map(() => runAnnualMeetings(server.app.services)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3);
    for (const community of communities) expect(await annualMeetingsOf(server, community.community.id)).toHaveLength(1);
  });

  it("adds next year's meeting once this year's week has begun, keeping this year's", async () => {
    const community = await server.factories.community();
    await runAnnualMeetings(server.app.services, chicago(coming, 7, 7, 12));
    await runAnnualMeetings(server.app.services, chicago(coming, 7, 8, 0, 1));
    await runAnnualMeetings(server.app.services, chicago(coming, 7, 20));
    expect((await annualMeetingsOf(server, community.community.id)).map((m) => m.annual_year)).toEqual([coming, coming + 1]);
  });
});

describe("staff and the annual meeting's time", () => {
  it('staff set its time (SCHEDULED, members told); others are refused; another week or year is BAD_USER_INPUT on startsAt', async () => {
    const created = await createCommunity('Reading circles');
    const lead = await server.factories.activeMember({ community: { id: created.dbId } as never }, [CommunityRole.LEAD]);
    const coordinator = await server.factories.activeMember({ community: { id: created.dbId } as never }, [CommunityRole.MEETING_COORDINATOR]);
    const member = await server.factories.activeMember({ community: { id: created.dbId } as never });
    const [row] = await annualMeetingsOf(server, created.dbId);
    const meetingId = toGlobalId('Meeting', row!.id);
    for (const token of [lead.token, coordinator.token, member.token]) {
      expectError(await server.gql(UpdateMeetingDocument, { input: { meetingId, startsAt: julyAt(coming, 10) } }, { token }), 'FORBIDDEN');
    }
    for (const startsAt of [julyAt(coming, 15), julyAt(coming, 7, 12), julyAt(coming + 1, 10)]) {
      const response = await server.gql(UpdateMeetingDocument, { input: { meetingId, startsAt } }, { token: created.staff.token });
      expect(badInputFields(response)).toEqual(['startsAt']);
    }
    expect(await meetingRow(server, meetingId)).toMatchObject({ status: 'TENTATIVE', starts_at: null, sequence: 0 });

    const set = expectData(
      await server.gql(UpdateMeetingDocument, { input: { meetingId, startsAt: julyAt(coming, 9, 15), venue: 'Main hall' } }, { token: created.staff.token }),
    ).updateMeeting;
    expect(set).toMatchObject({ status: 'SCHEDULED', startsAt: julyAt(coming, 9, 15), endsAt: julyAt(coming, 9, 16), venue: 'Main hall' });
    expect((await meetingRow(server, meetingId)).sequence).toBe(1);
    const [event] = await eventsOf(server, 'MeetingUpdated', meetingId);
    expect(event!.payload).toMatchObject({ scheduled: true, previousStartsAt: null, changed: expect.arrayContaining(['startsAt', 'status', 'venue']) });
    expect((await remindersOf(server, meetingId)).map((r) => r.minutes_before)).toEqual([1440, 60]);
    await fanOutAll(server);
    const told = await notificationsAbout(server, meetingId, 'MEETING_SCHEDULED');
    expect(told.map((n) => n.recipient_id).sort()).toEqual([lead.member.id, coordinator.member.id, member.member.id].sort());
    expect(told[0]!.title).toBe(`The annual meeting of Reading circles is set: “Reading circles annual meeting ${coming}”`);

    // Moving it within its week is fine; out of it is not.
    expectData(await server.gql(UpdateMeetingDocument, { input: { meetingId, startsAt: julyAt(coming, 14, 18) } }, { token: created.staff.token }));
    expect(badInputFields(await server.gql(UpdateMeetingDocument, { input: { meetingId, startsAt: julyAt(coming, 15, 9) } }, { token: created.staff.token }))).toEqual(['startsAt']);
  });

  it('cannot be cancelled (CONFLICT for staff, FORBIDDEN for everyone else), nor doubled by scheduleMeeting (CONFLICT)', async () => {
    const created = await createCommunity('Story time');
    const lead = await server.factories.activeMember({ community: { id: created.dbId } as never }, [CommunityRole.LEAD]);
    const [row] = await annualMeetingsOf(server, created.dbId);
    const meetingId = toGlobalId('Meeting', row!.id);
    expectError(await server.gql(CancelMeetingDocument, { meetingId }, { token: lead.token }), 'FORBIDDEN');
    const refusal = expectError(await server.gql(CancelMeetingDocument, { meetingId }, { token: created.staff.token }), 'CONFLICT');
    expect(refusal.message).toMatch(/annual meeting cannot be cancelled/);
    expect(await meetingRow(server, meetingId)).toMatchObject({ status: 'TENTATIVE', cancelled_at: null });
    expect(await eventsOf(server, 'MeetingCancelled', meetingId)).toHaveLength(0);

    const second = { communityId: created.id, kind: 'ANNUAL' as const, title: 'Another annual meeting', startsAt: julyAt(coming, 11) };
    expectError(await server.gql(ScheduleMeetingDocument, { input: second }, { token: created.staff.token }), 'CONFLICT');
    expect(await annualMeetingsOf(server, created.dbId)).toHaveLength(1);
  });
});
