import { Webhook as StandardWebhook } from 'standardwebhooks';
import {
  ChangeCommunityFocusDocument,
  CommunityLifecycleDocument,
  CreateWebhookDocument,
  MergeCommunitiesDocument,
  ReplyToThreadDocument,
  RetireCommunityDocument,
  SplitCommunityDocument,
  ThreadActivityDocument,
} from '../generated/graphql';
import type { CommunityLifecycleSubscription, WebhookEventType } from '../generated/graphql';
import { communityTopic, threadTopic } from '../../src/realtime/events';
import { CommunityRole } from '../support/factories';
import { eventually, subscribe, trackSockets } from '../support/live';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { eventually as eventuallyWithin, jobsDone, Receiver } from '../webhooks/receiver';
import { freshSlug } from './lifecycleSupport';

let server: TestServer;
let receiver: Receiver;
const openOn = trackSockets();
beforeAll(async () => {
  receiver = await Receiver.start();
  server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }); // the receiver is on 127.0.0.1
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const open = (token?: string | null) => openOn(server, token);
const followers = (topic: string) => server.app.services.events.listenerCount(topic);

function lifecycleOf(event: CommunityLifecycleSubscription) {
  const activity = event.communityActivity;
  if (activity.__typename !== 'CommunityLifecycleChanged') throw new Error(`expected CommunityLifecycleChanged, got ${activity.__typename}`);
  return activity;
}

async function following(token: string, community: { id: string; community: { id: string } }) {
  const live = subscribe(open(token), CommunityLifecycleDocument, { communityId: community.id });
  await eventually(() => followers(communityTopic(community.community.id)) === 1);
  return live;
}

describe('communityActivity hears of lifecycle changes', () => {
  it('tells a member of a RESTRICTED community its focus changed, then that it was retired', async () => {
    const staff = await server.factories.staff();
    const community = await server.factories.restrictedCommunity();
    const member = await server.factories.activeMember(community);
    const live = await following(member.token, community);
    expectData(await server.gql(ChangeCommunityFocusDocument, { input: { communityId: community.id, name: 'Refocused' } }, { token: staff.token }));
    expect(lifecycleOf((await live.next(1))[0]!)).toMatchObject({ change: 'FOCUS_CHANGED', community: { id: community.id, name: 'Refocused', status: 'ACTIVE' }, successors: [] });
    expectData(await server.gql(RetireCommunityDocument, { input: { communityId: community.id, reason: 'Done' } }, { token: staff.token }));
    expect(lifecycleOf((await live.next(2))[1]!)).toMatchObject({ change: 'RETIRED', community: { id: community.id, status: 'RETIRED' }, successors: [] });
    expect(live.errors).toEqual([]);
  });

  it('tells subscribers of each merged source, and of a split original, where the content went', async () => {
    const staff = await server.factories.staff();
    const [a, b] = [await server.factories.community(), await server.factories.restrictedCommunity()];
    const member = await server.factories.activeMember(a);
    await server.factories.membership(member, b);
    const [liveA, liveB] = [await following(member.token, a), await following(member.token, b)];
    const { mergeCommunities } = expectData(
      await server.gql(MergeCommunitiesDocument, { input: { communityIds: [a.id, b.id], into: { name: 'Merged live', slug: freshSlug('merged-live'), description: 'Live', topics: [] } } }, { token: staff.token }),
    );
    for (const [live, source] of [[liveA, a], [liveB, b]] as const) {
      expect(lifecycleOf((await live.next(1))[0]!)).toMatchObject({
        change: 'MERGED',
        community: { id: source.id, status: 'RETIRED' },
        successors: [{ id: mergeCommunities.id, slug: mergeCommunities.slug }],
      });
    }

    const original = await server.factories.community();
    const lead = await server.factories.activeMember(original, [CommunityRole.LEAD]);
    const live = await following(lead.token, original);
    const parts = ['North', 'South'].map((name) => ({ name, slug: freshSlug(name.toLowerCase()), description: name, topics: [], threadIds: [] }));
    const { splitCommunity } = expectData(await server.gql(SplitCommunityDocument, { input: { communityId: original.id, parts } }, { token: staff.token }));
    expect(lifecycleOf((await live.next(1))[0]!)).toMatchObject({ change: 'SPLIT', successors: splitCommunity.map((c) => ({ id: c.id, slug: c.slug })) });
  });

  it('keeps a moved thread’s threadActivity subscription working: replies in its new community reach it', async () => {
    const staff = await server.factories.staff();
    const original = await server.factories.community();
    const member = await server.factories.activeMember(original);
    const thread = await server.factories.thread(original, member);
    const live = subscribe(open(member.token), ThreadActivityDocument, { threadId: thread.id });
    await eventually(() => followers(threadTopic(thread.thread.id)) === 1);
    const parts = ['Kept', 'Other'].map((name, i) => ({ name, slug: freshSlug(name.toLowerCase()), description: name, topics: [], threadIds: i === 0 ? [thread.id] : [] }));
    expectData(await server.gql(SplitCommunityDocument, { input: { communityId: original.id, parts } }, { token: staff.token }));
    // The member is a member of the part (copied), which is ACTIVE: the thread takes replies again.
    const { replyToThread } = expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'After the split' } }, { token: member.token }));
    const [event] = await live.next(1);
    expect(event!.threadActivity).toMatchObject({ __typename: 'PostAdded', post: { id: replyToThread.id, body: 'After the split' } });
    expect(live.errors).toEqual([]);
  });
});

