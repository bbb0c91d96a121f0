import { CloseSurveyDocument, CloseTimePollDocument, DigestPreviewDocument } from '../generated/graphql';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { startSmtpSink, type SmtpSink } from '../support/smtp';
import { DIGEST_TEST_ENV, digestWorld } from './world';
import { runDigest } from '../../src/modules/digests/runDigest';
import { DigestFrequency } from '../../src/modules/digests/digest.types';
import { formatTime } from '../../src/mail/render';
import { createPoll, dbId } from '../timePolls/timePollSupport';
import { createSurvey } from '../surveys/support';

let sink: SmtpSink;
let server: TestServer;
let world: ReturnType<typeof digestWorld>;
beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({ ...DIGEST_TEST_ENV, SMTP_URL: sink.url, ORG_TIME_ZONE: 'America/Chicago' });
  world = digestWorld(server);
});
afterAll(async () => {
  await server.close();
  await sink.close();
});
beforeEach(() => world.newPeriod());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const DAY = 86_400_000;
const organise = (membershipOf: { member: { id: string } }, communityDbId: string) =>
  server.em().execute("update membership set roles = '{LEAD,MEETING_COORDINATOR}' where member_id = ? and community_id = ?", [membershipOf.member.id, communityDbId]);
const preview = async (token: string) => expectData(await server.gql(DigestPreviewDocument, { frequency: 'DAILY' }, { token })).digestPreview;

describe('time polls and surveys in the digest', () => {
  it('lists the time polls and surveys opened since the last digest that are still open, readable and not the reader’s own, each once', async () => {
    const community = await server.factories.community({ name: 'Poll Practice' });
    const left = await server.factories.restrictedCommunity();
    const organiser = await world.member([
      [community, 'DAILY_DIGEST'],
      [left, 'REALTIME'],
    ]);
    await organise(organiser, community.community.id);
    await organise(organiser, left.community.id);
    const reader = await world.member([
      [community, 'DAILY_DIGEST'],
      [left, 'DAILY_DIGEST'],
    ]);
    await organise(reader, community.community.id);
    await server.em().execute("update member set time_zone = 'Asia/Tokyo' where id = ?", [reader.member.id]);
    await world.leave(reader, left);

    const poll = await createPoll(server, organiser.token, community.id, [48, 72, 96], { title: 'Spring meetup time' });
    const closedPoll = await createPoll(server, organiser.token, community.id, [48, 72], { title: 'Already decided' });
    expectData(await server.gql(CloseTimePollDocument, { input: { pollId: closedPoll.id } }, { token: organiser.token }));
    const oldPoll = await createPoll(server, organiser.token, community.id, [240, 264], { title: 'Asked last week' });
    await server.em().execute("update time_poll set created_at = now() - interval '8 days' where id = ?", [dbId(oldPoll.id)]);
    await createPoll(server, reader.token, community.id, [48, 72], { title: 'The reader’s own poll' });
    await createPoll(server, organiser.token, left.id, [48, 72], { title: 'Restricted poll' });
    const closesAt = new Date(Math.floor((Date.now() + 5 * DAY) / 60_000) * 60_000);
    await createSurvey(server, organiser.token, { communityId: community.id, title: 'Workshop feedback', closesAt: closesAt.toISOString() });
    await createSurvey(server, organiser.token, { communityId: community.id, title: 'Open-ended survey' });
    const closedSurvey = await createSurvey(server, organiser.token, { communityId: community.id, title: 'Closed survey' });
    expectData(await server.gql(CloseSurveyDocument, { surveyId: closedSurvey.id }, { token: organiser.token }));
    await createSurvey(server, reader.token, { communityId: community.id, title: 'The reader’s own survey' });
    await createSurvey(server, organiser.token, { communityId: left.id, title: 'Restricted survey' });

    const shown = await preview(reader.token);
    expect(shown.subject).toBe('Your daily PracticeHub digest: 1 open time poll, 2 open surveys in 1 community');
    const pollCloses = formatTime(server.config, new Date(poll.closesAt), 'Asia/Tokyo');
    expect(pollCloses).toContain('Asia/Tokyo');
    expect(shown.text).toContain(`Open time polls\n- When: Spring meetup time`);
    expect(shown.text).toContain(`by ${organiser.member.displayName}, 3 times offered · answers until ${pollCloses}`);
    expect(shown.text).toContain('Open surveys\n- Survey: Open-ended survey');
    expect(shown.text).toContain(`Survey: Workshop feedback`);
    expect(shown.text).toContain(`4 questions · open until ${formatTime(server.config, closesAt, 'Asia/Tokyo')}`);
    expect(shown.text).toContain('4 questions · open until it is closed');
    for (const absent of ['Already decided', 'Asked last week', 'The reader’s own', 'Restricted', 'Closed survey']) {
      expect([absent, shown.text.includes(absent) || shown.html.includes(absent)]).toEqual([absent, false]);
    }
    expect(shown.html).toContain('Spring meetup time');
    expect(shown.html).toContain(`/demo#c=${community.community.slug}`);

    // The real digest says the same; the organiser's digest has the reader's poll and survey but not their own.
    const firstRun = new Date();
    await runDigest(server.app.services, DigestFrequency.DAILY, firstRun);
    expect(sink.to(reader.email)).toHaveLength(1);
    const [mail] = sink.to(reader.email);
    expect(mail!.subject).toBe(shown.subject);
    expect(mail!.text).toContain('## Poll Practice');
    expect(mail!.text).toContain('When: Spring meetup time');
    expect(mail!.text).toContain('Survey: Workshop feedback');
    const [organiserMail] = sink.to(organiser.email);
    expect(organiserMail!.subject).toBe('Your daily PracticeHub digest: 1 open time poll, 1 open survey in 1 community');
    expect(organiserMail!.text).toContain('When: The reader’s own poll');
    expect(organiserMail!.text).not.toContain('Spring meetup time');

    // Still open the next day, but not news any more: no digest at all.
    await world.newPeriod();
    await runDigest(server.app.services, DigestFrequency.DAILY, new Date(firstRun.getTime() + DAY));
    expect(sink.to(reader.email)).toHaveLength(1);

    // A poll opened since (in the next day's window: the clock is simulated) is in the next one, alone.
    const summer = await createPoll(server, organiser.token, community.id, [120, 144], { title: 'Summer meetup time' });
    await server.em().execute('update time_poll set created_at = ? where id = ?', [new Date(firstRun.getTime() + 1.5 * DAY).toISOString(), dbId(summer.id)]);
    await world.newPeriod();
    await runDigest(server.app.services, DigestFrequency.DAILY, new Date(firstRun.getTime() + 2 * DAY));
    const mails = sink.to(reader.email);
    expect(mails).toHaveLength(2);
    expect(mails[1]!.subject).toBe('Your daily PracticeHub digest: 1 open time poll in 1 community');
    expect(mails[1]!.text).toContain('When: Summer meetup time');
    expect(mails[1]!.text).not.toContain('Spring meetup time');
    expect(mails[1]!.text).not.toContain('Workshop feedback');
  });
});
