import { ThreadKind } from '../../src/modules/discussions/thread.entity';
import { CommunityRole, MembershipStatus } from '../../src/modules/communities/membership.entity';
import { startTestServer, type TestServer } from '../support/server';
import { captureMail, fanOutAll, notificationsOf, record } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ EMAIL_DELAY_SECONDS: '3600' });
  captureMail(server);
});
afterAll(() => server.close());

const byRecipient = async (eventId: string) =>
  Object.fromEntries((await notificationsOf(server, eventId)).map((n) => [n.recipient_id, n.kind]));

async function setPreference(membershipGlobalId: string | { membership: { id: string } }, preference: string) {
  const id = typeof membershipGlobalId === 'string' ? Buffer.from(membershipGlobalId, 'base64url').toString().split(':')[1] : membershipGlobalId.membership.id;
  await server.em().execute('update membership set notification_preference = ? where id = ?', [preference, id]);
}

describe('replies (PostAdded)', () => {
  it('notify the thread author, the parent post author and earlier repliers, each once, never the replier', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const parentAuthor = await server.factories.activeMember(community);
    const earlier = await server.factories.activeMember(community);
    const replier = await server.factories.activeMember(community);
    const bystander = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author, { title: 'Reading lists' });
    const parent = await server.factories.post(thread, parentAuthor);
    await server.factories.post(thread, earlier);
    await server.factories.post(thread, earlier);
    await server.factories.post(thread, replier); // the replier's own earlier reply: still never notified
    const reply = await server.factories.post(thread, replier);
    await server.em().execute('update post set parent_id = ? where id = ?', [parent.post.id, reply.post.id]);

    const eventId = await record(server, replier.member.id, {
      type: 'PostAdded',
      communityId: community.community.id,
      threadId: thread.thread.id,
      postId: reply.post.id,
      parentPostId: parent.post.id,
    });
    await fanOutAll(server);

    expect(await byRecipient(eventId)).toEqual({
      [author.member.id]: 'REPLY_TO_THREAD',
      [parentAuthor.member.id]: 'REPLY_TO_POST',
      [earlier.member.id]: 'REPLY_TO_THREAD',
    });
    expect(Object.keys(await byRecipient(eventId))).not.toContain(bystander.member.id);
    const rows = await notificationsOf(server, eventId);
    const titles = Object.fromEntries(rows.map((n) => [n.recipient_id, n.title]));
    expect(titles[author.member.id]).toBe(`${replier.member.displayName} replied to your thread “Reading lists”`);
    expect(titles[parentAuthor.member.id]).toBe(`${replier.member.displayName} replied to your post in “Reading lists”`);
    expect(titles[earlier.member.id]).toBe(`${replier.member.displayName} replied in “Reading lists”`);
    for (const row of rows) expect([row.subject_type, row.subject_id]).toEqual(['Post', reply.post.id]);
  });

  it('gives the thread author who also wrote the parent post one notification (REPLY_TO_POST)', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const replier = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const parent = await server.factories.post(thread, author);
    const reply = await server.factories.post(thread, replier);
    const eventId = await record(server, replier.member.id, {
      type: 'PostAdded', communityId: community.community.id, threadId: thread.thread.id, postId: reply.post.id, parentPostId: parent.post.id,
    });
    await fanOutAll(server);
    expect(await byRecipient(eventId)).toEqual({ [author.member.id]: 'REPLY_TO_POST' });
  });

  it('never notifies the replier replying in their own thread', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const reply = await server.factories.post(thread, author);
    const eventId = await record(server, author.member.id, {
      type: 'PostAdded', communityId: community.community.id, threadId: thread.thread.id, postId: reply.post.id, parentPostId: null,
    });
    await fanOutAll(server);
    expect(await notificationsOf(server, eventId)).toEqual([]);
  });

  it('in a RESTRICTED community, notifies nobody who cannot read it now (members who left since)', async () => {
    const community = await server.factories.restrictedCommunity();
    const author = await server.factories.activeMember(community);
    const leaver = await server.factories.activeMember(community);
    const stillMember = await server.factories.activeMember(community);
    const replier = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    await server.factories.post(thread, leaver);
    await server.factories.post(thread, stillMember);
    const reply = await server.factories.post(thread, replier);
    // The thread's author and an earlier replier have left since.
    await server.em().execute(`update membership set status = 'LEFT' where member_id in (?, ?) and community_id = ?`, [
      author.member.id,
      leaver.member.id,
      community.community.id,
    ]);
    const eventId = await record(server, replier.member.id, {
      type: 'PostAdded', communityId: community.community.id, threadId: thread.thread.id, postId: reply.post.id, parentPostId: null,
    });
    await fanOutAll(server);
    expect(await byRecipient(eventId)).toEqual({ [stillMember.member.id]: 'REPLY_TO_THREAD' });
  });

  it('makes nothing for a reply deleted before the fan-out ran', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const replier = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const reply = await server.factories.post(thread, replier);
    await server.em().execute('update post set deleted_at = now() where id = ?', [reply.post.id]);
    const eventId = await record(server, replier.member.id, {
      type: 'PostAdded', communityId: community.community.id, threadId: thread.thread.id, postId: reply.post.id, parentPostId: null,
    });
    await fanOutAll(server);
    expect(await notificationsOf(server, eventId)).toEqual([]);
  });
});

