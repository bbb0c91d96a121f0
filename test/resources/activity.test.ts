import { RemoveResourceDocument, ResourceActivityDocument, ResourceActivitySinceDocument, ShareResourceDocument } from '../generated/graphql';
import type { ResourceActivitySinceSubscription } from '../generated/graphql';
import { eventually, subscribe, trackSockets } from '../support/live';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { communityTopic } from '../../src/realtime/events';

let server: TestServer;
const openOn = trackSockets();
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const open = (token?: string | null) => openOn(server, token);
const followers = (communityId: string) => server.app.services.events.listenerCount(communityTopic(communityId));

describe('ResourceShared on communityActivity', () => {
  it('reaches a member of a RESTRICTED community once the share has committed, with the resource as the subscriber sees it', async () => {
    const community = await server.factories.restrictedCommunity();
    const sharer = await server.factories.activeMember(community);
    const reader = await server.factories.activeMember(community);
    const live = subscribe(open(reader.token), ResourceActivityDocument, { communityId: community.id });
    await eventually(() => followers(community.community.id) === 1);

    const { shareResource } = expectData(
      await server.gql(
        ShareResourceDocument,
        { input: { communityId: community.id, title: 'Live link', url: 'https://example.org/live', tags: ['Live'] } },
        { token: sharer.token },
      ),
    );
    const [event] = await live.next(1);
    expect(event!.communityActivity).toMatchObject({
      __typename: 'ResourceShared',
      cursor: expect.any(String),
      resource: { id: shareResource.id, title: 'Live link', url: 'https://example.org/live', tags: ['live'], sharedBy: { id: sharer.id }, viewerEndorsed: false },
    });
    expect(live.errors).toEqual([]);
  });

  it('refuses a RESTRICTED community to non-members and anonymous sockets, who receive nothing', async () => {
    const community = await server.factories.restrictedCommunity();
    const sharer = await server.factories.activeMember(community);
    const outsider = await server.factories.member();
    const attempts = [outsider.token, undefined].map((token) => subscribe(open(token), ResourceActivityDocument, { communityId: community.id }));
    for (const live of attempts) {
      await live.ended;
      expect(live.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    expect(followers(community.community.id)).toBe(0);
    expectData(await server.gql(ShareResourceDocument, { input: { communityId: community.id, title: 'Secret', url: 'https://example.org/s' } }, { token: sharer.token }));
    await server.app.services.events.settled();
    for (const live of attempts) expect(live.events).toEqual([]);
  });

  it('publishes nothing for a share that was refused', async () => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    const live = subscribe(open(), ResourceActivityDocument, { communityId: community.id });
    await eventually(() => followers(community.community.id) === 1);
    expectError(await server.gql(ShareResourceDocument, { input: { communityId: community.id, title: 'Bad', url: 'javascript:alert(1)' } }, { token: member.token }), 'BAD_USER_INPUT');
    expectData(await server.gql(ShareResourceDocument, { input: { communityId: community.id, title: 'Good', url: 'https://example.org/' } }, { token: member.token }));
    const [first] = await live.next(1);
    expect(first!.communityActivity).toMatchObject({ __typename: 'ResourceShared', resource: { title: 'Good' } });
  });
});

describe('ResourceShared replayed with since', () => {
  const share = async (communityId: string, title: string, token: string) =>
    expectData(await server.gql(ShareResourceDocument, { input: { communityId, title, url: `https://example.org/${encodeURIComponent(title)}` } }, { token }))
      .shareResource;
  const shared = (event: ResourceActivitySinceSubscription) => {
    const activity = event.communityActivity;
    if (activity.__typename !== 'ResourceShared') throw new Error(`expected ResourceShared, got ${activity.__typename}`);
    return activity;
  };

  it('gives a client that reconnects with an earlier cursor the share it missed, then live ones, in order', async () => {
    const community = await server.factories.community();
    const sharer = await server.factories.activeMember(community);
    const reader = await server.factories.activeMember(community);

    const first = subscribe(open(reader.token), ResourceActivitySinceDocument, { communityId: community.id });
    await eventually(() => followers(community.community.id) === 1);
    await share(community.id, 'Seen live', sharer.token);
    const [seen] = await first.next(1);
    const lastCursor = shared(seen!).cursor;
    first.unsubscribe();
    await eventually(() => followers(community.community.id) === 0);

    const missed = await share(community.id, 'Missed while away', sharer.token);
    await server.app.services.events.settled();

    const resumed = subscribe(open(reader.token), ResourceActivitySinceDocument, { communityId: community.id, since: lastCursor });
    const [replayed] = await resumed.next(1);
    expect(shared(replayed!)).toMatchObject({ resource: { id: missed.id, title: 'Missed while away' } });
    await eventually(() => followers(community.community.id) === 1);
    await share(community.id, 'After reconnecting', sharer.token);
    await resumed.next(2);

    expect(resumed.events.map((e) => shared(e).resource.title)).toEqual(['Missed while away', 'After reconnecting']);
    const cursors = resumed.events.map((e) => BigInt(shared(e).cursor));
    expect(cursors[0]! > BigInt(lastCursor)).toBe(true);
    expect(cursors[1]! > cursors[0]!).toBe(true);
    expect(resumed.errors).toEqual([]);
  });

  it('does not replay a missed share whose resource was removed meanwhile', async () => {
    const community = await server.factories.community();
    const sharer = await server.factories.activeMember(community);
    const first = subscribe(open(sharer.token), ResourceActivitySinceDocument, { communityId: community.id });
    await eventually(() => followers(community.community.id) === 1);
    await share(community.id, 'Seen live', sharer.token);
    const lastCursor = shared((await first.next(1))[0]!).cursor;
    first.unsubscribe();
    await eventually(() => followers(community.community.id) === 0);

    const removed = await share(community.id, 'Shared then removed', sharer.token);
    expectData(await server.gql(RemoveResourceDocument, { resourceId: removed.id }, { token: sharer.token }));
    const kept = await share(community.id, 'Still there', sharer.token);
    await server.app.services.events.settled();

    const resumed = subscribe(open(sharer.token), ResourceActivitySinceDocument, { communityId: community.id, since: lastCursor });
    await resumed.next(1);
    await eventually(() => followers(community.community.id) === 1);
    await share(community.id, 'Live again', sharer.token);
    await resumed.next(2);
    expect(shared(resumed.events[0]!).resource.id).toBe(kept.id);
    expect(resumed.events.map((e) => shared(e).resource.title)).toEqual(['Still there', 'Live again']);
  });
});
