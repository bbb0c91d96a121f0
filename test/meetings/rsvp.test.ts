import { UpdateMeetingDocument, CommunityMeetingAnswersDocument, LeaveCommunityDocument, MeetingAnswersDocument, MeetingCountsDocument, RsvpDocument } from '../generated/graphql';
import type { RsvpAnswerStatus } from '../generated/graphql';
import { OrgRole, MembershipStatus } from '../support/factories';
import { countRows, expectData, expectError, badInputFields, startTestServer, type TestServer } from '../support/server';
import type { BuiltMember } from '../support/factories';
import { captureMail, dispatched, fanOutAll, jobsDone } from '../notifications/support';
import { toGlobalId } from '../../src/shared/ids';
import type { OutgoingMail } from '../../src/mail/mailer';
import type { Em } from '../../src/db/orm';
import { promoteWaitlist } from '../../src/modules/meetings/rsvp/promoteWaitlist';
import { WITHDRAW_ANSWERS_JOB, withdrawLeaversAnswers } from '../../src/modules/meetings/rsvp/jobs/withdrawLeaversAnswers';
import { answersOf, dbId, eventCount, meetingWorld, startedAgo } from './attendSupport';

let server: TestServer;
let sent: OutgoingMail[];
beforeAll(async () => {
  server = await startTestServer({ EMAIL_DELAY_SECONDS: '3600', PUBLIC_URL: 'https://hub.example.org' });
  sent = captureMail(server);
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const answer = (who: { token: string }, meetingId: string, status: RsvpAnswerStatus) => server.gql(RsvpDocument, { input: { meetingId, status } }, { token: who.token });
const answered = async (who: { token: string }, meetingId: string, status: RsvpAnswerStatus) => expectData(await answer(who, meetingId, status)).rsvp;
const rsvpRows = (meetingId: string) => countRows(server, 'select count(*) as n from meeting_rsvp where meeting_id = ?', dbId(meetingId));
const counts = async (meetingId: string, token?: string) => {
  const node = expectData(await server.gql(MeetingCountsDocument, { id: meetingId }, { token })).node as { goingCount: number; waitlistCount: number; viewerRsvp: string | null };
  return { going: node.goingCount, waitlisted: node.waitlistCount, viewer: node.viewerRsvp };
};
const statusOf = async (meetingId: string, member: BuiltMember) => (await answersOf(server, meetingId)).find((row) => row.member_id === member.member.id)?.status ?? null;

describe('rsvp refusals', () => {
  it('needs a signed-in ACTIVE member of the community: anonymous, outsiders (OPEN or RESTRICTED), pending members and staff without membership are refused', async () => {
    for (const visibility of ['OPEN', 'RESTRICTED'] as const) {
      const world = await meetingWorld(server, visibility);
      const meeting = await world.meeting();
      const outsider = await server.factories.member();
      const staff = await server.factories.member({ orgRole: OrgRole.STAFF });
      const pending = await server.factories.member();
      await server.factories.membership(pending, world.community, { status: MembershipStatus.PENDING });
      expectError(await server.gql(RsvpDocument, { input: { meetingId: meeting.id, status: 'GOING' } }), 'UNAUTHENTICATED');
      for (const who of [outsider, staff, pending]) expectError(await answer(who, meeting.id, 'GOING'), 'FORBIDDEN');
      expect(await rsvpRows(meeting.id)).toBe(0);
    }
  });

  it('refuses bad and unknown meeting IDs, and a retired community', async () => {
    const world = await meetingWorld(server);
    const [member] = await world.members(1);
    expect(badInputFields(await answer(member!, world.community.id, 'GOING'))).toEqual(['meetingId']);
    expectError(await answer(member!, toGlobalId('Meeting', '00000000-0000-4000-8000-000000000000'), 'GOING'), 'NOT_FOUND');
    const meeting = await world.meeting();
    await server.em().execute("update community set status = 'RETIRED' where id = ?", [world.community.community.id]);
    expectError(await answer(member!, meeting.id, 'GOING'), 'FORBIDDEN');
    expect(await rsvpRows(meeting.id)).toBe(0);
  });

  it('is CONFLICT once the meeting is cancelled, held or has started, with nothing written', async () => {
    const world = await meetingWorld(server);
    const [member] = await world.members(1);
    const cancelled = await world.meeting();
    await server.em().execute("update meeting set status = 'CANCELLED', cancelled_at = now() where id = ?", [dbId(cancelled.id)]);
    const held = await world.meeting();
    await server.em().execute("update meeting set status = 'HELD' where id = ?", [dbId(held.id)]);
    const started = await world.meeting();
    await startedAgo(server, started.id, 0.5);
    for (const meeting of [cancelled, held, started]) {
      expectError(await answer(member!, meeting.id, 'GOING'), 'CONFLICT');
      expect(await rsvpRows(meeting.id)).toBe(0);
    }
  });
});

describe('rsvp answers and the waitlist', () => {
  it('records and changes an answer, with one RsvpChanged event per change and none for the same answer again', async () => {
    const world = await meetingWorld(server);
    const [member] = await world.members(1);
    const meeting = await world.meeting();
    expect(await answered(member!, meeting.id, 'INTERESTED')).toMatchObject({ viewerRsvp: 'INTERESTED', goingCount: 0, waitlistCount: 0 });
    expect(await answered(member!, meeting.id, 'GOING')).toMatchObject({ viewerRsvp: 'GOING', goingCount: 1 });
    expect(await answered(member!, meeting.id, 'GOING')).toMatchObject({ viewerRsvp: 'GOING', goingCount: 1 });
    expect(await answered(member!, meeting.id, 'NOT_GOING')).toMatchObject({ viewerRsvp: 'NOT_GOING', goingCount: 0 });
    expect(await eventCount(server, 'RsvpChanged', meeting.id)).toBe(3);
    expect(await rsvpRows(meeting.id)).toBe(1);
    // The viewer's own answer only: anonymous viewers and others see none.
    expect(await counts(meeting.id)).toEqual({ going: 0, waitlisted: 0, viewer: null });
    expect((await counts(meeting.id, world.coordinator.token)).viewer).toBeNull();
    // A TENTATIVE meeting (an annual meeting waiting for its time) takes answers.
    await server.em().execute("update meeting set status = 'TENTATIVE', starts_at = null, ends_at = null where id = ?", [dbId(meeting.id)]);
    expect(await answered(member!, meeting.id, 'INTERESTED')).toMatchObject({ viewerRsvp: 'INTERESTED', status: 'TENTATIVE' });
  });

  it('waitlists GOING beyond the capacity and promotes the earliest waitlisted member when a place frees, notifying them', async () => {
    const world = await meetingWorld(server);
    const [a, b, c, d] = await world.members(4);
    await server.em().execute("update member set email_notifications = 'ALWAYS' where id = ?", [c!.member.id]);
    const meeting = await world.meeting({ capacity: 2, title: 'Small room' });
    await answered(a!, meeting.id, 'GOING');
    await answered(b!, meeting.id, 'GOING');
    expect(await answered(c!, meeting.id, 'GOING')).toMatchObject({ viewerRsvp: 'WAITLISTED', goingCount: 2, waitlistCount: 1 });
    expect(await answered(d!, meeting.id, 'GOING')).toMatchObject({ viewerRsvp: 'WAITLISTED', goingCount: 2, waitlistCount: 2 });
    // Answering GOING again keeps one's place in the queue.
    const before = (await answersOf(server, meeting.id)).find((row) => row.member_id === c!.member.id)!.answered_at;
    expect(await answered(c!, meeting.id, 'GOING')).toMatchObject({ viewerRsvp: 'WAITLISTED' });
    expect((await answersOf(server, meeting.id)).find((row) => row.member_id === c!.member.id)!.answered_at).toEqual(before);

    // A leaves: C (the first to wait) gets the place; D waits on.
    expect(await answered(a!, meeting.id, 'NOT_GOING')).toMatchObject({ goingCount: 2, waitlistCount: 1 });
    expect(await counts(meeting.id, c!.token)).toEqual({ going: 2, waitlisted: 1, viewer: 'GOING' });
    expect(await statusOf(meeting.id, d!)).toBe('WAITLISTED');
    await fanOutAll(server);
    const notes = await server.em().execute<{ recipient_id: string; kind: string; title: string; subject_type: string }[]>(
      "select recipient_id, kind::text as kind, title, subject_type from notification where kind = 'WAITLIST_PROMOTED' and subject_id = ?",
      [dbId(meeting.id)],
    );
    expect(notes).toEqual([{ recipient_id: c!.member.id, kind: 'WAITLIST_PROMOTED', title: 'A place freed up: you are now going to “Small room”', subject_type: 'Meeting' }]);
    // Emailed at once: C chose ALWAYS (WHEN_AWAY members' email waits for EMAIL_DELAY_SECONDS).
    // Their mail also holds the meeting's MEETING_SCHEDULED (they are REALTIME members); the promotion comes once.
    const mailed = () => sent.filter((mail) => mail.memberId === c!.member.id && !mail.subject.includes(' scheduled “'));
    for (let tries = 0; tries < 200 && !mailed().length; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mailed().map((mail) => mail.subject)).toEqual(['A place freed up: you are now going to “Small room”']);

    // A waitlisted member who turns to INTERESTED leaves the queue and frees nothing; a GOING one who does frees a place.
    expect(await answered(d!, meeting.id, 'INTERESTED')).toMatchObject({ goingCount: 2, waitlistCount: 0 });
    await answered(a!, meeting.id, 'GOING');
    expect(await statusOf(meeting.id, a!)).toBe('WAITLISTED');
    await answered(b!, meeting.id, 'INTERESTED');
    expect(await statusOf(meeting.id, a!)).toBe('GOING');
    expect(await counts(meeting.id)).toMatchObject({ going: 2, waitlisted: 0 });
    expect(await eventCount(server, 'WaitlistPromoted', meeting.id)).toBe(2);
  });

  it('never overfills under many parallel answers: exactly capacity GOING, the rest WAITLISTED in arrival order, promoted in that order', async () => {
    const world = await meetingWorld(server);
    const capacity = 5;
    const members = await world.members(24);
    const meeting = await world.meeting({ capacity });
    const responses = await Promise.all(members.map((member) => answer(member, meeting.id, 'GOING')));
    for (const response of responses) expectData(response);
    const rows = await answersOf(server, meeting.id);
    expect(rows.filter((row) => row.status === 'GOING')).toHaveLength(capacity);
    const waiting = rows.filter((row) => row.status === 'WAITLISTED');
    expect(waiting).toHaveLength(members.length - capacity);
    // Arrival order = the order the lock was taken: every place went before anyone waited, each wait after the last.
    const lastPlace = Math.max(...rows.filter((row) => row.status === 'GOING').map((row) => new Date(row.answered_at).getTime()));
    const waits = waiting.map((row) => new Date(row.answered_at).getTime());
    expect(waits[0]).toBeGreaterThan(lastPlace);
    expect(new Set(waits).size).toBe(waits.length);
    // Each answer saw the one before it: the GOING answers' events are numbered before the WAITLISTED ones'.
    const order = await server
      .em()
      .execute<{ member_id: string; status: string }[]>("select payload->>'memberId' as member_id, payload->>'status' as status from domain_event where type = 'RsvpChanged' and payload->>'meetingId' = ? order by id", [dbId(meeting.id)]);
    expect(order.slice(0, capacity).every((row) => row.status === 'GOING')).toBe(true);
    expect(order.slice(capacity).map((row) => row.member_id)).toEqual(waiting.map((row) => row.member_id));

    // Three places free at once (parallel): the three earliest waiting get them, never more than the capacity.
    const goingIds = rows.filter((row) => row.status === 'GOING').map((row) => row.member_id).slice(0, 3);
    const leaving = members.filter((member) => goingIds.includes(member.member.id));
    const late = members.filter((member) => !rows.some((row) => row.member_id === member.member.id));
    expect(late).toEqual([]);
    await Promise.all(leaving.map((member) => answered(member, meeting.id, 'NOT_GOING')));
    const after = await answersOf(server, meeting.id);
    const promoted = after.filter((row) => row.status === 'GOING' && waiting.some((w) => w.member_id === row.member_id)).map((row) => row.member_id);
    expect(promoted.sort()).toEqual(waiting.slice(0, 3).map((row) => row.member_id).sort());
    expect(after.filter((row) => row.status === 'GOING')).toHaveLength(capacity);
  }, 30_000);

  it('promoteWaitlist gives a raised capacity to the waitlist in order (the hook for updateMeeting)', async () => {
    const world = await meetingWorld(server);
    const [a, b, c, d] = await world.members(4);
    const meeting = await world.meeting({ capacity: 1 });
    for (const member of [a, b, c, d]) await answered(member!, meeting.id, 'GOING');
    const promoted = await server.em().transactional(async (em) => {
      await em.execute('update meeting set capacity = 3 where id = ?', [dbId(meeting.id)]);
      return promoteWaitlist(em as Em, dbId(meeting.id), world.coordinator.member.id);
    });
    expect(promoted).toEqual([b!.member.id, c!.member.id]);
    expect(await counts(meeting.id)).toMatchObject({ going: 3, waitlisted: 1 });
    // No capacity at all: everyone waiting goes.
    await server.em().execute('update meeting set capacity = null where id = ?', [dbId(meeting.id)]);
    // A new GOING answer first lets those waiting in (a capacity change that did not promote cannot be jumped).
    const [e] = await world.members(1);
    expect(await answered(e!, meeting.id, 'GOING')).toMatchObject({ viewerRsvp: 'GOING', goingCount: 5, waitlistCount: 0 });
    expect(await statusOf(meeting.id, d!)).toBe('GOING');
  });

  it('updateMeeting raising the capacity promotes the waitlist in order, in its transaction', async () => {
    const world = await meetingWorld(server);
    const [a, b, c, d] = await world.members(4);
    const meeting = await world.meeting({ capacity: 1 });
    for (const member of [a, b, c, d]) await answered(member!, meeting.id, 'GOING');
    expectData(await server.gql(UpdateMeetingDocument, { input: { meetingId: meeting.id, capacity: 3 } }, { token: world.coordinator.token }));
    expect(await counts(meeting.id)).toMatchObject({ going: 3, waitlisted: 1 });
    expect(await statusOf(meeting.id, b!)).toBe('GOING');
    expect(await statusOf(meeting.id, c!)).toBe('GOING');
    expect(await statusOf(meeting.id, d!)).toBe('WAITLISTED');
    expect(await eventCount(server, 'WaitlistPromoted', meeting.id)).toBe(2);
  });

  it('withdraws a leaver’s answers to meetings ahead and gives their place to the waitlist', async () => {
    const world = await meetingWorld(server);
    const [leaver, waiting, other] = await world.members(3);
    const meeting = await world.meeting({ capacity: 1 });
    const second = await world.meeting({ startsAt: new Date(Date.now() + 72 * 3_600_000).toISOString() });
    await answered(leaver!, meeting.id, 'GOING');
    await answered(waiting!, meeting.id, 'GOING');
    await answered(leaver!, second.id, 'INTERESTED');
    await answered(other!, second.id, 'GOING');
    expectData(await server.gql(LeaveCommunityDocument, { communityId: world.community.id }, { token: leaver!.token }));
    await dispatched(server);
    await jobsDone(server, WITHDRAW_ANSWERS_JOB);
    expect(await statusOf(meeting.id, leaver!)).toBe('NOT_GOING');
    expect(await statusOf(second.id, leaver!)).toBe('NOT_GOING');
    expect(await statusOf(meeting.id, waiting!)).toBe('GOING');
    expect(await statusOf(second.id, other!)).toBe('GOING');
    expect(await countRows(server, "select count(*) as n from domain_event where type = 'RsvpChanged' and payload->>'reason' = 'LEFT_COMMUNITY' and payload->>'memberId' = ?", leaver!.member.id)).toBe(2);
    await fanOutAll(server);
    expect(await countRows(server, "select count(*) as n from notification where kind = 'WAITLIST_PROMOTED' and recipient_id = ?", waiting!.member.id)).toBe(1);
  });

  it('a leaver who was waiting frees no place; answers to meetings started or cancelled stay; a second run and a rejoined member change nothing', async () => {
    const world = await meetingWorld(server);
    const [going, leaver, next, stayer] = await world.members(4);
    const full = await world.meeting({ capacity: 1 });
    const past = await world.meeting();
    const cancelled = await world.meeting();
    await answered(going!, full.id, 'GOING');
    await answered(leaver!, full.id, 'GOING');
    await answered(next!, full.id, 'GOING');
    expect(await statusOf(full.id, leaver!)).toBe('WAITLISTED');
    await answered(leaver!, past.id, 'GOING');
    await answered(leaver!, cancelled.id, 'INTERESTED');
    await answered(stayer!, cancelled.id, 'GOING');
    await startedAgo(server, past.id);
    await server.em().execute("update meeting set status = 'CANCELLED', cancelled_at = now() where id = ?", [dbId(cancelled.id)]);

    expectData(await server.gql(LeaveCommunityDocument, { communityId: world.community.id }, { token: leaver!.token }));
    await dispatched(server);
    await jobsDone(server, WITHDRAW_ANSWERS_JOB);
    expect(await statusOf(full.id, leaver!)).toBe('NOT_GOING');
    // Only a GOING place frees one: the next in the queue waits on, behind nobody now.
    expect(await statusOf(full.id, going!)).toBe('GOING');
    expect(await statusOf(full.id, next!)).toBe('WAITLISTED');
    expect(await counts(full.id)).toMatchObject({ going: 1, waitlisted: 1 });
    expect(await eventCount(server, 'WaitlistPromoted', full.id)).toBe(0);
    // What they answered to a meeting under way or cancelled is history, not a place to give.
    expect(await statusOf(past.id, leaver!)).toBe('GOING');
    expect(await statusOf(cancelled.id, leaver!)).toBe('INTERESTED');
    const withdrawn = () =>
      countRows(server, "select count(*) as n from domain_event where type = 'RsvpChanged' and payload->>'reason' = 'LEFT_COMMUNITY' and payload->>'memberId' = ?", leaver!.member.id);
    expect(await withdrawn()).toBe(1);

    // The job again (a retry, a second delivery): nothing left to withdraw, no event.
    const data = { communityId: world.community.community.id, memberId: leaver!.member.id };
    expect(await withdrawLeaversAnswers(server.em() as Em, data)).toBe(0);
    expect(await withdrawn()).toBe(1);
    // A member who is ACTIVE again by the time the job runs (they rejoined) keeps their answers.
    expect(await withdrawLeaversAnswers(server.em() as Em, { ...data, memberId: going!.member.id })).toBe(0);
    expect(await statusOf(full.id, going!)).toBe('GOING');
  });
});

describe('reading answers', () => {
  it('lists who is GOING, in order, to the community’s members and staff; others see the counts only', async () => {
    const world = await meetingWorld(server);
    const members = await world.members(3);
    const meeting = await world.meeting({ capacity: 2 });
    for (const member of members) await answered(member, meeting.id, 'GOING');
    const read = async (token?: string, first?: number, after?: string | null) => server.gql(MeetingAnswersDocument, { id: meeting.id, first, after }, { token });
    const own = expectData(await read(members[0]!.token)).node as { attendees: { totalCount: number; edges: { attended: boolean; node: { id: string } }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } };
    expect(own.attendees.totalCount).toBe(2);
    expect(own.attendees.edges.map((e) => e.node.id)).toEqual([members[0]!.id, members[1]!.id]);
    expect(own.attendees.edges.every((e) => !e.attended)).toBe(true);
    const page = expectData(await read(world.coordinator.token, 1)).node as typeof own;
    expect(page.attendees.pageInfo.hasNextPage).toBe(true);
    const next = expectData(await read(world.coordinator.token, 1, page.attendees.pageInfo.endCursor)).node as typeof own;
    expect(next.attendees.edges.map((e) => e.node.id)).toEqual([members[1]!.id]);
    const staff = await server.factories.staff();
    expect((expectData(await read(staff.token)).node as typeof own).attendees.totalCount).toBe(2);
    for (const token of [undefined, (await server.factories.member()).token]) {
      const response = await read(token);
      expectError(response, 'FORBIDDEN');
      expect(response.data?.node).toMatchObject({ goingCount: 2, waitlistCount: 1, attendees: null });
    }
    expectError(await read(members[0]!.token, 101), 'BAD_USER_INPUT');
  });

  it('answers counts, viewerRsvp and attendees of a list of meetings with a fixed number of statements', async () => {
    const world = await meetingWorld(server);
    const [member] = await world.members(1);
    const statementsFor = async () => {
      // The answers' events are dispatched and published first (the live event log writes outside any request), so
      // nothing of theirs runs while the request is counted.
      await server.app.services.dispatcher.drain();
      await server.app.services.dispatcher.settled();
      await server.app.services.events.settled();
      server.queries.length = 0;
      expectData(await server.gql(CommunityMeetingAnswersDocument, { slug: world.community.community.slug }, { token: member!.token }));
      return server.queries.length;
    };
    for (let i = 0; i < 2; i++) await answered(member!, (await world.meeting({ capacity: 3 })).id, 'GOING');
    const few = await statementsFor();
    for (let i = 0; i < 6; i++) await answered(member!, (await world.meeting({ capacity: 3 })).id, 'GOING');
    expect(await statementsFor()).toBe(few);
  });
});
