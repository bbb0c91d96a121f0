import { CancelMeetingDocument, UpdateMeetingDocument } from '../generated/graphql';
import { expectData, startTestServer, type TestServer } from '../support/server';
import type { OutgoingMail } from '../../src/mail/mailer';
import { REMINDER_JOB } from '../../src/modules/meetings/reminders/reminderSchedule';
import { sendReminder, startsIn, sweepReminders } from '../../src/modules/meetings/reminders/sendReminder';
import { captureMail } from '../notifications/support';
import { eventually } from '../webhooks/receiver';
import { answer, dbId, dueEmailsSent, eventsOf, HOUR, inHours, meetingWorld, MINUTE, notificationsAbout, remindersOf, scheduleMeetup, type ReminderRow } from './lifeSupport';

let server: TestServer;
let mail: OutgoingMail[];
beforeAll(async () => {
  server = await startTestServer({ ORG_TIME_ZONE: 'America/Chicago', EMAIL_DELAY_SECONDS: '3600', MEETING_REMINDERS_CRON: '0 0 1 1 *' });
  mail = captureMail(server);
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const after = (row: ReminderRow, ms = 1_000) => new Date(row.due_at.getTime() + ms);
const send = (row: ReminderRow, now = after(row)) => sendReminder(server.app.services, row.id, row.due_at, now);
const jobOf = async (id: string) => (await server.app.services.jobs.raw.findJobs(REMINDER_JOB, { id }))[0];
const recipients = async (meetingId: string) => (await notificationsAbout(server, meetingId, 'MEETING_REMINDER')).map((n) => n.recipient_id).sort();

describe('reminders are scheduled with their meeting', () => {
  it('makes one reminder per offset still ahead, each with a job queued for its due time', async () => {
    const { community, coordinator } = await meetingWorld(server);
    const startsAt = inHours(48);
    const meeting = await scheduleMeetup(server, community.id, coordinator.token, { startsAt });
    const rows = await remindersOf(server, meeting.id);
    expect(rows.map((r) => [r.minutes_before, r.due_at.toISOString(), r.sent_at])).toEqual([
      [1440, new Date(Date.parse(startsAt) - 24 * HOUR).toISOString(), null],
      [60, new Date(Date.parse(startsAt) - HOUR).toISOString(), null],
    ]);
    for (const row of rows) {
      const job = await jobOf(row.id);
      expect(job).toMatchObject({ state: 'created', data: { reminderId: row.id, dueAt: row.due_at.toISOString() } });
      expect(new Date(job!.startAfter).toISOString()).toBe(row.due_at.toISOString());
    }
    // In two hours: the day-before reminder is already past, so only the hour-before one is made.
    const soon = await scheduleMeetup(server, community.id, coordinator.token, { startsAt: inHours(2) });
    expect((await remindersOf(server, soon.id)).map((r) => r.minutes_before)).toEqual([60]);
  });
});

describe('sending a reminder', () => {
  it('reaches GOING and INTERESTED members who still belong, exactly once however many runs race', async () => {
    const { community, coordinator, member: going } = await meetingWorld(server);
    const interested = await server.factories.activeMember(community);
    const notGoing = await server.factories.activeMember(community);
    const waitlisted = await server.factories.activeMember(community);
    const leaver = await server.factories.activeMember(community);
    const outsider = await server.factories.member();
    const staff = await server.factories.staff();
    const meeting = await scheduleMeetup(server, community.id, coordinator.token, { title: 'Book club', startsAt: inHours(30) });
    for (const [who, status] of [
      [going, 'GOING'],
      [interested, 'INTERESTED'],
      [notGoing, 'NOT_GOING'],
      [waitlisted, 'WAITLISTED'],
      [leaver, 'GOING'],
      [outsider, 'GOING'],
      [staff, 'GOING'],
    ] as const) {
      await answer(server, meeting.id, who.member.id, status);
    }
    await server.em().execute("update membership set status = 'LEFT' where member_id = ? and community_id = ?", [leaver.member.id, community.community.id]);
    await server.em().execute("update member set email_notifications = 'ALWAYS', time_zone = 'Asia/Tokyo' where id = ?", [going.member.id]);
    await server.em().execute("update member set email_notifications = 'NEVER' where id = ?", [interested.member.id]);

    const [dayBefore] = await remindersOf(server, meeting.id);
    expect(dayBefore!.minutes_before).toBe(1440);
    const runs = await Promise.all([send(dayBefore!), send(dayBefore!), send(dayBefore!)]);
    expect(runs.filter((n) => n !== null)).toEqual([3]);
    expect(await send(dayBefore!, after(dayBefore!, 30_000))).toBeNull();
    expect(await recipients(meeting.id)).toEqual([going.member.id, interested.member.id, staff.member.id].sort());
    const [row] = await notificationsAbout(server, meeting.id, 'MEETING_REMINDER');
    expect(row!.title).toBe('Reminder: “Book club” starts in 1 day');
    expect(await eventsOf(server, 'MeetingReminderSent', meeting.id)).toEqual([
      expect.objectContaining({ actor_id: null, payload: expect.objectContaining({ reminderId: dayBefore!.id, minutesBefore: 1440 }) }),
    ]);
    expect((await remindersOf(server, meeting.id))[0]!.sent_at).not.toBeNull();

    // Emailed per emailNotifications: ALWAYS at once (times in the reader's zone), NEVER not at all, WHEN_AWAY later.
    await dueEmailsSent(server);
    const mailed = mail.filter((m) => m.subject === 'Reminder: “Book club” starts in 1 day');
    expect(mailed.map((m) => m.to)).toEqual([going.email]);
    expect(mailed[0]!.text).toContain('Asia/Tokyo');
    expect(mailed[0]!.text).toMatch(/When: \w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d Asia\/Tokyo, 1 hour/);
  });

  it('sends nothing before its due time, once its meeting has started, or for a meeting not SCHEDULED', async () => {
    const { community, coordinator, member } = await meetingWorld(server);
    const meeting = await scheduleMeetup(server, community.id, coordinator.token, { startsAt: inHours(30) });
    await answer(server, meeting.id, member.member.id, 'GOING');
    const [dayBefore, hourBefore] = await remindersOf(server, meeting.id);
    expect(await send(dayBefore!, after(dayBefore!, -60_000))).toBeNull();
    expect(await send(hourBefore!, new Date(Date.parse(meeting.startsAt!) + MINUTE))).toBeNull();
    await server.em().execute("update meeting set status = 'HELD' where id = ?", [dbId(meeting.id)]);
    expect(await send(dayBefore!)).toBeNull();
    expect(await recipients(meeting.id)).toEqual([]);
  });
});

describe('reminders follow their meeting', () => {
  it('move when the meeting moves: the old job does nothing, the new one sends', async () => {
    const { community, coordinator, member } = await meetingWorld(server);
    const meeting = await scheduleMeetup(server, community.id, coordinator.token, { startsAt: inHours(48) });
    await answer(server, meeting.id, member.member.id, 'INTERESTED');
    const before = await remindersOf(server, meeting.id);

    // A change of title leaves them as they are.
    expectData(await server.gql(UpdateMeetingDocument, { input: { meetingId: meeting.id, title: 'Renamed' } }, { token: coordinator.token }));
    expect((await remindersOf(server, meeting.id)).map((r) => r.id)).toEqual(before.map((r) => r.id));

    const later = inHours(72);
    expectData(await server.gql(UpdateMeetingDocument, { input: { meetingId: meeting.id, startsAt: later } }, { token: coordinator.token }));
    const moved = await remindersOf(server, meeting.id);
    expect(moved.map((r) => [r.minutes_before, r.due_at.toISOString()])).toEqual([
      [1440, new Date(Date.parse(later) - 24 * HOUR).toISOString()],
      [60, new Date(Date.parse(later) - HOUR).toISOString()],
    ]);
    expect(moved.map((r) => r.id)).not.toEqual(expect.arrayContaining([before[0]!.id]));
    for (const old of before) expect((await jobOf(old.id))?.state).toBe('cancelled');
    for (const row of moved) expect((await jobOf(row.id))?.state).toBe('created');

    // The old jobs, run anyway (a worker had taken them), find nothing to send.
    for (const old of before) expect(await send(old)).toBeNull();
    expect(await recipients(meeting.id)).toEqual([]);
    expect(await send(moved[0]!)).toBe(1);
    expect(await recipients(meeting.id)).toEqual([member.member.id]);
  });

  it('follow new offsets, never making a sent reminder again', async () => {
    const { community, coordinator, member } = await meetingWorld(server);
    const meeting = await scheduleMeetup(server, community.id, coordinator.token, { startsAt: inHours(48), reminderMinutesBefore: [60] });
    await answer(server, meeting.id, member.member.id, 'GOING');
    const [hourBefore] = await remindersOf(server, meeting.id);
    expect(await send(hourBefore!)).toBe(1);
    expectData(await server.gql(UpdateMeetingDocument, { input: { meetingId: meeting.id, reminderMinutesBefore: [60, 30] } }, { token: coordinator.token }));
    const rows = await remindersOf(server, meeting.id);
    expect(rows.map((r) => [r.minutes_before, r.sent_at !== null])).toEqual([
      [60, true],
      [30, false],
    ]);
    expect(rows[0]!.id).toBe(hourBefore!.id);
  });

  it('vanish when the meeting is cancelled', async () => {
    const { community, coordinator, member } = await meetingWorld(server);
    const meeting = await scheduleMeetup(server, community.id, coordinator.token, { startsAt: inHours(48) });
    await answer(server, meeting.id, member.member.id, 'GOING');
    const before = await remindersOf(server, meeting.id);
    expectData(await server.gql(CancelMeetingDocument, { meetingId: meeting.id }, { token: coordinator.token }));
    expect(await remindersOf(server, meeting.id)).toEqual([]);
    for (const old of before) {
      expect((await jobOf(old.id))?.state).toBe('cancelled');
      expect(await send(old)).toBeNull();
    }
    expect(await recipients(meeting.id)).toEqual([]);
  });
});

describe('the reminder jobs', () => {
  it('the queue sends a reminder at its due time', async () => {
    const { community, coordinator, member } = await meetingWorld(server);
    const meeting = await scheduleMeetup(server, community.id, coordinator.token, { startsAt: new Date(Date.now() + HOUR + 3_000).toISOString(), reminderMinutesBefore: [60] });
    await answer(server, meeting.id, member.member.id, 'GOING');
    await eventually(async () => (await recipients(meeting.id)).length === 1, 20_000, 'the reminder');
    expect((await remindersOf(server, meeting.id))[0]!.sent_at).not.toBeNull();
    expect(await recipients(meeting.id)).toEqual([member.member.id]);
  }, 30_000);

  it('the sweep sends a reminder whose job was lost, once', async () => {
    const { community, coordinator, member } = await meetingWorld(server);
    const meeting = await scheduleMeetup(server, community.id, coordinator.token, { startsAt: inHours(3), reminderMinutesBefore: [60] });
    await answer(server, meeting.id, member.member.id, 'GOING');
    const [row] = await remindersOf(server, meeting.id);
    await server.app.services.jobs.raw.deleteJob(REMINDER_JOB, row!.id);
    expect(await sweepReminders(server.app.services, after(row!, 30_000))).toBe(0); // not overdue yet: its job may still come
    expect(await sweepReminders(server.app.services, after(row!, 2 * MINUTE))).toBeGreaterThanOrEqual(1);
    expect(await sweepReminders(server.app.services, after(row!, 3 * MINUTE))).toBe(0);
    expect(await recipients(meeting.id)).toEqual([member.member.id]);
  });

  it('says how far ahead the meeting is', () => {
    expect([1440, 2880, 60, 120, 90, 1].map(startsIn)).toEqual(['in 1 day', 'in 2 days', 'in 1 hour', 'in 2 hours', 'in 90 minutes', 'in 1 minute']);
  });
});
