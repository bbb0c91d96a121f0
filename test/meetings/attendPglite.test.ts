import ICAL from 'ical.js';
import { useEmbeddedApp } from '../support/embedded';
import { CommunityMeetingAnswersDocument, LogInDocument, MeetingAnswersDocument, RsvpDocument, ScheduleMeetingDocument } from '../generated/graphql';
import type { Em } from '../../src/db/orm';
import { toGlobalId } from '../../src/shared/ids';
import { STAFF_EMAIL } from '../../src/db/seed/demo';
import { DEMO_PAST_MEETUP_TITLE } from '../../src/modules/meetings/rsvp/attend.seed';

type Row = { node: { id: string; status: string; capacity: number | null; goingCount: number; waitlistCount: number; viewerRsvp: string | null; summary: string | null; icsUrl: string; attendees: { totalCount: number } } };

/** The zero-setup default (embedded PGlite, seeded): the demo meetups, answers under parallel requests, and .ics files. */
describe('answers and calendars on the embedded PGlite database', () => {
  const embedded = useEmbeddedApp('practicehub-attend-pglite-');
  async function gql(document: Parameters<typeof embedded.gql>[0], variables: unknown, token?: string) {
    const json = await embedded.gql(document, variables, token);
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data;
  }
  const fetchIcs = (url: string) => fetch(`${embedded.app.url}${new URL(url).pathname}${new URL(url).search}`);
  const em = () => embedded.app.services.orm.em.fork() as Em;
  const communityId = async (where: string) => {
    const [row] = await em().execute<{ id: string }[]>(`select id from community where ${where} order by slug limit 1`);
    return row!.id;
  };
  const logIn = async (email: string) => (await gql(LogInDocument, { input: { email, password: embedded.demo!.password } })).logIn.token as string;
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

  it('has the demo meetups, fills a meetup exactly under parallel answers, and serves its .ics', async () => {
    const demo = await logIn(embedded.demo!.email);
    const staff = await logIn(STAFF_EMAIL);
    const tools = (await gql(CommunityMeetingAnswersDocument, { slug: 'digital-tools' }, demo)).community.meetings.edges as Row[];
    const full = tools.find((edge) => edge.node.capacity === 6)!.node;
    expect(full).toMatchObject({ status: 'SCHEDULED', viewerRsvp: 'GOING', goingCount: 6, waitlistCount: 3 });
    const past = tools.find((edge) => edge.node.status === 'HELD')!.node;
    expect(past.attendees.totalCount).toBe(8);
    expect(past.summary).toContain('help desks');
    const pastEvent = ICAL.Component.fromString(await (await fetchIcs(past.icsUrl)).text()).getFirstSubcomponent('vevent')!;
    expect(pastEvent.getFirstPropertyValue('summary')).toBe(DEMO_PAST_MEETUP_TITLE);

    // The demo account gives up its place: the first waitlisted member is promoted.
    expect((await gql(RsvpDocument, { input: { meetingId: full.id, status: 'NOT_GOING' } }, demo)).rsvp).toMatchObject({ goingCount: 6, waitlistCount: 2, viewerRsvp: 'NOT_GOING' });

    // A new meetup with two places, answered by eight members at once: two GOING, six WAITLISTED.
    const toolsId = await communityId("slug = 'digital-tools'");
    const input = { communityId: toGlobalId('Community', toolsId), kind: 'MEETUP', title: 'Embedded meetup', startsAt: inDays(5), capacity: 2 };
    const meetup = (await gql(ScheduleMeetingDocument, { input }, staff)).scheduleMeeting as { id: string };
    const members = await em().execute<{ member_id: string }[]>("select member_id from membership where community_id = ? and status = 'ACTIVE' order by member_id limit 8", [toolsId]);
    const tokens = await Promise.all(members.map((row) => embedded.app.services.tokens.issue(row.member_id)));
    const answers = await Promise.all(tokens.map((token) => embedded.gql(RsvpDocument, { input: { meetingId: meetup.id, status: 'GOING' } }, token)));
    expect(answers.filter((answer) => answer.errors)).toEqual([]);
    const read = (await gql(MeetingAnswersDocument, { id: meetup.id }, demo)).node as Row['node'];
    expect(read).toMatchObject({ goingCount: 2, waitlistCount: 6 });

    const ics = await fetchIcs(read.icsUrl);
    expect(ics.status).toBe(200);
    const event = ICAL.Component.fromString(await ics.text()).getFirstSubcomponent('vevent')!;
    expect([event.getFirstPropertyValue('summary'), event.getFirstPropertyValue('sequence'), event.getFirstPropertyValue('status')]).toEqual(['Embedded meetup', 0, 'CONFIRMED']);
  }, 90_000);

  it("refuses a RESTRICTED community's .ics to a non-member and serves it to staff through their signed link", async () => {
    const demo = await logIn(embedded.demo!.email);
    const staff = await logIn(STAFF_EMAIL);
    const restricted = await communityId("visibility = 'RESTRICTED' and not exists (select 1 from membership m join member p on p.id = m.member_id where m.community_id = community.id and p.email = 'demo@practicehub.example')");
    const input = { communityId: toGlobalId('Community', restricted), kind: 'MEETUP', title: 'Closed circle', startsAt: inDays(6) };
    const meeting = (await gql(ScheduleMeetingDocument, { input }, staff)).scheduleMeeting as { id: string };
    expect(JSON.stringify((await embedded.gql(MeetingAnswersDocument, { id: meeting.id }, demo)).errors)).toContain('FORBIDDEN');
    const staffUrl = ((await gql(MeetingAnswersDocument, { id: meeting.id }, staff)).node as Row['node']).icsUrl;
    expect((await fetchIcs(staffUrl)).status).toBe(200);
    const bare = await fetchIcs(staffUrl.split('?')[0]!);
    expect(bare.status).toBe(403);
    expect(await bare.text()).not.toContain('Closed circle');
  }, 60_000);
});
