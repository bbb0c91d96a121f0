import { DigestPreviewDocument } from '../generated/graphql';
import { countRows, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { startSmtpSink, type SmtpSink } from '../support/smtp';
import { DIGEST_TEST_ENV, digestWorld } from './world';
import { runDigest } from '../../src/modules/digests/runDigest';
import { DigestFrequency } from '../../src/modules/digests/digest.types';

let sink: SmtpSink;
let server: TestServer;
let world: ReturnType<typeof digestWorld>;

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({ ...DIGEST_TEST_ENV, SMTP_URL: sink.url });
  world = digestWorld(server);
});
afterAll(async () => {
  await server.close();
  await sink.close();
});

const preview = (frequency: 'DAILY' | 'WEEKLY', token?: string) => server.gql(DigestPreviewDocument, { frequency }, { token });
const written = async () => ({
  deliveries: await countRows(server, 'select count(*) as n from digest_delivery'),
  runs: await countRows(server, 'select count(*) as n from scheduled_run'),
  mailbox: await countRows(server, 'select count(*) as n from mail_message'),
  smtp: sink.messages.length,
});

describe('digestPreview', () => {
  it('refuses an anonymous viewer as UNAUTHENTICATED', async () => {
    const response = await preview('DAILY');
    expectError(response, 'UNAUTHENTICATED');
    expect(response.data?.digestPreview ?? null).toBeNull();
  });

  it('refuses an invalid token as UNAUTHENTICATED', async () => {
    expectError(await preview('DAILY', 'not-a-token'), 'UNAUTHENTICATED');
  });

  it('refuses a frequency that is not DAILY or WEEKLY', async () => {
    const member = await server.factories.member();
    const response = await server.raw({ query: 'query($f: DigestFrequency!) { digestPreview(frequency: $f) { subject } }', variables: { f: 'HOURLY' } }, { token: member.token });
    expect(response.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    expect(response.data ?? null).toBeNull();
  });

  it("shows the viewer's own next digest, with only what they may read, and sends and records nothing", async () => {
    const open = await server.factories.community({ name: 'Preview Open' });
    const left = await server.factories.restrictedCommunity();
    const author = await world.member([
      [open, 'REALTIME'],
      [left, 'REALTIME'],
    ]);
    const viewer = await world.member([
      [open, 'DAILY_DIGEST'],
      [left, 'DAILY_DIGEST'],
    ]);
    const other = await world.member([[open, 'DAILY_DIGEST']]);
    await world.leave(viewer, left);
    await world.thread(author, open, 'Visible in the preview');
    await world.thread(author, left, 'Hidden restricted thread');
    await world.share(author, open, 'Preview reading', 'https://example.org/preview');
    const before = await written();

    const { digestPreview } = expectData(await preview('DAILY', viewer.token));
    expect(digestPreview.subject).toContain('daily');
    expect(digestPreview.subject).toContain('1 community');
    expect(digestPreview.text).toContain(`Hello ${viewer.member.displayName}`);
    expect(digestPreview.text).not.toContain(other.member.displayName);
    expect(digestPreview.text).toContain('Visible in the preview');
    expect(digestPreview.text).toContain('Preview reading');
    expect(digestPreview.text).toContain('https://hub.example.org/demo#c=');
    expect(digestPreview.html).toContain('Visible in the preview');
    expect(digestPreview.text).not.toContain('Hidden restricted thread');
    expect(digestPreview.html).not.toContain('Hidden restricted thread');
    expect(await written()).toEqual(before);

    // The weekly preview covers WEEKLY_DIGEST memberships only: none here.
    const weekly = expectData(await preview('WEEKLY', viewer.token)).digestPreview;
    expect(weekly.subject).toContain('nothing new');
    expect(weekly.text).not.toContain('Visible in the preview');
  });

  it('starts after the last digest sent: what is already sent is not in it', async () => {
    const community = await server.factories.community();
    const author = await world.member([[community, 'REALTIME']]);
    const viewer = await world.member([[community, 'DAILY_DIGEST']]);
    await world.thread(author, community, 'Already mailed');
    await runDigest(server.app.services, DigestFrequency.DAILY, new Date());
    expect(sink.to(viewer.email)).toHaveLength(1);

    const empty = expectData(await preview('DAILY', viewer.token)).digestPreview;
    expect(empty.subject).toContain('nothing new');
    expect(empty.text).not.toContain('Already mailed');

    await world.thread(author, community, 'Coming next');
    const next = expectData(await preview('DAILY', viewer.token)).digestPreview;
    expect(next.text).toContain('Coming next');
    expect(next.text).not.toContain('Already mailed');
    expect(sink.to(viewer.email)).toHaveLength(1);
  });
});
