import {
  InboxDocument,
  MarkNotificationsReadDocument,
  MemberInboxDocument,
  MemberUnreadCountDocument,
  NotificationNodeDocument,
} from '../generated/graphql';
import { toGlobalId } from '../../src/shared/ids';
import { badInputFields, countRows, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import type { BuiltMember } from '../support/factories';
import { captureMail, fanOutAll, record } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ EMAIL_DELAY_SECONDS: '3600' });
  captureMail(server);
});
afterAll(() => server.close());

/** A community where `recipient` started a thread and `count` others replied in it, each reply notifying them. */
async function inboxWith(count: number, options: { restricted?: boolean } = {}) {
  const community = options.restricted ? await server.factories.restrictedCommunity() : await server.factories.community();
  const recipient = await server.factories.activeMember(community);
  const thread = await server.factories.thread(community, recipient, { title: 'Open questions' });
  const repliers: BuiltMember[] = [];
  for (let i = 0; i < count; i += 1) {
    const replier = await server.factories.activeMember(community);
    repliers.push(replier);
    const reply = await server.factories.post(thread, replier);
    await record(server, replier.member.id, {
      type: 'PostAdded', communityId: community.community.id, threadId: thread.thread.id, postId: reply.post.id, parentPostId: null,
    });
  }
  await fanOutAll(server);
  const ids = await server
    .em()
    .execute<{ id: string }[]>('select id from notification where recipient_id = ? order by created_at desc, id desc', [recipient.member.id]);
  return { community, recipient, thread, repliers, ids: ids.map((row) => toGlobalId('Notification', row.id)) };
}

const unread = (recipient: BuiltMember) =>
  countRows(server, 'select count(*) as n from notification where recipient_id = ? and read_at is null', recipient.member.id);

