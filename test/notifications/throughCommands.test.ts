import {
  AcceptAnswerDocument,
  ApproveMembershipDocument,
  GrantCommunityRoleDocument,
  InboxDocument,
  JoinCommunityDocument,
  LogMentorshipCheckInDocument,
  NotificationAddedDocument,
  ReplyToThreadDocument,
  RequestMentorshipDocument,
  RespondToMentorshipDocument,
  StartThreadDocument,
  UpsertMentorProfileDocument,
  type NotificationAddedSubscription,
} from '../generated/graphql';
import { memberTopic } from '../../src/realtime/events';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { CommunityRole, type BuiltMember } from '../support/factories';
import { eventually, subscribe, trackSockets } from '../support/live';
import { captureMail, fanOutAll } from './support';

/** The contract's rules through the real mutations: each command records its event, the fan-out makes the rest. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ EMAIL_DELAY_SECONDS: '3600' });
  captureMail(server);
});
afterAll(() => server.close());
const open = trackSockets();

async function inbox(member: BuiltMember): Promise<{ kind: string; title: string; subject: string | null }[]> {
  await fanOutAll(server);
  const viewer = expectData(await server.gql(InboxDocument, { first: 100 }, { token: member.token })).viewer!;
  return viewer.notifications.edges.map((e) => ({ kind: e.node.kind, title: e.node.title, subject: e.node.subject?.__typename ?? null }));
}

describe('through the commands', () => {
  it('startThread and replyToThread: REALTIME members hear of the thread; the author, parent author and earlier repliers of the reply', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const other = await server.factories.activeMember(community);
    const replier = await server.factories.activeMember(community);
    const started = expectData(
      await server.gql(StartThreadDocument, { input: { communityId: community.id, title: 'Zines', body: 'Who makes zines?' } }, { token: author.token }),
    ).startThread;
    const first = expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: started.id, body: 'I do' } }, { token: other.token })).replyToThread;
    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: started.id, body: 'Me too', parentPostId: first.id } }, { token: replier.token }));

    expect(await inbox(author)).toEqual([
      { kind: 'REPLY_TO_THREAD', title: `${replier.member.displayName} replied to your thread “Zines”`, subject: 'Post' },
      { kind: 'REPLY_TO_THREAD', title: `${other.member.displayName} replied to your thread “Zines”`, subject: 'Post' },
    ]);
    expect(await inbox(other)).toEqual([
      { kind: 'REPLY_TO_POST', title: `${replier.member.displayName} replied to your post in “Zines”`, subject: 'Post' },
      { kind: 'NEW_THREAD', title: `${author.member.displayName} started “Zines” in ${community.community.name}`, subject: 'Thread' },
    ]);
    // The replier heard of the thread (REALTIME) but never of their own reply.
    expect((await inbox(replier)).map((n) => n.kind)).toEqual(['NEW_THREAD']);
  });

  it('acceptAnswer notifies the answer’s author', async () => {
    const community = await server.factories.community();
    const asker = await server.factories.activeMember(community);
    const answerer = await server.factories.activeMember(community);
    const thread = expectData(
      await server.gql(StartThreadDocument, { input: { communityId: community.id, title: 'Which scanner?', body: '?', kind: 'QUESTION' } }, { token: asker.token }),
    ).startThread;
    const answer = expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'The flatbed' } }, { token: answerer.token })).replyToThread;
    expectData(await server.gql(AcceptAnswerDocument, { postId: answer.id }, { token: asker.token }));
    expect((await inbox(answerer))[0]).toEqual({ kind: 'ANSWER_ACCEPTED', title: `${asker.member.displayName} accepted your answer in “Which scanner?”`, subject: 'Post' });
  });

  it('joining a RESTRICTED community notifies its LEADs; approval and a role notify the member', async () => {
    const community = await server.factories.restrictedCommunity();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const applicant = await server.factories.member();
    const membership = expectData(await server.gql(JoinCommunityDocument, { input: { communityId: community.id } }, { token: applicant.token })).joinCommunity;
    expect(await inbox(lead)).toEqual([{ kind: 'MEMBERSHIP_REQUESTED', title: `${applicant.member.displayName} asked to join ${community.community.name}`, subject: 'Membership' }]);
    expectData(await server.gql(ApproveMembershipDocument, { membershipId: membership.id }, { token: lead.token }));
    expectData(await server.gql(GrantCommunityRoleDocument, { input: { membershipId: membership.id, role: 'EVENT_COORDINATOR' } }, { token: lead.token }));
    expect(await inbox(applicant)).toEqual([
      { kind: 'ROLE_GRANTED', title: `${lead.member.displayName} made you an event coordinator of ${community.community.name}`, subject: 'Membership' },
      { kind: 'MEMBERSHIP_APPROVED', title: `You are now a member of ${community.community.name}`, subject: 'Membership' },
    ]);
  });

  it('mentoring: the request reaches the mentor, the answer the mentee, a check-in the other participant', async () => {
    const mentor = await server.factories.member();
    const mentee = await server.factories.member();
    expectData(await server.gql(UpsertMentorProfileDocument, { input: { topics: ['Storytelling'], capacity: 2 } }, { token: mentor.token }));
    const pairing = expectData(
      await server.gql(RequestMentorshipDocument, { input: { mentorId: mentor.id, topics: ['Storytelling'], goals: 'Run a story hour' } }, { token: mentee.token }),
    ).requestMentorship;
    expectData(await server.gql(RespondToMentorshipDocument, { input: { pairingId: pairing.id, accept: true } }, { token: mentor.token }));
    expectData(await server.gql(LogMentorshipCheckInDocument, { input: { pairingId: pairing.id, note: 'First session went well' } }, { token: mentee.token }));
    expect((await inbox(mentor)).map((n) => [n.kind, n.subject])).toEqual([
      ['MENTORSHIP_CHECK_IN', 'MentorshipPairing'],
      ['MENTORSHIP_REQUESTED', 'MentorshipPairing'],
    ]);
    expect((await inbox(mentee)).map((n) => n.title)).toEqual([`${mentor.member.displayName} accepted your mentorship request`]);
  });

  it('notificationAdded receives a reply made through replyToThread', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const replier = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author, { title: 'Podcasts' });
    const subscription = subscribe(open(server, author.token), NotificationAddedDocument, {});
    await eventually(() => server.app.services.transport.listenerCount(memberTopic(author.member.id)) === 1);
    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Try this one' } }, { token: replier.token }));
    const [event] = (await subscription.next(1, 10_000)) as NotificationAddedSubscription[];
    expect(event!.notificationAdded).toMatchObject({ kind: 'REPLY_TO_THREAD', title: `${replier.member.displayName} replied to your thread “Podcasts”` });
  });
});
