import { NotificationAddedDocument, type NotificationAddedSubscription } from '../generated/graphql';
import { memberTopic } from '../../src/realtime/events';
import { toGlobalId } from '../../src/shared/ids';
import { startTestServer, type TestServer } from '../support/server';
import { eventually, subscribe, trackSockets } from '../support/live';
import { captureMail, fanOutAll, record } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ EMAIL_DELAY_SECONDS: '3600' });
  captureMail(server);
});
afterAll(() => server.close());

const open = trackSockets();
const listening = (memberId: string, count = 1) => eventually(() => server.app.services.transport.listenerCount(memberTopic(memberId)) >= count);

async function replyIn(community: Awaited<ReturnType<TestServer['factories']['community']>>, thread: { thread: { id: string } }) {
  const replier = await server.factories.activeMember(community);
  const reply = await server.factories.post(thread as never, replier);
  await record(server, replier.member.id, {
    type: 'PostAdded', communityId: community.community.id, threadId: thread.thread.id, postId: reply.post.id, parentPostId: null,
  });
  return { replier, reply };
}

describe('notificationAdded', () => {
  it('is UNAUTHENTICATED without a token', async () => {
    const socket = open(server);
    const subscription = subscribe(socket, NotificationAddedDocument, {});
    await subscription.ended;
    expect(subscription.errors.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('pushes the viewer’s own new notifications (a reply to their thread), and nobody else’s', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const bystander = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author, { title: 'Makerspaces' });
    const mine = subscribe(open(server, author.token), NotificationAddedDocument, {});
    const theirs = subscribe(open(server, bystander.token), NotificationAddedDocument, {});
    await listening(author.member.id);
    await listening(bystander.member.id);

    const { replier, reply } = await replyIn(community, thread);
    await fanOutAll(server);
    const [event] = (await mine.next(1)) as NotificationAddedSubscription[];
    expect(event!.notificationAdded).toMatchObject({
      kind: 'REPLY_TO_THREAD',
      title: `${replier.member.displayName} replied to your thread “Makerspaces”`,
      readAt: null,
      actor: { id: replier.id },
      community: { id: community.id },
      subject: { __typename: 'Post', id: toGlobalId('Post', reply.post.id) },
    });
    // The bystander (not the author, never replied) hears nothing; a later notification of their own arrives alone.
    await server.factories.post(thread, bystander);
    await replyIn(community, thread);
    await fanOutAll(server);
    const [own] = (await theirs.next(1)) as NotificationAddedSubscription[];
    expect(own!.notificationAdded.title).toContain('replied in “Makerspaces”');
    expect(theirs.events).toHaveLength(1);
    expect(mine.errors).toEqual([]);
  });

  it('stops pushing a RESTRICTED community’s notifications once the viewer can no longer read it', async () => {
    const community = await server.factories.restrictedCommunity();
    const author = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const subscription = subscribe(open(server, author.token), NotificationAddedDocument, {});
    await listening(author.member.id);
    await replyIn(community, thread);
    await fanOutAll(server);
    await subscription.next(1);

    // Made while they could read it, pushed (again) after they left: the push re-checks and sends nothing.
    await server.em().execute(`update membership set status = 'LEFT' where member_id = ? and community_id = ?`, [author.member.id, community.community.id]);
    const [made] = await server.em().execute<{ id: string }[]>('select id from notification where recipient_id = ?', [author.member.id]);
    await record(server, null, { type: 'NotificationAdded', memberId: author.member.id, notificationId: made!.id });
    await fanOutAll(server);
    // A direct, non-community notification still arrives after it: the stream is alive, the restricted one was skipped.
    const mentee = await server.factories.member();
    const [pairing] = await server.em().execute<{ id: string }[]>(
      `insert into mentorship_pairing (id, mentor_id, mentee_id, status, topics) values (gen_random_uuid(), ?, ?, 'PROPOSED', '{reading}') returning id`,
      [author.member.id, mentee.member.id],
    );
    await record(server, mentee.member.id, { type: 'MentorshipRequested', pairingId: pairing!.id, mentorId: author.member.id, menteeId: mentee.member.id });
    await fanOutAll(server);
    const events = (await subscription.next(2)) as NotificationAddedSubscription[];
    expect(events.map((e) => e.notificationAdded.kind)).toEqual(['REPLY_TO_THREAD', 'MENTORSHIP_REQUESTED']);
  });
});
