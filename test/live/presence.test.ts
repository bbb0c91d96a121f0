import { LeaveCommunityDocument, PresenceDocument, SetTypingDocument, TypingActivityDocument, UpdateProfileDocument } from '../generated/graphql';
import { eventually, subscribe, trackSockets } from '../support/live';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { threadTopic } from '../../src/realtime/events';

let server: TestServer;
const openOn = trackSockets();
beforeAll(async () => {
  server = await startTestServer({ TYPING_TTL_MS: '400' });
});
afterAll(() => server.close());

const open = (token?: string | null) => openOn(server, token);

async function world(visibility: 'OPEN' | 'RESTRICTED' = 'OPEN') {
  const community = await server.factories.community({ visibility: visibility as never });
  const ann = await server.factories.activeMember(community);
  const bob = await server.factories.activeMember(community);
  const thread = await server.factories.thread(community, ann);
  return { community, ann, bob, thread };
}

describe('presence', () => {
  it('sends a snapshot at once, then a new one when someone arrives or leaves; a member counts once across tabs', async () => {
    const { ann, bob, thread } = await world();
    const annWatch = subscribe(open(ann.token), PresenceDocument, { topicId: thread.id });
    const [first] = await annWatch.next(1);
    expect(first!.presence).toEqual({ topicId: thread.id, count: 1, here: [expect.objectContaining({ id: ann.id })] });

    const bobTab1 = subscribe(open(bob.token), PresenceDocument, { topicId: thread.id });
    await annWatch.next(2);
    expect(annWatch.events[1]!.presence.count).toBe(2);
    const bobTab2 = subscribe(open(bob.token), PresenceDocument, { topicId: thread.id });
    await bobTab2.next(1);
    expect(bobTab2.events[0]!.presence.count).toBe(2);

    bobTab1.unsubscribe();
    // Bob is still here in his other tab: nothing changes for Ann.
    bobTab2.unsubscribe();
    await annWatch.next(3);
    expect(annWatch.events[2]!.presence).toMatchObject({ count: 1, here: [{ id: ann.id }] });
    expect(annWatch.events).toHaveLength(3);
  });

  it('counts members who chose privacy without naming them', async () => {
    const { ann, bob, thread } = await world();
    expectData(await server.gql(UpdateProfileDocument, { input: { appearInPresence: false } }, { token: bob.token }));
    subscribe(open(bob.token), PresenceDocument, { topicId: thread.id });
    const annWatch = subscribe(open(ann.token), PresenceDocument, { topicId: thread.id });
    await eventually(() => annWatch.events.some((e) => e.presence.count === 2));
    const latest = annWatch.events.at(-1)!.presence;
    expect(latest.count).toBe(2);
    expect(latest.here.map((m) => m.id)).toEqual([ann.id]);
  });

  it('lets anonymous sockets watch an OPEN community without being counted', async () => {
    const { community, ann } = await world();
    subscribe(open(ann.token), PresenceDocument, { topicId: community.id });
    const anonymous = subscribe(open(), PresenceDocument, { topicId: community.id });
    await eventually(() => anonymous.events.some((e) => e.presence.count === 1));
    expect(anonymous.events.every((e) => e.presence.count <= 1)).toBe(true);
  });

  it('is for members only in a RESTRICTED community', async () => {
    const { thread } = await world('RESTRICTED');
    const outsider = await server.factories.member();
    for (const token of [outsider.token, undefined]) {
      const watch = subscribe(open(token), PresenceDocument, { topicId: thread.id });
      await watch.ended;
      expect(watch.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(watch.events).toEqual([]);
    }
  });

  it('rejects a topic that is not a community or thread', async () => {
    const member = await server.factories.member();
    const watch = subscribe(open(member.token), PresenceDocument, { topicId: member.id });
    await watch.ended;
    expect(watch.errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('stops a member who left the RESTRICTED community at the next change, and they are gone from it', async () => {
    const { community, ann, bob, thread } = await world('RESTRICTED');
    const bobWatch = subscribe(open(bob.token), PresenceDocument, { topicId: thread.id });
    await bobWatch.next(1);
    expectData(await server.gql(LeaveCommunityDocument, { communityId: community.id }, { token: bob.token }));
    const annWatch = subscribe(open(ann.token), PresenceDocument, { topicId: thread.id });
    await bobWatch.ended;
    expect(bobWatch.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    await eventually(() => annWatch.events.at(-1)?.presence.count === 1);
    expect(annWatch.events.at(-1)!.presence.here.map((m) => m.id)).toEqual([ann.id]);
  });
});

describe('setTyping', () => {
  it('needs an account and reply rights', async () => {
    const { thread } = await world('RESTRICTED');
    expectError(await server.gql(SetTypingDocument, { input: { threadId: thread.id, typing: true } }), 'UNAUTHENTICATED');
    const outsider = await server.factories.member();
    expectError(await server.gql(SetTypingDocument, { input: { threadId: thread.id, typing: true } }, { token: outsider.token }), 'FORBIDDEN');
  });

  it('pushes TypingChanged, throttles renewals, and expires by itself', async () => {
    const { ann, bob, thread } = await world();
    const live = subscribe(open(ann.token), TypingActivityDocument, { threadId: thread.id });
    await eventually(() => server.app.services.events.listenerCount(threadTopic(thread.thread.id)) === 1);
    for (let i = 0; i < 3; i++) {
      expect(expectData(await server.gql(SetTypingDocument, { input: { threadId: thread.id, typing: true } }, { token: bob.token })).setTyping).toBe(true);
    }
    const [started] = await live.next(1);
    expect(started!.threadActivity).toMatchObject({ __typename: 'TypingChanged', typing: true, member: { id: bob.id }, threadId: thread.id });
    // No renewal: the flag drops by itself after the TTL (400 ms in this test server), announced once.
    const [, stopped] = await live.next(2, 3_000);
    expect(stopped!.threadActivity).toMatchObject({ __typename: 'TypingChanged', typing: false, member: { id: bob.id } });
    expect(live.events).toHaveLength(2);
  });

  it('announces an explicit stop at once', async () => {
    const { ann, bob, thread } = await world();
    const live = subscribe(open(ann.token), TypingActivityDocument, { threadId: thread.id });
    await eventually(() => server.app.services.events.listenerCount(threadTopic(thread.thread.id)) === 1);
    expectData(await server.gql(SetTypingDocument, { input: { threadId: thread.id, typing: true } }, { token: bob.token }));
    expectData(await server.gql(SetTypingDocument, { input: { threadId: thread.id, typing: false } }, { token: bob.token }));
    const events = (await live.next(2, 300)).map((e) => e.threadActivity);
    expect(events.map((e) => (e.__typename === 'TypingChanged' ? e.typing : null))).toEqual([true, false]);
  });
});
