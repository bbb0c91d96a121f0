import { RsvpDocument, ScheduleMeetingDocument, StartThreadWithPollDocument, VotePollDocument } from '../generated/graphql';
import { CommunityRole } from '../support/factories';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { signIn, startDemoBrowser, text, until, type DemoBrowser } from './demoBrowser';

/** The demo page's thread poll, live on threadActivity (PollVoted), and its meeting view (`#c=<slug>&m=<meeting id>`). */
let server: TestServer;
let base: string;
let browser: DemoBrowser;

beforeAll(async () => {
  server = await startTestServer();
  base = server.app.url;
  browser = await startDemoBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

describe('the demo page: thread polls', () => {
  test('shows the open thread’s poll, its counts follow PollVoted live, and a signed-in member votes from the page', async () => {
    const community = await server.factories.community({ name: 'Poll readers' });
    const alice = await server.factories.activeMember(community);
    const bob = await server.factories.activeMember(community);
    await server.em().execute("update member set display_name = 'Bob Voter' where id = ?", [bob.member.id]);
    const input = { communityId: community.id, title: 'Which shelf first?', body: 'Vote below.', poll: { question: 'Which shelf first?', options: ['Fiction', 'Science'] } };
    const { startThread } = expectData(await server.gql(StartThreadWithPollDocument, { input }, { token: alice.token }));
    const [fiction, science] = startThread.poll!.options;

    const problems: string[] = [];
    const page = await browser.openPage('alice', problems);
    await page.goto(`${base}/demo#c=${community.community.slug}&t=${startThread.id}`);
    await signIn(page, alice, alice.member.displayName);
    await page.getByTestId('poll-question').filter({ hasText: 'Which shelf first?' }).waitFor();
    await until(() => text(page, 'live-status'), 'live');
    const votesOf = (optionId: string) => page.locator(`[data-testid="poll-option"][data-option-id="${optionId}"] [data-testid="poll-votes"]`).textContent();
    expect(await votesOf(fiction!.id)).toBe('0 votes');
    expect(await text(page, 'poll-status')).toBe('0 voters');

    // Bob votes from another client: Alice's page shows it without a reload.
    expectData(await server.gql(VotePollDocument, { input: { pollId: startThread.poll!.id, optionIds: [science!.id] } }, { token: bob.token }));
    await until(() => votesOf(science!.id), '1 vote');
    expect(await text(page, 'poll-status')).toBe('1 voter');
    expect(await text(page, 'poll-last')).toBe('Bob Voter voted just now');

    // Alice votes on the page: her choice is marked, and both counts are there.
    await page.locator(`[data-testid="poll-option"][data-option-id="${fiction!.id}"]`).click();
    await until(() => votesOf(fiction!.id), '1 vote');
    await until(() => text(page, 'poll-status'), '2 voters');
    expect(await page.locator(`[data-testid="poll-option"][data-option-id="${fiction!.id}"]`).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator(`[data-testid="poll-option"][data-option-id="${science!.id}"]`).getAttribute('aria-pressed')).toBe('false');
    expect(problems).toEqual([]);
  });
});

describe('the demo page: meetings', () => {
  test('opens a meeting from its m= link with its details and answers, lists the community’s meetings, and keeps the link in the address bar', async () => {
    const community = await server.factories.community({ name: 'Meeting readers' });
    const coordinator = await server.factories.activeMember(community, [CommunityRole.MEETING_COORDINATOR]);
    const alice = await server.factories.activeMember(community);
    const others = [await server.factories.activeMember(community), await server.factories.activeMember(community)];
    const schedule = { communityId: community.id, kind: 'BOOK_CLUB' as const, title: 'Spring <b>book</b> club', description: 'Bring a book.', startsAt: inHours(50), endsAt: inHours(51), timeZone: 'America/Chicago', venue: 'Main library', url: 'https://meet.example.org/spring', capacity: 2 };
    const { scheduleMeeting: meeting } = expectData(await server.gql(ScheduleMeetingDocument, { input: schedule }, { token: coordinator.token }));
    for (const member of [alice, ...others]) expectData(await server.gql(RsvpDocument, { input: { meetingId: meeting.id, status: 'GOING' } }, { token: member.token }));
    const thread = await server.factories.thread(community, alice, { title: 'Before the book club' });

    const problems: string[] = [];
    const page = await browser.openPage('reader', problems);
    // The link the API puts in emails, digests and calendars, opened by someone not signed in (an OPEN community).
    await page.goto(`${base}/demo#c=${community.community.slug}&m=${meeting.id}`);
    await page.getByTestId('meeting-title').filter({ hasText: 'Spring <b>book</b> club' }).waitFor();
    expect(await page.locator('#meeting b').count()).toBe(0);
    expect(await text(page, 'meeting-meta')).toBe('book club · scheduled · Meeting readers');
    expect(await text(page, 'meeting-when')).toContain('(organised in America/Chicago)');
    expect(await text(page, 'meeting-place')).toBe('Main library · https://meet.example.org/spring');
    expect(await page.locator('#meeting-place a').getAttribute('href')).toBe('https://meet.example.org/spring');
    expect(await text(page, 'meeting-description')).toBe('Bring a book.');
    expect(await text(page, 'meeting-counts')).toBe('2 going of 2 places · 1 waitlisted');
    expect(await text(page, 'meeting-answer')).toBe('Sign in to see your answer.');
    expect(await page.getByTestId('thread-view').isHidden()).toBe(true);

    // Signed in, the view shows the viewer's own answer; the side bar lists the meeting among the community's.
    await signIn(page, alice, alice.member.displayName);
    await until(() => text(page, 'meeting-answer'), 'You answered: going.');
    const listed = page.locator(`[data-testid="meeting"][data-meeting-id="${meeting.id}"]`);
    await listed.waitFor();
    expect(await listed.textContent()).toContain('2 going');
    expect(await listed.getAttribute('aria-current')).toBe('true');

    // A thread, then the meeting again from the list: the content and the address bar follow.
    await page.getByTestId('thread').filter({ hasText: 'Before the book club' }).click();
    await page.getByTestId('thread-title').filter({ hasText: 'Before the book club' }).waitFor();
    expect(await page.getByTestId('meeting-view').isHidden()).toBe(true);
    await until(async () => new URL(page.url()).hash.includes(`t=${encodeURIComponent(thread.id)}`), true);
    await listed.click();
    await page.getByTestId('meeting-title').filter({ hasText: 'Spring <b>book</b> club' }).waitFor();
    expect(await page.getByTestId('thread-view').isHidden()).toBe(true);
    await until(async () => new URL(page.url()).hash, `#c=${community.community.slug}&m=${encodeURIComponent(meeting.id)}`);
    expect(problems).toEqual([]);
  });

  test('says a RESTRICTED community’s meeting is for members only, and an unknown one is not found', async () => {
    const community = await server.factories.restrictedCommunity();
    const coordinator = await server.factories.activeMember(community, [CommunityRole.MEETING_COORDINATOR]);
    const input = { communityId: community.id, kind: 'MEETUP' as const, title: 'Members-only meetup', startsAt: inHours(30) };
    const { scheduleMeeting: meeting } = expectData(await server.gql(ScheduleMeetingDocument, { input }, { token: coordinator.token }));

    const problems: string[] = [];
    const page = await browser.openPage('outsider', problems);
    await page.goto(`${base}/demo#c=${community.community.slug}&m=${meeting.id}`);
    await page.getByTestId('meeting-title').filter({ hasText: 'This meeting is for members only' }).waitFor();
    expect(await page.locator('#meeting').textContent()).not.toContain('Members-only meetup');
    await page.getByTestId('meetings').filter({ hasText: 'Members only.' }).waitFor();

    const unknown = Buffer.from('Meeting:00000000-0000-4000-8000-000000000000').toString('base64url');
    await page.goto(`${base}/demo#m=${unknown}`);
    await page.reload();
    await page.getByTestId('meeting-title').filter({ hasText: 'Meeting not found' }).waitFor();
    expect(problems).toEqual([]);
  });
});