describe('new threads (ThreadStarted)', () => {
  it('notify ACTIVE REALTIME members only: not digest or NONE members, not pending or past members, not the author', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const realtime = await server.factories.activeMember(community);
    const daily = await server.factories.activeMember(community);
    const weekly = await server.factories.activeMember(community);
    const none = await server.factories.activeMember(community);
    const pending = await server.factories.member();
    await server.factories.membership(pending, community, { status: MembershipStatus.PENDING });
    const left = await server.factories.member();
    await server.factories.membership(left, community, { status: MembershipStatus.LEFT });
    await setPreference(daily.membershipId, 'DAILY_DIGEST');
    await setPreference(weekly.membershipId, 'WEEKLY_DIGEST');
    await setPreference(none.membershipId, 'NONE');
    const thread = await server.factories.thread(community, author, { title: 'Summer reading' });

    const eventId = await record(server, author.member.id, { type: 'ThreadStarted', communityId: community.community.id, threadId: thread.thread.id });
    await fanOutAll(server);
    expect(await byRecipient(eventId)).toEqual({ [realtime.member.id]: 'NEW_THREAD' });
    const [row] = await notificationsOf(server, eventId);
    expect(row!.title).toBe(`${author.member.displayName} started “Summer reading” in ${community.community.name}`);
    expect([row!.subject_type, row!.subject_id]).toEqual(['Thread', thread.thread.id]);
  });

  it('do not notify a member who joined after the thread was started, even if the fan-out runs later', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const before = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author, { title: 'Book club picks' });
    const eventId = await record(server, author.member.id, { type: 'ThreadStarted', communityId: community.community.id, threadId: thread.thread.id });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const after = await server.factories.activeMember(community);
    await fanOutAll(server);
    const recipients = await byRecipient(eventId);
    expect(recipients).toEqual({ [before.member.id]: 'NEW_THREAD' });
    expect(Object.keys(recipients)).not.toContain(after.member.id);
  });

  it('are ANNOUNCEMENT notifications for announcement threads', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const member = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, lead, { kind: ThreadKind.ANNOUNCEMENT, title: 'AGM' });
    const eventId = await record(server, lead.member.id, { type: 'ThreadStarted', communityId: community.community.id, threadId: thread.thread.id });
    await fanOutAll(server);
    expect(await byRecipient(eventId)).toEqual({ [member.member.id]: 'ANNOUNCEMENT' });
  });
});

