import ICAL from 'ical.js';
import { AuditLogDocument, CalendarFeedUrlDocument, AnswerTimePollDocument, MergeCommunitiesDocument, RetireCommunityDocument, SplitCommunityDocument } from '../generated/graphql';
import { postDueRituals } from '../../src/modules/meetings/rituals/jobs/postDueRituals';
import { sendReminder } from '../../src/modules/meetings/reminders/sendReminder';
import { toGlobalId } from '../../src/shared/ids';
import { fanOutAll } from '../notifications/support';
import { CommunityRole } from '../support/factories';
import { badInputFields, countRows, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { dbId, freshSlug, placeOf, snapshot } from './lifecycleSupport';
import { annualOf, communityOf, ensureAnnual, movedEvents, nextMondayNine, organiser, queuedReminderJobs, read, rsvp, unsentReminders } from './lifecycleMeetingsSupport';

const PUBLIC_URL = 'https://hub.example.org';
let server: TestServer;
beforeAll(async () => {
  // The crons are pushed out of the way: the test runs the reminders and rituals itself, at chosen moments.
  server = await startTestServer({ PUBLIC_URL, ORG_TIME_ZONE: 'America/Chicago', MEETING_REMINDERS_CRON: '0 0 1 1 *', RITUALS_CRON: '0 0 1 1 *' });
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const ORGANISER_ROLES = [CommunityRole.LEAD, CommunityRole.MEETING_COORDINATOR, CommunityRole.DISCUSSION_MONITOR];
type Built = Awaited<ReturnType<TestServer['factories']['community']>>;

const setJoined = (membershipId: string, at: string) => server.em().execute('update membership set joined_at = ? where id = ?', [at, dbId(membershipId)]);
const membershipOf = async (memberDbId: string, communityDbId: string) =>
  (await server.em().execute<{ id: string }[]>('select id from membership where member_id = ? and community_id = ?', [memberDbId, communityDbId]))[0]!.id;
const hostsOf = async (ritualId: string) => (await server.em().execute<{ host_membership_ids: string[] }[]>('select host_membership_ids from ritual where id = ?', [dbId(ritualId)]))[0]!.host_membership_ids;

/** Sends a meeting's first unsent reminder now (as its job would at its due time); returns the notifications it made. */
async function sendFirstReminder(meetingId: string) {
  const [row] = await unsentReminders(server, meetingId);
  const made = await sendReminder(server.app.services, row!.id, new Date(row!.due_at), new Date(new Date(row!.due_at).getTime() + 1_000));
  const told = await server.em().execute<{ recipient_id: string; community_id: string }[]>(
    "select recipient_id, community_id from notification where kind = 'MEETING_REMINDER' and subject_id = ?",
    [dbId(meetingId)],
  );
  return { made, told };
}

/** Runs the ritual job at a ritual's first occurrence (plus a minute) and returns that ritual's occurrence threads. */
async function postFirstOccurrence(ritualId: string) {
  await postDueRituals(server.app.services, new Date(Date.parse(nextMondayNine()) + 60_000));
  return server.em().execute<{ thread_id: string | null; host_id: string | null; status: string }[]>(
    'select thread_id, host_id, status::text as status from ritual_occurrence where ritual_id = ?',
    [dbId(ritualId)],
  );
}

async function feedEvent(member: { token: string }, meetingDbId: string) {
  const url = expectData(await server.gql(CalendarFeedUrlDocument, {}, { token: member.token })).viewer!.calendarFeedUrl!;
  const body = await (await fetch(server.app.url + url.slice(PUBLIC_URL.length))).text();
  return ICAL.Component.fromString(body)
    .getAllSubcomponents('vevent')
    .find((event) => String(event.getFirstPropertyValue('uid')).startsWith(meetingDbId));
}

describe('mergeCommunities and meetings', () => {
  it('moves non-ANNUAL meetings (answers, reminders), time polls, rituals (same hosts) and surveys, keeping their IDs; the sources’ annual meetings are cancelled', async () => {
    const staff = await server.factories.staff();
    const open = await server.factories.community();
    const restricted = await server.factories.restrictedCommunity();
    const lead = await server.factories.activeMember(open, ORGANISER_ROLES);
    // The host belongs to both; the RESTRICTED membership is older, so it is the one the merge keeps.
    const host = await server.factories.member();
    const hostInOpen = await server.factories.membership(host, open);
    const hostInRestricted = await server.factories.membership(host, restricted);
    await setJoined(hostInRestricted.id, '2026-01-01T00:00:00.000Z');
    await setJoined(hostInOpen.id, '2026-06-01T00:00:00.000Z');
    const goer = await server.factories.activeMember(open);
    const annualGoer = await server.factories.activeMember(open);
    const outsider = await server.factories.member();
    await ensureAnnual(server);
    const org = organiser(server, lead.token);
    const meetup = await org.meeting(open.id, { title: 'Merge meetup' });
    await rsvp(server, goer.token, meetup.id);
    const poll = await org.poll(open.id);
    const ritual = await org.ritual(open.id, [hostInOpen.id]);
    const survey = await org.survey(open.id, meetup.id);
    const [openAnnual] = await annualOf(server, open.community.id);
    const [restrictedAnnual] = await annualOf(server, restricted.community.id);
    const annualSurvey = await organiser(server, staff.token).survey(open.id, toGlobalId('Meeting', openAnnual!.id));
    await rsvp(server, annualGoer.token, toGlobalId('Meeting', openAnnual!.id), 'INTERESTED');
    await fanOutAll(server); // MEETING_SCHEDULED, TIME_POLL_OPENED, SURVEY_OPENED in the sources' members' inboxes
    const reminders = await unsentReminders(server, meetup.id);
    expect(reminders).toHaveLength(2);
    // Before the merge the meetup is public (OPEN community).
    expect(expectData(await read.meeting(server, meetup.id, outsider.token)).node).toMatchObject({ id: meetup.id });

    const input = { communityIds: [open.id, restricted.id], into: { name: 'Merged meetings', slug: freshSlug('merged'), description: 'Together', topics: [] } };
    const { mergeCommunities } = expectData(await server.gql(MergeCommunitiesDocument, { input }, { token: staff.token }));
    const merged = dbId(mergeCommunities.id);
    expect(mergeCommunities.visibility).toBe('RESTRICTED');

    // Moved, IDs kept; the survey about an ANNUAL meeting stays with it in the archive.
    for (const [table, id] of [['meeting', meetup.id], ['time_poll', poll.id], ['ritual', ritual.id], ['survey', survey.id]] as const) {
      expect([table, await communityOf(server, table, id)]).toEqual([table, merged]);
    }
    expect(await communityOf(server, 'survey', annualSurvey.id)).toBe(open.community.id);

    // ANNUAL meetings stay with their retired sources, CANCELLED (calendars told: sequence bumped); the merged
    // community has its own for the coming year; the annual job adds none to a retired community.
    for (const [source, annual] of [[open, openAnnual], [restricted, restrictedAnnual]] as const) {
      expect(await annualOf(server, source.community.id)).toEqual([{ ...annual, status: 'CANCELLED', sequence: 1 }]);
    }
    expect((await annualOf(server, merged)).map((m) => [m.annual_year, m.status])).toEqual([[openAnnual!.annual_year, 'TENTATIVE']]);
    await ensureAnnual(server);
    expect(await annualOf(server, open.community.id)).toHaveLength(1);

    // The meetup keeps its answers, is read with the merged community's rights (RESTRICTED: no longer public)…
    expect(expectData(await read.meeting(server, meetup.id, goer.token)).node).toMatchObject({ id: meetup.id, status: 'SCHEDULED', community: { id: mergeCommunities.id } });
    expect(expectData(await read.counts(server, meetup.id, goer.token)).node).toMatchObject({ goingCount: 1, viewerRsvp: 'GOING' });
    for (const token of [outsider.token, undefined]) expectError(await read.meeting(server, meetup.id, token), 'FORBIDDEN');
    // …its reminders are the same rows with their jobs, and remind the merged community's members.
    expect((await unsentReminders(server, meetup.id)).map((r) => r.id)).toEqual(reminders.map((r) => r.id));
    expect(await queuedReminderJobs(server, reminders.map((r) => r.id))).toBe(2);
    const { made, told } = await sendFirstReminder(meetup.id);
    expect(made).toBe(1);
    expect(told).toEqual([{ recipient_id: goer.member.id, community_id: merged }]);
    // …and its calendar entry now links to the merged community, as a new version.
    const entry = await feedEvent(goer, dbId(meetup.id));
    expect(entry!.getFirstPropertyValue('sequence')).toBe(1);
    expect(String(entry!.getFirstPropertyValue('url'))).toContain(`c=${input.into.slug}`);

    // Earlier notifications about the moved objects follow them (the inbox filters on their community).
    const notified = await server.em().execute<{ subject_type: string; community_id: string }[]>(
      'select distinct subject_type, community_id from notification where subject_id in (?, ?, ?) order by 1',
      [dbId(meetup.id), dbId(poll.id), dbId(survey.id)],
    );
    expect(notified).toEqual([
      { subject_type: 'Meeting', community_id: merged },
      { subject_type: 'Survey', community_id: merged },
      { subject_type: 'TimePoll', community_id: merged },
    ]);

    // The poll and survey stay open and take answers in the merged community.
    const { node: openPoll } = expectData(await read.poll(server, poll.id, goer.token));
    expect(openPoll).toMatchObject({ status: 'OPEN', community: { id: mergeCommunities.id } });
    const optionId = (openPoll as { options: { id: string }[] }).options[0]!.id;
    expectData(await server.gql(AnswerTimePollDocument, { input: { pollId: poll.id, answers: [{ optionId, answer: 'YES' }] } }, { token: goer.token }));
    expect(expectData(await read.survey(server, survey.id, goer.token)).node).toMatchObject({ status: 'OPEN', meeting: { id: meetup.id }, community: { id: mergeCommunities.id } });

    // The ritual is hosted by the same member, through the membership the merge kept, and posts in the merged community.
    expect(await hostsOf(ritual.id)).toEqual([dbId(hostInRestricted.id)]);
    expect(expectData(await read.ritual(server, ritual.id, host.token)).node).toMatchObject({ paused: false, hosts: [{ id: host.id }], community: { id: mergeCommunities.id } });
    const [occurrence] = await postFirstOccurrence(ritual.id);
    expect(occurrence).toMatchObject({ status: 'POSTED', host_id: host.member.id });
    expect(await placeOf(server, 'thread', [occurrence!.thread_id!])).toEqual({ [occurrence!.thread_id!]: merged });

    // One event per move, in the merge's transaction, by the staff member; the annual meetings' cancellations.
    for (const [type, key, id] of [['MeetingMoved', 'meetingId', meetup.id], ['TimePollMoved', 'pollId', poll.id], ['RitualMoved', 'ritualId', ritual.id], ['SurveyMoved', 'surveyId', survey.id]] as const) {
      expect(await movedEvents(server, type, key, id)).toEqual([
        { actor_id: staff.member.id, community_id: merged, payload: expect.objectContaining({ communityId: merged, fromCommunityId: open.community.id }) },
      ]);
    }
    for (const annual of [openAnnual!, restrictedAnnual!]) {
      expect(await movedEvents(server, 'MeetingCancelled', 'meetingId', toGlobalId('Meeting', annual.id))).toEqual([expect.objectContaining({ actor_id: staff.member.id })]);
    }
    // Those who answered are told, where they may still read the archive (an OPEN source: anyone may).
    await fanOutAll(server);
    expect(await countRows(server, "select count(*) as n from notification where kind = 'MEETING_CANCELLED' and subject_id = ? and recipient_id = ?", openAnnual!.id, annualGoer.member.id)).toBe(1);

    // The survey that stayed is closed; the audit entry says what moved and what wound down.
    expect(expectData(await read.survey(server, annualSurvey.id, staff.token)).node).toMatchObject({ status: 'CLOSED' });
    const { auditLog } = expectData(await server.gql(AuditLogDocument, { communityId: open.id }, { token: staff.token }));
    expect(auditLog.edges[0]!.node.details).toMatchObject({
      meetings: 1,
      timePolls: 1,
      rituals: 1,
      surveys: 1,
      woundDown: { meetingsCancelled: 1, ritualsPaused: 0, timePollsClosed: 0, surveysClosed: 1 },
    });
  });
});

describe('splitCommunity and meetings', () => {
  async function splitWorld() {
    const staff = await server.factories.staff();
    const original = await server.factories.community();
    const lead = await server.factories.activeMember(original, ORGANISER_ROLES);
    const host = await server.factories.activeMember(original);
    const goer = await server.factories.activeMember(original);
    await ensureAnnual(server);
    const org = organiser(server, lead.token);
    const moving = await org.meeting(original.id, { title: 'Moves to a part' });
    const staying = await org.meeting(original.id, { title: 'Stays behind' });
    for (const meeting of [moving, staying]) await rsvp(server, goer.token, meeting.id);
    const world = {
      staff,
      original,
      host,
      goer,
      moving,
      staying,
      annual: (await annualOf(server, original.community.id))[0]!,
      aboutMoving: await org.survey(original.id, moving.id),
      openSurvey: await org.survey(original.id),
      poll: await org.poll(original.id),
      movingRitual: await org.ritual(original.id, [host.membershipId]),
      stayingRitual: await org.ritual(original.id, [host.membershipId]),
    };
    return world;
  }
  const part = (name: string, lists: Record<string, string[]> = {}) => ({ name, slug: freshSlug(name.toLowerCase().replace(/ /g, '-')), description: name, topics: [], threadIds: [], ...lists });
  const split = (communityId: string, parts: ReturnType<typeof part>[], token: string) => server.gql(SplitCommunityDocument, { input: { communityId, parts } }, { token });

  it('refuses, writing nothing, an ANNUAL meeting, another community’s meeting, a survey sent away from its meeting, a meeting in two parts, a wrong ID', async () => {
    const w = await splitWorld();
    const other: Built = await server.factories.community();
    const otherMeeting = await organiser(server, w.staff.token).meeting(other.id);
    const annualId = toGlobalId('Meeting', w.annual.id);
    await fanOutAll(server); // the notifications (and their events) of what was just created, before counting
    const before = await snapshot(server);
    const cases: [Record<string, string[]>[], string[]][] = [
      [[{ meetingIds: [annualId] }, {}], ['parts.0.meetingIds']],
      [[{ meetingIds: [otherMeeting.id] }, {}], ['parts.0.meetingIds']],
      [[{ meetingIds: [w.moving.id] }, { surveyIds: [w.aboutMoving.id] }], ['parts.1.surveyIds']],
      [[{ surveyIds: [w.aboutMoving.id] }, {}], ['parts.0.surveyIds']],
      [[{ meetingIds: [w.moving.id] }, { meetingIds: [w.moving.id] }], ['parts.1.meetingIds']],
      [[{ ritualIds: [w.moving.id] }, {}], ['parts.0.ritualIds']],
      [[{ timePollIds: [w.openSurvey.id] }, {}], ['parts.0.timePollIds']],
    ];
    for (const [lists, fields] of cases) {
      const parts = lists.map((l, i) => part(`Refused ${i}`, l));
      expect(badInputFields(await split(w.original.id, parts, w.staff.token))).toEqual(fields);
    }
    expect(await snapshot(server)).toEqual(before);
    expect(await annualOf(server, w.original.community.id)).toEqual([w.annual]);
    expect(await unsentReminders(server, w.staying.id)).toHaveLength(2);
    // Non-staff cannot split whatever they list.
    expectError(await split(w.original.id, [part('Lead A', { meetingIds: [w.moving.id] }), part('Lead B')], w.goer.token), 'FORBIDDEN');
  });

  it('moves what the parts list (a survey follows its meeting; a ritual keeps its host), and winds down what stays in the retired original', async () => {
    const w = await splitWorld();
    const stayingReminders = await unsentReminders(server, w.staying.id);
    const parts = [part('Meetings part', { meetingIds: [w.moving.id] }), part('Rituals part', { ritualIds: [w.movingRitual.id] })];
    const { splitCommunity } = expectData(await split(w.original.id, parts, w.staff.token));
    const [first, second] = splitCommunity.map((c) => dbId(c.id)) as [string, string];

    // Listed: moved with IDs kept; the survey about the moved meeting went with it unlisted.
    expect(await communityOf(server, 'meeting', w.moving.id)).toBe(first);
    expect(await communityOf(server, 'survey', w.aboutMoving.id)).toBe(first);
    expect(await communityOf(server, 'ritual', w.movingRitual.id)).toBe(second);
    expect(expectData(await read.counts(server, w.moving.id, w.goer.token)).node).toMatchObject({ status: 'SCHEDULED', goingCount: 1, viewerRsvp: 'GOING' });
    const { made, told } = await sendFirstReminder(w.moving.id);
    expect(made).toBe(1);
    expect(told).toEqual([{ recipient_id: w.goer.member.id, community_id: first }]);

    // The ritual's host is the same member through their membership of the part, and it posts there.
    expect(await hostsOf(w.movingRitual.id)).toEqual([await membershipOf(w.host.member.id, second)]);
    const [occurrence] = await postFirstOccurrence(w.movingRitual.id);
    expect(occurrence).toMatchObject({ status: 'POSTED', host_id: w.host.member.id });
    expect(await placeOf(server, 'thread', [occurrence!.thread_id!])).toEqual({ [occurrence!.thread_id!]: second });

    // Each part has its own coming annual meeting; the original's is cancelled with the meeting that stayed.
    for (const id of [first, second]) expect((await annualOf(server, id)).map((m) => [m.annual_year, m.status])).toEqual([[w.annual.annual_year, 'TENTATIVE']]);
    expect(await annualOf(server, w.original.community.id)).toEqual([{ ...w.annual, status: 'CANCELLED', sequence: 1 }]);
    expect(expectData(await read.meeting(server, w.staying.id, w.goer.token)).node).toMatchObject({ status: 'CANCELLED', community: { id: w.original.id } });
    expect(await unsentReminders(server, w.staying.id)).toEqual([]);
    expect(await queuedReminderJobs(server, stayingReminders.map((r) => r.id))).toBe(0);
    expect(await movedEvents(server, 'MeetingCancelled', 'meetingId', w.staying.id)).toEqual([expect.objectContaining({ actor_id: w.staff.member.id })]);
    await fanOutAll(server);
    expect(await countRows(server, "select count(*) as n from notification where kind = 'MEETING_CANCELLED' and subject_id = ? and recipient_id = ?", dbId(w.staying.id), w.goer.member.id)).toBe(1);

    // The ritual that stayed is paused and posts nothing; the open poll (on no option) and survey are closed.
    expect(expectData(await read.ritual(server, w.stayingRitual.id, w.goer.token)).node).toMatchObject({ paused: true, nextOccurrenceAt: null });
    expect(await postFirstOccurrence(w.stayingRitual.id)).toEqual([]);
    expect(await movedEvents(server, 'RitualPauseChanged', 'ritualId', w.stayingRitual.id)).toEqual([expect.objectContaining({ payload: expect.objectContaining({ paused: true }) })]);
    expect(expectData(await read.poll(server, w.poll.id, w.goer.token)).node).toMatchObject({ status: 'CLOSED', chosenOption: null, meeting: null });
    expect(await movedEvents(server, 'TimePollClosed', 'pollId', w.poll.id)).toEqual([expect.objectContaining({ payload: expect.objectContaining({ optionId: null, chosenBy: 'NONE' }) })]);
    expect(expectData(await read.survey(server, w.openSurvey.id, w.goer.token)).node).toMatchObject({ status: 'CLOSED' });

    const { auditLog } = expectData(await server.gql(AuditLogDocument, { communityId: w.original.id }, { token: w.staff.token }));
    expect(auditLog.edges[0]!.node.details).toMatchObject({
      parts: [
        expect.objectContaining({ meetings: 1, surveys: 1, rituals: 0, timePolls: 0 }),
        expect.objectContaining({ meetings: 0, surveys: 0, rituals: 1, timePolls: 0 }),
      ],
      woundDown: { meetingsCancelled: 2, ritualsPaused: 1, timePollsClosed: 1, surveysClosed: 1 },
    });
  });
});

describe('retireCommunity and meetings', () => {
  it('cancels the meetings ahead (its annual one included) but not one under way, and pauses its rituals', async () => {
    const staff = await server.factories.staff();
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, ORGANISER_ROLES);
    await ensureAnnual(server);
    const org = organiser(server, lead.token);
    const ahead = await org.meeting(community.id);
    const underWay = await org.meeting(community.id, { title: 'Under way' });
    await server.em().execute("update meeting set starts_at = now() - interval '30 minutes', ends_at = now() + interval '30 minutes' where id = ?", [dbId(underWay.id)]);
    const ritual = await org.ritual(community.id, [lead.membershipId]);

    expectData(await server.gql(RetireCommunityDocument, { input: { communityId: community.id, reason: 'Done' } }, { token: staff.token }));
    expect(expectData(await read.meeting(server, ahead.id, lead.token)).node).toMatchObject({ status: 'CANCELLED' });
    expect(expectData(await read.meeting(server, underWay.id, lead.token)).node).toMatchObject({ status: 'SCHEDULED' });
    expect((await annualOf(server, community.community.id)).map((m) => m.status)).toEqual(['CANCELLED']);
    expect(expectData(await read.ritual(server, ritual.id, lead.token)).node).toMatchObject({ paused: true });
    await ensureAnnual(server);
    expect(await annualOf(server, community.community.id)).toHaveLength(1);
  });
});
