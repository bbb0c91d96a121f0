import {
  CommunityActivityDocument,
  CommunityFeedDocument,
  CommunityMembersDocument,
  CommunityResourcesDocument,
  NodeDocument,
  NodesDocument,
  PostNodeDocument,
  ReplyToThreadDocument,
  ResourceNodeDocument,
  SearchDocument,
  StartThreadDocument,
  ThreadActivityDocument,
} from '../generated/graphql';
import { eventually, subscribe, trackSockets } from '../support/live';
import { expectData, expectError, startTestServer, type GraphQLResponse, type TestServer } from '../support/server';
import { communityTopic, threadTopic } from '../../src/realtime/events';

/**
 * The contract's rule, declared once (community.policy: readContent): staff read every community, RESTRICTED ones
 * included, for moderation, on every path; a plain member who is not in the community is refused on the same paths.
 */
let server: TestServer;
const open = trackSockets();
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function restrictedWorld() {
  const community = await server.factories.community({ visibility: 'RESTRICTED' as never });
  const author = await server.factories.activeMember(community);
  const term = `moderated${Math.random().toString(36).slice(2, 8)}`;
  const thread = await server.factories.thread(community, author, { title: `Thread about ${term}` });
  const post = await server.factories.post(thread, author, { body: `A reply about ${term}` });
  const resource = await server.factories.resource(community, author, { title: `Guide to ${term}` });
  return { community, author, term, thread, post, resource, staff: await server.factories.staff(), outsider: await server.factories.member() };
}

describe('staff and RESTRICTED communities', () => {
  it('staff read the threads, members, resources and every node; an outsider gets FORBIDDEN on the same paths', async () => {
    const w = await restrictedWorld();
    const slug = w.community.community.slug;
    const reads = (token: string) => [
      server.gql(CommunityFeedDocument, { slug, first: 10 }, { token }),
      server.gql(CommunityMembersDocument, { slug, first: 10 }, { token }),
      server.gql(CommunityResourcesDocument, { slug, first: 10 }, { token }),
      server.gql(NodeDocument, { id: w.thread.id }, { token }),
      server.gql(PostNodeDocument, { id: w.post.id }, { token }),
      server.gql(ResourceNodeDocument, { id: w.resource.id }, { token }),
      server.gql(NodesDocument, { ids: [w.thread.id, w.resource.id] }, { token }),
    ] as const;
    const [feed, members, resources, thread, post, resource, nodes] = await Promise.all(reads(w.staff.token));
    expect(expectData(feed).community?.threads?.edges.map((e) => e.node.id)).toEqual([w.thread.id]);
    expect(expectData(members).community?.members?.edges.map((e) => e.node.id)).toEqual([w.author.id]);
    expect(expectData(resources).community?.resources?.edges.map((e) => e.node.id)).toEqual([w.resource.id]);
    expect(expectData(thread).node).toMatchObject({ __typename: 'Thread', id: w.thread.id });
    expect(expectData(post).node).toMatchObject({ id: w.post.id });
    expect(expectData(resource).node).toMatchObject({ __typename: 'Resource', id: w.resource.id });
    expect(expectData(nodes).nodes.map((n) => n?.id)).toEqual([w.thread.id, w.resource.id]);

    for (const response of (await Promise.all(reads(w.outsider.token))) as GraphQLResponse<unknown>[]) {
      expectError(response, 'FORBIDDEN');
      expect(JSON.stringify(response.data ?? null)).not.toContain(w.term);
    }
  });

  it('staff find RESTRICTED content in search; an outsider finds none of it', async () => {
    const w = await restrictedWorld();
    const staffFound = expectData(await server.gql(SearchDocument, { query: w.term, first: 10 }, { token: w.staff.token })).search;
    expect(staffFound.totalCount).toBe(3);
    const outsiderFound = expectData(await server.gql(SearchDocument, { query: w.term, first: 10 }, { token: w.outsider.token })).search;
    expect(outsiderFound.totalCount).toBe(0);
    expectError(await server.gql(SearchDocument, { query: w.term, communityId: w.community.id, first: 10 }, { token: w.outsider.token }), 'FORBIDDEN');
  });

  it('staff follow a RESTRICTED thread and community live; an outsider is refused both subscriptions', async () => {
    const w = await restrictedWorld();
    const threadLive = subscribe(open(server, w.staff.token), ThreadActivityDocument, { threadId: w.thread.id });
    const communityLive = subscribe(open(server, w.staff.token), CommunityActivityDocument, { communityId: w.community.id });
    await eventually(() => server.app.services.events.listenerCount(threadTopic(w.thread.thread.id)) === 1);
    await eventually(() => server.app.services.events.listenerCount(communityTopic(w.community.community.id)) === 1);
    expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: w.thread.id, body: 'Seen by the moderators' } }, { token: w.author.token }));
    expectData(await server.gql(StartThreadDocument, { input: { communityId: w.community.id, title: 'A new one', body: 'Hello' } }, { token: w.author.token }));
    expect((await threadLive.next(1))[0]!.threadActivity).toMatchObject({ __typename: 'PostAdded', post: { body: 'Seen by the moderators' } });
    expect((await communityLive.next(1))[0]!.communityActivity).toMatchObject({ __typename: 'ThreadStarted', thread: { title: 'A new one' } });

    for (const [document, variables] of [
      [ThreadActivityDocument, { threadId: w.thread.id }],
      [CommunityActivityDocument, { communityId: w.community.id }],
    ] as const) {
      const refused = subscribe(open(server, w.outsider.token), document as typeof ThreadActivityDocument, variables as { threadId: string });
      await refused.ended;
      expect(refused.events).toEqual([]);
      expect(refused.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
  });
});
