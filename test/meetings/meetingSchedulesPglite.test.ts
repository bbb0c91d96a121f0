import { AnnualMeetingDocument, CommunityMeetingsDocument, LogInDocument, ScheduleMeetingDocument, UpdateMeetingDocument } from '../generated/graphql';
import { useEmbeddedApp } from '../support/embedded';
import { STAFF_EMAIL } from '../../src/db/seed/demo';
import type { Em } from '../../src/db/orm';
import { fromGlobalId } from '../../src/shared/ids';
import { runAnnualMeetings } from '../../src/modules/meetings/annual/annualMeetings.job';
import { comingAnnualYear } from '../../src/modules/meetings/meeting/annualWeek';
import { sendReminder } from '../../src/modules/meetings/reminders/sendReminder';

/** The zero-setup default (embedded PGlite, seeded): the demo's meetings, the annual job and one reminder. */
describe('meeting schedules on the embedded PGlite database', () => {
  const embedded = useEmbeddedApp('practicehub-meetings-pglite-', { MEETING_REMINDERS_CRON: '0 0 1 1 *', ANNUAL_MEETINGS_CRON: '0 0 1 1 *' });
  async function gql(document: Parameters<typeof embedded.gql>[0], variables: unknown, token?: string) {
    const json = await embedded.gql(document, variables, token);
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data;
  }

  it('has every demo community’s annual meeting, one of them set; the job fills in a new community once; a reminder goes once', async () => {
    const { services } = embedded.app;
    const em = services.orm.em.fork() as Em;
    const year = comingAnnualYear(new Date(), services.config.orgTimeZone);
    const perCommunity = await em.execute<{ slug: string; status: string | null; n: number }[]>(
      "select c.slug, max(m.status::text) as status, count(m.id)::int as n from community c left join meeting m on m.community_id = c.id and m.kind = 'ANNUAL' and m.annual_year = ? " +
        "where c.status = 'ACTIVE' group by c.slug order by c.slug",
      [year],
    );
    expect(perCommunity.length).toBeGreaterThanOrEqual(4);
    for (const row of perCommunity) expect(row.n).toBe(1);
    const set = (await gql(AnnualMeetingDocument, { slug: 'reading-promotion', year })).community.annualMeeting;
    expect(set).toMatchObject({ kind: 'ANNUAL', status: 'SCHEDULED', venue: expect.any(String) });
    expect(new Date(set.startsAt).getUTCMonth()).toBe(6);
    const upcoming = (await gql(CommunityMeetingsDocument, { slug: 'digital-tools', upcoming: true })).community.meetings.edges.map((e: { node: { kind: string } }) => e.node.kind);
    // The demo's two meetups ahead (one with its waitlist, one with reminders), then the annual meeting in July.
    expect(upcoming).toEqual(['MEETUP', 'MEETUP', 'ANNUAL']);
    const [{ n: reminders }] = await em.execute<{ n: number }[]>(
      "select count(*)::int as n from meeting_reminder r join meeting m on m.id = r.meeting_id join community c on c.id = m.community_id where c.slug = 'digital-tools'",
    );
    expect(reminders).toBe(2);

    await em.execute("insert into community (id, slug, name, description) values (gen_random_uuid(), 'embedded-new', 'Embedded new', 'Written directly')");
    expect(await runAnnualMeetings(services)).toBe(1);
    expect(await runAnnualMeetings(services)).toBe(0);

    const staff = (await gql(LogInDocument, { input: { email: STAFF_EMAIL, password: embedded.demo!.password } })).logIn;
    const community = (await gql(CommunityMeetingsDocument, { slug: 'digital-tools' })).community;
    const startsAt = new Date(Date.now() + 3 * 3_600_000).toISOString();
    const meeting = (await gql(ScheduleMeetingDocument, { input: { communityId: community.id, kind: 'AMA', title: 'Ask the archivist', startsAt, reminderMinutesBefore: [60] } }, staff.token)).scheduleMeeting;
    const meetingId = fromGlobalId(meeting.id)!.id;
    const [first] = await em.execute<{ id: string }[]>('select id from meeting_reminder where meeting_id = ?', [meetingId]);
    // Moved: its reminder is replaced and the old one's job cancelled, in the update's transaction (PGlite's one connection).
    await gql(UpdateMeetingDocument, { input: { meetingId: meeting.id, startsAt: new Date(Date.now() + 4 * 3_600_000).toISOString() } }, staff.token);
    const [old] = await em.execute<{ state: string }[]>("select state::text from pgboss.job where name = 'meetings.reminder' and id = ?", [first!.id]);
    expect(old!.state).toBe('cancelled');
    await em.execute(
      "insert into meeting_rsvp (id, meeting_id, member_id, status) select gen_random_uuid(), ?, ms.member_id, 'GOING' from membership ms join community c on c.id = ms.community_id " +
        "where c.slug = 'digital-tools' and ms.status = 'ACTIVE' limit 3",
      [meetingId],
    );
    const [row] = await em.execute<{ id: string; due_at: string }[]>('select id, due_at from meeting_reminder where meeting_id = ?', [meetingId]);
    const due = new Date(row!.due_at);
    const now = new Date(due.getTime() + 1_000);
    expect(await sendReminder(services, row!.id, due, now)).toBe(3);
    expect(await sendReminder(services, row!.id, due, now)).toBeNull();
    const [{ n }] = await em.execute<{ n: number }[]>("select count(*)::int as n from notification where kind = 'MEETING_REMINDER' and subject_id = ?", [meetingId]);
    expect(n).toBe(3);
  }, 90_000);
});
