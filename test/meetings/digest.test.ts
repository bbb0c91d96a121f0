import { DigestPreviewDocument, PostMeetingSummaryDocument } from '../generated/graphql';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { startSmtpSink, type SmtpSink } from '../support/smtp';
import { DIGEST_TEST_ENV, digestWorld } from '../digests/world';
import { runDigest } from '../../src/modules/digests/runDigest';
import { DigestFrequency } from '../../src/modules/digests/digest.types';
import { formatTime } from '../../src/mail/render';
import { dbId, meetingWorld, startedAgo } from './attendSupport';

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

describe('meetings in the digest', () => {
  it('lists the meetings ahead scheduled since the last digest (in the reader’s zone) and the summaries posted, each once', async () => {
    const meetings = await meetingWorld(server);
    const { community, coordinator } = meetings;
    await server.em().execute("update community set name = 'Meeting Practice' where id = ?", [community.community.id]);
    const reader = await world.member([[community, 'DAILY_DIGEST']]);
    await server.em().execute("update member set time_zone = 'Asia/Tokyo' where id = ?", [reader.member.id]);
    // The coordinator reads the digest too: what they scheduled and posted is not news to them.
    await server.em().execute("update membership set notification_preference = 'DAILY_DIGEST' where member_id = ?", [coordinator.member.id]);

    const startsAt = new Date(Math.floor((Date.now() + 3 * DAY) / 60_000) * 60_000);
    const ahead = await meetings.meeting({ title: 'Spring tools meetup', startsAt: startsAt.toISOString(), venue: 'Main library', url: 'https://meet.example.org/spring' });
    const cancelled = await meetings.meeting({ title: 'Cancelled meetup' });
    await server.em().execute("update meeting set status = 'CANCELLED' where id = ?", [dbId(cancelled.id)]);
    const older = await meetings.meeting({ title: 'Announced last week' });
    await server.em().execute("update meeting set created_at = now() - interval '8 days', updated_at = now() - interval '8 days' where id = ?", [dbId(older.id)]);
    const held = await meetings.meeting({ title: 'Winter wrap-up' });
    await startedAgo(server, held.id);
    expectData(await server.gql(PostMeetingSummaryDocument, { input: { meetingId: held.id, summary: 'We wrapped up.', resourceIds: [] } }, { token: coordinator.token }));

    const preview = expectData(await server.gql(DigestPreviewDocument, { frequency: 'DAILY' }, { token: reader.token })).digestPreview;
    const when = formatTime(server.config, startsAt, 'Asia/Tokyo');
    expect(when).toContain('Asia/Tokyo');
    expect(preview.subject).toContain('1 upcoming meeting');
    expect(preview.subject).toContain('1 meeting summary');
    expect(preview.text).toContain('Upcoming meetings\n- Spring tools meetup');
    expect(preview.text).toContain(`${when} · Main library · online: https://meet.example.org/spring`);
    expect(preview.text).toContain('Meeting summaries\n- Summary: Winter wrap-up');
    expect(preview.text).toContain(`posted by ${coordinator.member.displayName}`);
    // The summary's ANNOUNCEMENT thread is listed as the summary, not again as a new thread.
    expect(preview.text).not.toContain('New threads');
    for (const absent of ['Cancelled meetup', 'Announced last week']) expect(preview.text).not.toContain(absent);
    expect(preview.html).toContain('Spring tools meetup');
    expect(preview.html).toContain(`/demo#c=${community.community.slug}&amp;m=`);

    // The real digest mail says the same; the coordinator's own meeting and summary send them nothing.
    const firstRun = new Date();
    await runDigest(server.app.services, DigestFrequency.DAILY, firstRun);
    const [mail] = sink.to(reader.email);
    expect(sink.to(reader.email)).toHaveLength(1);
    expect(mail!.subject).toBe('Your daily PracticeHub digest: 1 upcoming meeting, 1 meeting summary in 1 community');
    expect(mail!.text).toContain('## Meeting Practice');
    expect(mail!.text).toContain('Upcoming meetings\n- Spring tools meetup');
    expect(mail!.text).toContain(when);
    expect(mail!.text).toContain('Summary: Winter wrap-up');
    expect(sink.to(coordinator.email)).toHaveLength(0);

    // Nothing new next day: no email (the meeting and summary were sent already).
    await world.newPeriod();
    await runDigest(server.app.services, DigestFrequency.DAILY, new Date(firstRun.getTime() + DAY));
    expect(sink.to(reader.email)).toHaveLength(1);

    // Moved since (updateMeeting stamps updated_at; simulated here): news again, marked as changed.
    await server.em().execute("update meeting set starts_at = starts_at + interval '1 hour', ends_at = ends_at + interval '1 hour', updated_at = ? where id = ?", [
      new Date(firstRun.getTime() + 1.5 * DAY).toISOString(),
      dbId(ahead.id),
    ]);
    await world.newPeriod();
    await runDigest(server.app.services, DigestFrequency.DAILY, new Date(firstRun.getTime() + 2 * DAY));
    const mails = sink.to(reader.email);
    expect(mails).toHaveLength(2);
    expect(mails[1]!.text).toContain('- Spring tools meetup (changed)');
    expect(mails[1]!.text).toContain(formatTime(server.config, new Date(startsAt.getTime() + 3_600_000), 'Asia/Tokyo'));
    expect(mails[1]!.text).not.toContain('Winter wrap-up');
  });
});
