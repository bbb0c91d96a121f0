import type { Em } from '../../src/db/orm';
import { startDigestRun } from '../../src/modules/digests/runDigest';
import { DigestFrequency } from '../../src/modules/digests/digest.types';
import { fromGlobalId } from '../../src/shared/ids';
import { useEmbeddedApp } from '../support/embedded';
import { CommunitiesDocument, JoinCommunityDocument, LogInDocument, SignUpDocument, StartThreadDocument } from '../generated/graphql';

/**
 * The zero-setup default: embedded PGlite and no SMTP_URL. A digest goes through the queue (pg-boss on PGlite) into
 * the local mailbox, where /demo/mail shows it and its unsubscribe link works.
 */
describe('mail on the embedded PGlite database', () => {
  const embedded = useEmbeddedApp('practicehub-pglite-mail-', { DIGEST_DAILY_CRON: '0 0 1 1 *', DIGEST_WEEKLY_CRON: '0 0 1 1 *' });
  async function gql(document: Parameters<typeof embedded.gql>[0], variables: unknown, token?: string) {
    const json = await embedded.gql(document, variables, token);
    expect(json.errors).toBeUndefined();
    return json.data;
  }

  it('keeps a digest sent through the queue in the local mailbox, readable at /demo/mail, with a working unsubscribe link', async () => {
    const reader = (await gql(LogInDocument, { input: embedded.demo })).logIn;
    const author = (await gql(SignUpDocument, { input: { displayName: 'Pat Author', email: 'pat@example.org', password: 'a long password' } })).signUp;
    const listed = await gql(CommunitiesDocument, {});
    const open = listed.communities.edges.find((e: { node: { visibility: string } }) => e.node.visibility === 'OPEN').node;
    await gql(JoinCommunityDocument, { input: { communityId: open.id } }, author.token);
    const joined = (await gql(JoinCommunityDocument, { input: { communityId: open.id, notificationPreference: 'DAILY_DIGEST' } }, reader.token)).joinCommunity;
    expect(joined.notificationPreference).toBe('DAILY_DIGEST');
    await gql(StartThreadDocument, { input: { communityId: open.id, title: 'Fresh on PGlite', body: 'For the digest' } }, author.token);

    const run = await startDigestRun(embedded.app.services, DigestFrequency.DAILY, new Date(), { enqueue: true });
    expect(run.claimed).toBe(true);
    const em = () => embedded.app.services.orm.em.fork() as Em;
    let rows: { id: string; headers: Record<string, string> }[] = [];
    const deadline = Date.now() + 20_000;
    while (!rows.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      rows = await em().execute(`select id, headers from mail_message where "to" = ?`, [embedded.demo!.email]);
    }
    expect(rows).toHaveLength(1);

    const list = await (await fetch(`${embedded.app.url}/demo/mail`)).text();
    expect(list).toContain(embedded.demo!.email);
    const message = await (await fetch(`${embedded.app.url}/demo/mail/${rows[0]!.id}`)).text();
    expect(message).toContain('Fresh on PGlite');

    const link = new URL(/^<(.+)>$/.exec(rows[0]!.headers['List-Unsubscribe']!)![1]!);
    const response = await fetch(`${embedded.app.url}${link.pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    const [membership] = await em().execute<{ p: string }[]>(
      'select ms.notification_preference as p from membership ms join member m on m.id = ms.member_id where m.email_key = ? and ms.community_id = ?',
      [embedded.demo!.email.toLowerCase(), fromGlobalId(open.id)!.id],
    );
    expect(membership?.p).toBe('NONE');
  }, 60_000);
});
