import type { Em } from '../../src/db/orm';
import { useEmbeddedApp } from '../support/embedded';
import { CommunitiesDocument, InboxDocument, JoinCommunityDocument, LogInDocument, ReplyToThreadDocument, SignUpDocument, StartThreadDocument } from '../generated/graphql';

/** The zero-setup default (embedded PGlite, its single connection shared by the ORM and the queue): a reply notifies. */
describe('notifications on the embedded PGlite database', () => {
  const embedded = useEmbeddedApp('practicehub-notify-pglite-', { EMAIL_DELAY_SECONDS: '3600' });
  async function gql(document: Parameters<typeof embedded.gql>[0], variables: unknown, token?: string) {
    const json = await embedded.gql(document, variables, token);
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data;
  }

  it('makes the thread author’s notification of a reply, readable in their inbox', async () => {
    const author = (await gql(LogInDocument, { input: embedded.demo })).logIn.token as string;
    const replier = (await gql(SignUpDocument, { input: { email: 'replier@example.org', password: 'a long enough password', displayName: 'Rita Replier' } })).signUp
      .token as string;
    const open = (await gql(CommunitiesDocument, {})).communities.edges.find((e: { node: { visibility: string } }) => e.node.visibility === 'OPEN').node;
    await gql(JoinCommunityDocument, { input: { communityId: open.id } }, author);
    await gql(JoinCommunityDocument, { input: { communityId: open.id } }, replier);
    const thread = (await gql(StartThreadDocument, { input: { communityId: open.id, title: 'Embedded', body: 'On PGlite' } }, author)).startThread;
    await gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Works here too' } }, replier);

    const deadline = Date.now() + 20_000;
    let titles: string[] = [];
    while (Date.now() < deadline) {
      const inbox = (await gql(InboxDocument, {}, author)).viewer;
      titles = inbox.notifications.edges.map((e: { node: { title: string } }) => e.node.title);
      if (titles.includes('Rita Replier replied to your thread “Embedded”')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(titles).toContain('Rita Replier replied to your thread “Embedded”');
    // The new thread went at once to the community's REALTIME members, into the local mailbox (no SMTP_URL).
    const em = embedded.app.services.orm.em.fork() as Em;
    let mailed = 0;
    while (Date.now() < deadline && !mailed) {
      const [row] = await em.execute<{ n: string | number }[]>(`select count(*) as n from mail_message where category = 'community:NEW_THREAD' and subject like '%“Embedded”%'`);
      mailed = Number(row!.n);
      if (!mailed) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(mailed).toBeGreaterThan(0);
  }, 60_000);
});
