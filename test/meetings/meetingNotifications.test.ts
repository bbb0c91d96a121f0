import { CancelMeetingDocument, CreateWebhookDocument, MeetingInboxDocument, UpdateMeetingDocument, type WebhookEventType } from '../generated/graphql';
import { CommunityRole } from '../support/factories';
import { expectData, startTestServer, type TestServer } from '../support/server';
import type { OutgoingMail } from '../../src/mail/mailer';
import { fromGlobalId } from '../../src/shared/ids';
import { captureMail, fanOutAll } from '../notifications/support';
import { deliveryRows, eventually, jobsDone, Receiver } from '../webhooks/receiver';
import { answer, dueEmailsSent, inHours, meetingWorld, notificationsAbout, scheduleMeetup } from './lifeSupport';

let server: TestServer;
let receiver: Receiver;
let mail: OutgoingMail[];
beforeAll(async () => {
  receiver = await Receiver.start();
  server = await startTestServer({ ORG_TIME_ZONE: 'America/Chicago', EMAIL_DELAY_SECONDS: '3600', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
  mail = captureMail(server);
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const recipients = async (meetingId: string, kind: string) => (await notificationsAbout(server, meetingId, kind)).map((n) => n.recipient_id).sort();
const preference = (memberId: string, communityId: string, value: string) =>
  server.em().execute('update membership set notification_preference = ? where member_id = ? and community_id = ?', [value, memberId, communityId]);
const mailTo = (email: string, subject: string) => mail.filter((m) => m.to === email && m.subject === subject);

describe('MEETING_SCHEDULED', () => {
  it("goes to the community's REALTIME members (in the inbox and by email, times in each one's zone), never to the scheduler", async () => {
    const { community, coordinator, member: realtime } = await meetingWorld(server);
    const elsewhere = await server.factories.activeMember(community);
    const digest = await server.factories.activeMember(community);
    const silent = await server.factories.activeMember(community);
    const pending = await server.factories.member();
    await server.factories.membership(pending, community, { status: 'PENDING' as never });
    await server.factories.member(); // not a member at all
    await preference(digest.member.id, community.community.id, 'DAILY_DIGEST');
    await preference(silent.member.id, community.community.id, 'NONE');
    await server.em().execute("update member set time_zone = 'Europe/Paris' where id = ?", [elsewhere.member.id]);

    // 18:00 UTC on a December day: 12:00 in Chicago, 19:00 in Paris.
    const start = new Date(Date.now() + 3 * 24 * 3_600_000);
    start.setUTCHours(18, 0, 0, 0);
    const meeting = await scheduleMeetup(server, community.id, coordinator.token, { title: 'Tool swap', startsAt: start.toISOString(), venue: 'Room 4' });
    await fanOutAll(server);
    expect(await recipients(meeting.id, 'MEETING_SCHEDULED')).toEqual([realtime.member.id, elsewhere.member.id].sort());
    const [row] = await notificationsAbout(server, meeting.id, 'MEETING_SCHEDULED');
    expect(row!.title).toBe(`${coordinator.member.displayName} scheduled “Tool swap” in ${community.community.name}`);

    await dueEmailsSent(server);
    const [paris] = mailTo(elsewhere.email, row!.title);
    const [chicago] = mailTo(realtime.email, row!.title);
    const offset = (zone: string) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(start);
    expect(paris!.text).toContain(`, ${offset('Europe/Paris')} Europe/Paris, 1 hour`);
    expect(chicago!.text).toContain(`, ${offset('America/Chicago')} America/Chicago, 1 hour`);
    expect(chicago!.text).toContain('Where: Room 4');
    expect(chicago!.html).toContain('Where: Room 4');
    for (const who of [coordinator, digest, silent]) expect(mail.filter((m) => m.to === who.email)).toEqual([]);
    const inbox = expectData(await server.gql(MeetingInboxDocument, {}, { token: realtime.token })).viewer!.notifications.edges.map((e) => e.node);
    expect(inbox).toContainEqual(expect.objectContaining({ kind: 'MEETING_SCHEDULED', subject: { __typename: 'Meeting', id: meeting.id } }));
  });
});

describe('moving and cancelling', () => {
  it('tell those who answered (GOING, INTERESTED, WAITLISTED) while they can read it, never NOT_GOING or the organiser', async () => {
    const { community, coordinator, member: going } = await meetingWorld(server, 'RESTRICTED');
    const interested = await server.factories.activeMember(community);
    const waitlisted = await server.factories.activeMember(community);
    const notGoing = await server.factories.activeMember(community);
    const leaver = await server.factories.activeMember(community);
    await server.em().execute("update member set email_notifications = 'ALWAYS', time_zone = 'Asia/Tokyo' where id = ?", [going.member.id]);
    const meeting = await scheduleMeetup(server, community.id, coordinator.token, { title: 'Case review', startsAt: inHours(50) });
    for (const [who, status] of [
      [going, 'GOING'],
      [interested, 'INTERESTED'],
      [waitlisted, 'WAITLISTED'],
      [notGoing, 'NOT_GOING'],
      [leaver, 'GOING'],
      [coordinator, 'GOING'],
    ] as const) {
      await answer(server, meeting.id, who.member.id, status);
    }
    await server.em().execute("update membership set status = 'LEFT' where member_id = ? and community_id = ?", [leaver.member.id, community.community.id]);
    const told = [going.member.id, interested.member.id, waitlisted.member.id].sort();

    // A new title tells nobody; a new time and a new place do.
    expectData(await server.gql(UpdateMeetingDocument, { input: { meetingId: meeting.id, title: 'Case review (new cases)' } }, { token: coordinator.token }));
    await fanOutAll(server);
    expect(await recipients(meeting.id, 'MEETING_UPDATED')).toEqual([]);
    const previous = meeting.startsAt!;
    expectData(await server.gql(UpdateMeetingDocument, { input: { meetingId: meeting.id, startsAt: inHours(74) } }, { token: coordinator.token }));
    await fanOutAll(server);
    expect(await recipients(meeting.id, 'MEETING_UPDATED')).toEqual(told);
    const [moved] = await notificationsAbout(server, meeting.id, 'MEETING_UPDATED');
    expect(moved!.title).toBe(`“Case review (new cases)” in ${community.community.name} moved to a new time`);
    expectData(await server.gql(UpdateMeetingDocument, { input: { meetingId: meeting.id, venue: 'Room 9' } }, { token: coordinator.token }));
    await fanOutAll(server);
    const titles = (await notificationsAbout(server, meeting.id, 'MEETING_UPDATED')).map((n) => n.title);
    expect(titles.filter((t) => t.endsWith('has a new place'))).toHaveLength(3);

    expectData(await server.gql(CancelMeetingDocument, { meetingId: meeting.id }, { token: coordinator.token }));
    await fanOutAll(server);
    expect(await recipients(meeting.id, 'MEETING_CANCELLED')).toEqual(told);
    const [cancelled] = await notificationsAbout(server, meeting.id, 'MEETING_CANCELLED');
    expect(cancelled!.title).toBe(`“Case review (new cases)” in ${community.community.name} was cancelled`);

    // A meeting is the community's content: a member who leaves the RESTRICTED community no longer sees its news.
    const inbox = async () => expectData(await server.gql(MeetingInboxDocument, {}, { token: interested.token })).viewer!.notifications.edges.map((e) => e.node.kind);
    expect(await inbox()).toEqual(expect.arrayContaining(['MEETING_CANCELLED', 'MEETING_UPDATED']));
    await server.em().execute("update membership set status = 'LEFT' where member_id = ? and community_id = ?", [interested.member.id, community.community.id]);
    expect(await inbox()).not.toContain('MEETING_CANCELLED');

    await dueEmailsSent(server);
    const [movedMail] = mailTo(going.email, moved!.title);
    expect(movedMail!.text).toMatch(/Before: .* Asia\/Tokyo/);
    expect(movedMail!.text).toContain(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(previous)));
    const [cancelledMail] = mailTo(going.email, cancelled!.title);
    expect(cancelledMail!.text).toMatch(/It was to take place .* Asia\/Tokyo\./);
    const aboutChanges = mail.filter((m) => m.category === 'notification:MEETING_UPDATED' || m.category === 'notification:MEETING_CANCELLED');
    expect(aboutChanges.map((m) => m.to)).toEqual(expect.arrayContaining([going.email]));
    expect(aboutChanges.filter((m) => [notGoing.email, leaver.email, coordinator.email].includes(m.to))).toEqual([]);
  });
});

describe('meeting webhooks', () => {
  it('deliver MEETING_SCHEDULED, then MEETING_UPDATED for a change and for the cancellation (status CANCELLED)', async () => {
    const { community, coordinator } = await meetingWorld(server);
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const events = ['MEETING_SCHEDULED', 'MEETING_UPDATED'] as WebhookEventType[];
    const webhook = expectData(
      await server.gql(CreateWebhookDocument, { input: { url: receiver.answer('/meetings', 200), events, communityId: community.id } }, { token: lead.token }),
    ).createWebhook.webhook;
    const meeting = await scheduleMeetup(server, community.id, coordinator.token, { title: 'Guest: a children’s author' });
    expectData(await server.gql(UpdateMeetingDocument, { input: { meetingId: meeting.id, venue: 'Hall' } }, { token: coordinator.token }));
    expectData(await server.gql(CancelMeetingDocument, { meetingId: meeting.id }, { token: coordinator.token }));
    await eventually(() => receiver.on('/meetings').length >= 3, 10_000, 'three deliveries');
    await jobsDone(server, 'webhooks.fan-out');
    expect((await deliveryRows(server, fromGlobalId(webhook.id)!.id)).map((row) => row.event_type).sort()).toEqual(['MEETING_SCHEDULED', 'MEETING_UPDATED', 'MEETING_UPDATED']);
    const bodies = receiver.on('/meetings').map((r) => JSON.parse(r.body) as { type: string; data: Record<string, any> });
    expect(bodies.find((b) => b.type === 'MEETING_SCHEDULED')!.data).toMatchObject({
      community: { id: community.id },
      actor: { id: coordinator.id },
      meeting: { id: meeting.id, kind: 'MEETUP', title: 'Guest: a children’s author' },
    });
    const updates = bodies.filter((b) => b.type === 'MEETING_UPDATED').map((b) => b.data);
    expect(updates).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ changed: ['venue'] }),
        expect.objectContaining({ meeting: expect.objectContaining({ id: meeting.id, status: 'CANCELLED' }) }),
      ]),
    );
  });

  it("say nothing of a RESTRICTED community's meeting to an owner who lost access", async () => {
    const { community, coordinator } = await meetingWorld(server, 'RESTRICTED');
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const webhook = expectData(
      await server.gql(CreateWebhookDocument, { input: { url: receiver.answer('/restricted', 200), events: ['MEETING_SCHEDULED'] as WebhookEventType[], communityId: community.id } }, { token: lead.token }),
    ).createWebhook.webhook;
    await server.em().execute("update membership set status = 'LEFT' where member_id = ? and community_id = ?", [lead.member.id, community.community.id]);
    await scheduleMeetup(server, community.id, coordinator.token);
    const rows = await eventually(async () => {
      const found = await deliveryRows(server, fromGlobalId(webhook.id)!.id);
      return found.length === 1 && found[0]!.status !== 'PENDING' && found;
    });
    expect(rows[0]!.status).toBe('SKIPPED');
    expect(receiver.on('/restricted')).toEqual([]);
  });
});
