import { PostMeetingSummaryDocument, RecordAttendanceDocument, RsvpDocument } from '../generated/graphql';
import type { RsvpAnswerStatus } from '../generated/graphql';
import { CommunityRole } from '../support/factories';
import { badInputFields, countRows, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { captureMail, fanOutAll } from '../notifications/support';
import type { OutgoingMail } from '../../src/mail/mailer';
import { dbId, meetingWorld, startedAgo } from './attendSupport';

let server: TestServer;
let sent: OutgoingMail[];
beforeAll(async () => {
  server = await startTestServer({ EMAIL_DELAY_SECONDS: '3600', PUBLIC_URL: 'https://hub.example.org' });
  sent = captureMail(server);
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const post = (token: string | undefined, meetingId: string, summary: string, resourceIds: string[] = []) =>
  server.gql(PostMeetingSummaryDocument, { input: { meetingId, summary, resourceIds } }, { token });
const threadsOf = (communityId: string) => countRows(server, 'select count(*) as n from thread where community_id = ?', dbId(communityId));
const answer = async (token: string, meetingId: string, status: RsvpAnswerStatus) => expectData(await server.gql(RsvpDocument, { input: { meetingId, status } }, { token }));

describe('postMeetingSummary refusals', () => {
  it("is for the meeting's organisers, after it started, with resources of its own community; nothing is written otherwise", async () => {
    const world = await meetingWorld(server);
    const [member] = await world.members(1);
    const monitor = await server.factories.activeMember(world.community, [CommunityRole.DISCUSSION_MONITOR]);
    const meeting = await world.meeting();
    expectError(await post(world.coordinator.token, meeting.id, 'Too early'), 'CONFLICT');
    await startedAgo(server, meeting.id);
    expectError(await post(undefined, meeting.id, 'Notes'), 'UNAUTHENTICATED');
    // A monitor may announce, but does not organise meetings.
    for (const who of [member!, monitor]) expectError(await post(who.token, meeting.id, 'Notes'), 'FORBIDDEN');

    const other = await server.factories.community();
    const foreign = await server.factories.resource(other, world.coordinator);
    const removed = await server.factories.resource(world.community, world.coordinator, { removedAt: new Date() });
    const own = await server.factories.resource(world.community, world.coordinator);
    for (const ids of [[own.id, foreign.id], [removed.id], [meeting.id]]) {
      expect(badInputFields(await post(world.coordinator.token, meeting.id, 'Notes', ids))).toEqual(['resourceIds']);
    }
    expect(badInputFields(await post(world.coordinator.token, meeting.id, '   '))).toEqual(['summary']);
    expect(badInputFields(await post(world.coordinator.token, meeting.id, 'x'.repeat(10_001)))).toEqual(['summary']);
    expect(await threadsOf(world.community.id)).toBe(0);
    expect(await countRows(server, 'select count(*) as n from meeting where id = ? and summary is null and summary_thread_id is null', dbId(meeting.id))).toBe(1);
  });
});

describe('postMeetingSummary', () => {
  it('posts an ANNOUNCEMENT thread on behalf of a coordinator (who may not announce), lists the resources, and tells attendees and answerers', async () => {
    const world = await meetingWorld(server, 'RESTRICTED');
    const [attendee, going, interested, notGoing, leaver, bystander] = await world.members(6);
    await server.em().execute("update member set email_notifications = 'ALWAYS' where id = ?", [going!.member.id]);
    const meeting = await world.meeting({ title: 'Spring tools, part 2' });
    await answer(going!.token, meeting.id, 'GOING');
    await answer(interested!.token, meeting.id, 'INTERESTED');
    await answer(notGoing!.token, meeting.id, 'NOT_GOING');
    await answer(leaver!.token, meeting.id, 'GOING');
    await answer(world.coordinator.token, meeting.id, 'GOING');
    await startedAgo(server, meeting.id);
    expectData(await server.gql(RecordAttendanceDocument, { input: { meetingId: meeting.id, memberIds: [attendee!.id, going!.id] } }, { token: world.coordinator.token }));
    const slides = await server.factories.resource(world.community, attendee!, { title: 'Slides, part 2', url: 'https://example.org/slides' });
    const sheet = await server.factories.resource(world.community, going!, { title: 'Sign-up sheet', url: 'https://example.org/sheet' });

    // The leaver answered GOING, then left the RESTRICTED community before the summary: not told. (Leaving after the
    // post would race the fan-out, which the dispatcher may start as soon as the post commits.)
    await server.em().execute("update membership set status = 'LEFT' where member_id = ?", [leaver!.member.id]);
    const summary = 'We compared three tools.\nNext time: hands-on.';
    const posted = expectData(await post(world.coordinator.token, meeting.id, summary, [slides.id, sheet.id])).postMeetingSummary;
    expect(posted).toMatchObject({ summary, status: 'HELD', summaryThread: { kind: 'ANNOUNCEMENT', title: 'Summary: Spring tools, part 2', author: { id: world.coordinator.id } } });
    expect(posted.summaryPostedAt).not.toBeNull();
    expect(posted.summaryThread!.body).toBe(`${summary}\n\nResources shared:\n- Slides, part 2: https://example.org/slides\n- Sign-up sheet: https://example.org/sheet`);

    // Twice: CONFLICT, one thread.
    expectError(await post(world.coordinator.token, meeting.id, 'Again'), 'CONFLICT');
    expect(await threadsOf(world.community.id)).toBe(1);

    await fanOutAll(server);
    const told = await server.em().execute<{ recipient_id: string; title: string; subject_type: string; subject_id: string }[]>(
      "select recipient_id, title, subject_type, subject_id from notification where kind = 'MEETING_SUMMARY' and community_id = ? order by recipient_id",
      [world.community.community.id],
    );
    expect(told.map((row) => row.recipient_id).sort()).toEqual([attendee!.member.id, going!.member.id, interested!.member.id].sort());
    expect(told[0]).toMatchObject({ title: 'The summary of “Spring tools, part 2” (' + world.community.community.name + ') is posted', subject_type: 'Thread', subject_id: dbId(posted.summaryThread!.id) });
    expect(told.map((row) => row.recipient_id)).not.toContain(bystander!.member.id);
    // The announcement itself reaches REALTIME members as announcements do.
    expect(await countRows(server, "select count(*) as n from notification where kind = 'ANNOUNCEMENT' and subject_id = ?", dbId(posted.summaryThread!.id))).toBeGreaterThan(0);
    // Emailed at once to the member who chose ALWAYS (the others' email waits for EMAIL_DELAY_SECONDS).
    const mailed = () => sent.filter((mail) => mail.memberId === going!.member.id && mail.category === 'notification:MEETING_SUMMARY');
    for (let tries = 0; tries < 200 && !mailed().length; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mailed()).toHaveLength(1);
    expect(mailed()[0]!.text).toContain(`/demo#c=${world.community.community.slug}&t=`);
  });

  it('goes through startThread for a LEAD, and is posted for staff who organise without being members', async () => {
    const world = await meetingWorld(server);
    const lead = await server.factories.activeMember(world.community, [CommunityRole.LEAD]);
    const staff = await server.factories.staff();
    const byLead = await world.meeting();
    const byStaff = await world.meeting();
    await startedAgo(server, byLead.id);
    await startedAgo(server, byStaff.id);
    const leadThread = expectData(await post(lead.token, byLead.id, 'Lead notes')).postMeetingSummary.summaryThread!;
    expect(leadThread).toMatchObject({ kind: 'ANNOUNCEMENT', author: { id: lead.id }, body: 'Lead notes' });
    const staffThread = expectData(await post(staff.token, byStaff.id, 'Staff notes')).postMeetingSummary.summaryThread!;
    expect(staffThread).toMatchObject({ kind: 'ANNOUNCEMENT', author: { id: staff.id } });
    expect(await countRows(server, "select count(*) as n from domain_event where type = 'ThreadStarted' and payload->>'communityId' = ?", world.community.community.id)).toBe(2);
    // A retired community takes no summary.
    const late = await world.meeting();
    await startedAgo(server, late.id);
    await server.em().execute("update community set status = 'RETIRED' where id = ?", [world.community.community.id]);
    expectError(await post(world.coordinator.token, late.id, 'Too late'), 'FORBIDDEN');
  });
});