describe('answers, memberships and roles', () => {
  it('AnswerAccepted notifies the answer’s author (not when they accepted it themselves)', async () => {
    const community = await server.factories.community();
    const asker = await server.factories.activeMember(community);
    const answerer = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, asker, { kind: ThreadKind.QUESTION });
    const answer = await server.factories.post(thread, answerer);
    const event = { type: 'AnswerAccepted' as const, communityId: community.community.id, threadId: thread.thread.id, postId: answer.post.id };
    const eventId = await record(server, asker.member.id, event);
    const own = await record(server, answerer.member.id, event);
    await fanOutAll(server);
    expect(await byRecipient(eventId)).toEqual({ [answerer.member.id]: 'ANSWER_ACCEPTED' });
    expect(await notificationsOf(server, own)).toEqual([]);
  });

  it('MembershipRequested notifies the community’s LEADs only, while the request is pending', async () => {
    const community = await server.factories.restrictedCommunity();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    await server.factories.activeMember(community);
    const applicant = await server.factories.member();
    const request = await server.factories.membership(applicant, community, { status: MembershipStatus.PENDING });
    const ref = { communityId: community.community.id, membershipId: request.membership.id, memberId: applicant.member.id };
    const eventId = await record(server, applicant.member.id, { type: 'MembershipRequested', ...ref });
    await fanOutAll(server);
    const rows = await notificationsOf(server, eventId);
    expect(rows.map((r) => [r.recipient_id, r.kind, r.subject_type])).toEqual([[lead.member.id, 'MEMBERSHIP_REQUESTED', 'Membership']]);
    expect(rows[0]!.title).toBe(`${applicant.member.displayName} asked to join ${community.community.name}`);
  });

  it('MembershipApproved notifies the member; RoleGranted notifies the member of their role', async () => {
    const community = await server.factories.restrictedCommunity();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const member = await server.factories.member();
    const membership = await server.factories.membership(member, community, { roles: [CommunityRole.DISCUSSION_MONITOR] });
    const ref = { communityId: community.community.id, membershipId: membership.membership.id, memberId: member.member.id };
    const approved = await record(server, lead.member.id, { type: 'MembershipApproved', ...ref });
    const granted = await record(server, lead.member.id, { type: 'RoleGranted', ...ref, role: 'DISCUSSION_MONITOR' });
    await fanOutAll(server);
    expect(await byRecipient(approved)).toEqual({ [member.member.id]: 'MEMBERSHIP_APPROVED' });
    expect(await byRecipient(granted)).toEqual({ [member.member.id]: 'ROLE_GRANTED' });
    expect((await notificationsOf(server, granted))[0]!.title).toBe(`${lead.member.displayName} made you a discussion monitor of ${community.community.name}`);
  });
});

describe('mentoring', () => {
  async function pairing() {
    const mentor = await server.factories.member();
    const mentee = await server.factories.member();
    const [row] = await server.em().execute<{ id: string }[]>(
      `insert into mentorship_pairing (id, mentor_id, mentee_id, status, topics) values (gen_random_uuid(), ?, ?, 'ACTIVE', '{reading}') returning id`,
      [mentor.member.id, mentee.member.id],
    );
    return { mentor, mentee, ref: { pairingId: row!.id, mentorId: mentor.member.id, menteeId: mentee.member.id } };
  }

  it('requests notify the mentor, answers the mentee, check-ins the other participant', async () => {
    const { mentor, mentee, ref } = await pairing();
    const requested = await record(server, mentee.member.id, { type: 'MentorshipRequested', ...ref });
    const answered = await record(server, mentor.member.id, { type: 'MentorshipAnswered', ...ref, accepted: true });
    const byMentee = await record(server, mentee.member.id, { type: 'MentorshipCheckIn', ...ref, checkInId: ref.pairingId, authorId: mentee.member.id });
    const byMentor = await record(server, mentor.member.id, { type: 'MentorshipCheckIn', ...ref, checkInId: ref.pairingId, authorId: mentor.member.id });
    await fanOutAll(server);
    expect(await byRecipient(requested)).toEqual({ [mentor.member.id]: 'MENTORSHIP_REQUESTED' });
    expect(await byRecipient(answered)).toEqual({ [mentee.member.id]: 'MENTORSHIP_ANSWERED' });
    expect(await byRecipient(byMentee)).toEqual({ [mentor.member.id]: 'MENTORSHIP_CHECK_IN' });
    expect(await byRecipient(byMentor)).toEqual({ [mentee.member.id]: 'MENTORSHIP_CHECK_IN' });
    expect((await notificationsOf(server, answered))[0]!.title).toBe(`${mentor.member.displayName} accepted your mentorship request`);
  });
});

describe('idempotence', () => {
  it('a fan-out run twice, or an event dispatched again, creates nothing twice', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const members = await Promise.all([1, 2, 3].map(() => server.factories.activeMember(community)));
    const thread = await server.factories.thread(community, author);
    const eventId = await record(server, author.member.id, { type: 'ThreadStarted', communityId: community.community.id, threadId: thread.thread.id });
    await fanOutAll(server);
    expect(await notificationsOf(server, eventId)).toHaveLength(members.length);
    const [before] = await server.em().execute<{ n: string }[]>(`select count(*) as n from domain_event where type = 'NotificationAdded'`);

    // Dispatched again (as after a crash before the dispatcher's commit): a second fan-out job runs.
    await server.em().execute('update domain_event set dispatched_at = null where id = ?', [eventId]);
    await fanOutAll(server);
    expect(await notificationsOf(server, eventId)).toHaveLength(members.length);
    const [after] = await server.em().execute<{ n: string }[]>(`select count(*) as n from domain_event where type = 'NotificationAdded'`);
    expect(after!.n).toBe(before!.n);
  });
});