describe('COMMUNITY_RETIRED webhooks', () => {
  type Payload = { type: string; timestamp: string; data: Record<string, any> };
  const verify = (secret: string, request: { body: string; headers: Record<string, unknown> }) =>
    new StandardWebhook(secret).verify(request.body, request.headers as Record<string, string>) as Payload;

  it('delivers COMMUNITY_RETIRED, signed, with the reason and successors, to staff webhooks and to the community’s own', async () => {
    const staff = await server.factories.staff();
    const all = expectData(
      await server.gql(CreateWebhookDocument, { input: { url: receiver.answer('/all', 200), events: ['COMMUNITY_RETIRED'] as WebhookEventType[] } }, { token: staff.token }),
    ).createWebhook;
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const own = expectData(
      await server.gql(
        CreateWebhookDocument,
        { input: { url: receiver.answer('/own', 200), events: ['COMMUNITY_RETIRED'] as WebhookEventType[], communityId: community.id } },
        { token: lead.token },
      ),
    ).createWebhook;

    expectData(await server.gql(RetireCommunityDocument, { input: { communityId: community.id, reason: 'Its work is done' } }, { token: staff.token }));
    await server.app.services.dispatcher.settled();
    await eventuallyWithin(() => receiver.on('/all').length >= 1 && receiver.on('/own').length >= 1, 10_000, 'two deliveries');
    for (const [path, secret] of [['/all', all.secret], ['/own', own.secret]] as const) {
      const payload = verify(secret, receiver.on(path)[0]!);
      expect(payload).toMatchObject({
        type: 'COMMUNITY_RETIRED',
        data: { community: { id: community.id, slug: community.community.slug }, actor: { id: staff.id }, change: 'RETIRED', reason: 'Its work is done', successors: [], mergedInto: null },
      });
    }

    // A source's LEAD keeps their webhook's COMMUNITY_RETIRED: their membership moved, and the archive's members are the merged community's.
    const [a, b] = [await server.factories.restrictedCommunity(), await server.factories.community()];
    const sourceLead = await server.factories.activeMember(a, [CommunityRole.LEAD]);
    const sourceHook = expectData(
      await server.gql(
        CreateWebhookDocument,
        { input: { url: receiver.answer('/source', 200), events: ['COMMUNITY_RETIRED'] as WebhookEventType[], communityId: a.id } },
        { token: sourceLead.token },
      ),
    ).createWebhook;
    const slug = freshSlug('merged-hook');
    const { mergeCommunities } = expectData(
      await server.gql(MergeCommunitiesDocument, { input: { communityIds: [a.id, b.id], into: { name: 'Merged hook', slug, description: 'Hooked', topics: [] } } }, { token: staff.token }),
    );
    await server.app.services.dispatcher.settled();
    await eventuallyWithin(() => receiver.on('/all').length >= 3, 10_000, 'two more deliveries');
    await jobsDone(server, 'webhooks.fan-out');
    const merged = receiver.on('/all').slice(1).map((request) => verify(all.secret, request).data);
    expect(merged.map((data) => data.community.id).sort()).toEqual([a.id, b.id].sort());
    for (const data of merged) {
      expect(data).toMatchObject({ change: 'MERGED', reason: 'Merged into Merged hook', mergedInto: { id: mergeCommunities.id, slug }, successors: [{ id: mergeCommunities.id, slug }] });
    }
    await eventuallyWithin(() => receiver.on('/source').length >= 1, 10_000, "the source lead's delivery");
    expect(verify(sourceHook.secret, receiver.on('/source')[0]!)).toMatchObject({ type: 'COMMUNITY_RETIRED', data: { community: { id: a.id }, change: 'MERGED' } });
  });
});