describe('Member.notifications and unreadNotificationCount', () => {
  it('are the member themself’s only: anonymous sees no viewer, another member gets FORBIDDEN', async () => {
    const { recipient } = await inboxWith(1);
    const other = await server.factories.member();
    const anonymous = expectData(await server.gql(InboxDocument, {}));
    expect(anonymous.viewer).toBeNull();
    expectError(await server.gql(MemberInboxDocument, { id: recipient.id }), 'FORBIDDEN');
    expectError(await server.gql(MemberInboxDocument, { id: recipient.id }, { token: other.token }), 'FORBIDDEN');
    expectError(await server.gql(MemberUnreadCountDocument, { id: recipient.id }, { token: other.token }), 'FORBIDDEN');
    const staff = await server.factories.staff();
    expectError(await server.gql(MemberInboxDocument, { id: recipient.id }, { token: staff.token }), 'FORBIDDEN');
  });

  it('lists newest first in pages, with totalCount and the unread count', async () => {
    const { recipient, repliers, ids } = await inboxWith(5);
    const first = expectData(await server.gql(InboxDocument, { first: 2 }, { token: recipient.token })).viewer!;
    expect(first.unreadNotificationCount).toBe(5);
    expect(first.notifications.totalCount).toBe(5);
    expect(first.notifications.pageInfo.hasNextPage).toBe(true);
    expect(first.notifications.edges.map((e) => e.node.id)).toEqual(ids.slice(0, 2));
    const node = first.notifications.edges[0]!.node;
    expect(node.kind).toBe('REPLY_TO_THREAD');
    expect(node.readAt).toBeNull();
    expect(node.subject?.__typename).toBe('Post');
    expect(node.community?.slug).toBeTruthy();
    expect(repliers.map((r) => r.id)).toContain(node.actor?.id);

    const rest = expectData(await server.gql(InboxDocument, { first: 10, after: first.notifications.pageInfo.endCursor }, { token: recipient.token })).viewer!;
    expect(rest.notifications.edges.map((e) => e.node.id)).toEqual(ids.slice(2));
    expect(rest.notifications.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a page size over 100 and a foreign cursor as BAD_USER_INPUT', async () => {
    const { recipient } = await inboxWith(1);
    expect(badInputFields(await server.gql(InboxDocument, { first: 101 }, { token: recipient.token }))).toEqual(['first']);
    expect(badInputFields(await server.gql(InboxDocument, { after: 'bm90LWEtY3Vyc29y' }, { token: recipient.token }))).toEqual(['after']);
  });

  it('unreadOnly lists only unread ones', async () => {
    const { recipient, ids } = await inboxWith(3);
    expectData(await server.gql(MarkNotificationsReadDocument, { input: { ids: [ids[1]!] } }, { token: recipient.token }));
    const listed = expectData(await server.gql(InboxDocument, { unreadOnly: true }, { token: recipient.token })).viewer!;
    expect(listed.notifications.edges.map((e) => e.node.id)).toEqual([ids[0], ids[2]]);
    expect(listed.notifications.totalCount).toBe(2);
    expect(listed.unreadNotificationCount).toBe(2);
    const all = expectData(await server.gql(InboxDocument, {}, { token: recipient.token })).viewer!;
    expect(all.notifications.totalCount).toBe(3);
    expect(all.notifications.edges[1]!.node.readAt).not.toBeNull();
  });

  it('hides content of a RESTRICTED community the member has left (list, count, node), and shows it again when they return', async () => {
    const { community, recipient, ids } = await inboxWith(2, { restricted: true });
    const setStatus = (status: string) =>
      server.em().execute('update membership set status = ? where member_id = ? and community_id = ?', [status, recipient.member.id, community.community.id]);
    await setStatus('LEFT');
    const hidden = expectData(await server.gql(InboxDocument, {}, { token: recipient.token })).viewer!;
    expect(hidden.notifications.totalCount).toBe(0);
    expect(hidden.notifications.edges).toEqual([]);
    expect(hidden.unreadNotificationCount).toBe(0);
    expectError(await server.gql(NotificationNodeDocument, { id: ids[0]! }, { token: recipient.token }), 'FORBIDDEN');
    await setStatus('ACTIVE');
    const back = expectData(await server.gql(InboxDocument, {}, { token: recipient.token })).viewer!;
    expect(back.notifications.totalCount).toBe(2);
  });
});

describe('node(id) of a notification', () => {
  it('is its recipient’s only: UNAUTHENTICATED when anonymous, FORBIDDEN to anyone else (staff included)', async () => {
    const { recipient, ids } = await inboxWith(1);
    const other = await server.factories.member();
    const staff = await server.factories.staff();
    expectError(await server.gql(NotificationNodeDocument, { id: ids[0]! }), 'UNAUTHENTICATED');
    expectError(await server.gql(NotificationNodeDocument, { id: ids[0]! }, { token: other.token }), 'FORBIDDEN');
    expectError(await server.gql(NotificationNodeDocument, { id: ids[0]! }, { token: staff.token }), 'FORBIDDEN');
    const own = expectData(await server.gql(NotificationNodeDocument, { id: ids[0]! }, { token: recipient.token }));
    expect(own.node).toMatchObject({ id: ids[0], kind: 'REPLY_TO_THREAD' });
  });
});

describe('markNotificationsRead', () => {
  it('is UNAUTHENTICATED when anonymous, and marks nothing', async () => {
    const { recipient, ids } = await inboxWith(1);
    expectError(await server.gql(MarkNotificationsReadDocument, { input: { ids } }), 'UNAUTHENTICATED');
    expectError(await server.gql(MarkNotificationsReadDocument, { input: { all: true } }), 'UNAUTHENTICATED');
    expect(await unread(recipient)).toBe(1);
  });

  it('refuses someone else’s notification with FORBIDDEN and marks none of the list (all or nothing)', async () => {
    const mine = await inboxWith(2);
    const theirs = await inboxWith(1);
    const response = await server.gql(MarkNotificationsReadDocument, { input: { ids: [mine.ids[0]!, theirs.ids[0]!, mine.ids[1]!] } }, { token: mine.recipient.token });
    expectError(response, 'FORBIDDEN');
    expect(await unread(mine.recipient)).toBe(2);
    expect(await unread(theirs.recipient)).toBe(1);
  });

  it('refuses an unknown notification with NOT_FOUND, marking nothing', async () => {
    const { recipient, ids } = await inboxWith(1);
    const unknown = toGlobalId('Notification', '00000000-0000-4000-8000-000000000000');
    expectError(await server.gql(MarkNotificationsReadDocument, { input: { ids: [ids[0]!, unknown] } }, { token: recipient.token }), 'NOT_FOUND');
    expect(await unread(recipient)).toBe(1);
  });

  it('refuses neither ids nor all, both, and IDs of another type as BAD_USER_INPUT, marking nothing', async () => {
    const { recipient, ids, thread } = await inboxWith(1);
    const as = { token: recipient.token };
    expect(badInputFields(await server.gql(MarkNotificationsReadDocument, { input: {} }, as))).toEqual(['ids']);
    expect(badInputFields(await server.gql(MarkNotificationsReadDocument, { input: { ids: [] } }, as))).toEqual(['ids']);
    expect(badInputFields(await server.gql(MarkNotificationsReadDocument, { input: { all: false } }, as))).toEqual(['ids']);
    expect(badInputFields(await server.gql(MarkNotificationsReadDocument, { input: { ids, all: true } }, as))).toEqual(['all']);
    expect(badInputFields(await server.gql(MarkNotificationsReadDocument, { input: { ids: [thread.id] } }, as))).toEqual(['ids']);
    expect(await unread(recipient)).toBe(1);
  });

  it('marks the given ones, or all, and returns the viewer with the new count', async () => {
    const { recipient, ids } = await inboxWith(3);
    const some = expectData(await server.gql(MarkNotificationsReadDocument, { input: { ids: [ids[0]!, ids[0]!] } }, { token: recipient.token }));
    expect(some.markNotificationsRead).toEqual({ id: recipient.id, unreadNotificationCount: 2 });
    const [firstRead] = await server.em().execute<{ read_at: Date }[]>('select read_at from notification where id = ?', [
      Buffer.from(ids[0]!, 'base64url').toString().split(':')[1],
    ]);
    const all = expectData(await server.gql(MarkNotificationsReadDocument, { input: { all: true } }, { token: recipient.token }));
    expect(all.markNotificationsRead.unreadNotificationCount).toBe(0);
    const [stillFirst] = await server.em().execute<{ read_at: Date }[]>('select read_at from notification where id = ?', [
      Buffer.from(ids[0]!, 'base64url').toString().split(':')[1],
    ]);
    expect(stillFirst!.read_at).toEqual(firstRead!.read_at);
    // Each change is a domain event in its transaction: one for the single notification, one for the other two.
    const events = await server
      .em()
      .execute<{ payload: { all: boolean; count: number } }[]>(
        `select payload from domain_event where type = 'NotificationsRead' and payload->>'memberId' = ? order by id`,
        [recipient.member.id],
      );
    expect(events.map((event) => [event.payload.all, event.payload.count])).toEqual([
      [false, 1],
      [true, 2],
    ]);
  });
});
