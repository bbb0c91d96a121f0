import { Webhook as StandardWebhook } from 'standardwebhooks';
import {
  CreateCommunityDocument,
  CreateWebhookDocument,
  DeletePostDocument,
  EditPostDocument,
  JoinCommunityDocument,
  LeaveCommunityDocument,
  ReplyToThreadDocument,
  ShareResourceDocument,
  StartThreadDocument,
} from '../generated/graphql';
import type { CreateWebhookInput, WebhookEventType } from '../generated/graphql';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { CommunityRole } from '../support/factories';
import { fromGlobalId } from '../../src/shared/ids';
import { deliveryRows, eventually, jobsDone, Receiver } from './receiver';

/** Events made by the real mutations (each records its domain event in its own transaction). */
let server: TestServer;
let receiver: Receiver;
beforeAll(async () => {
  receiver = await Receiver.start();
  server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_RETRY_DELAYS_MS: '200' });
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

const ALL_TYPES: WebhookEventType[] = ['THREAD_STARTED', 'POST_ADDED', 'POST_EDITED', 'POST_DELETED', 'MEMBER_JOINED', 'MEMBER_LEFT', 'RESOURCE_SHARED', 'COMMUNITY_CREATED'];
type Payload = { type: string; timestamp: string; data: Record<string, any> };

async function createWebhook(token: string, input: Partial<CreateWebhookInput> & { url: string }) {
  const { webhook, secret } = expectData(await server.gql(CreateWebhookDocument, { input: { events: ALL_TYPES, ...input } }, { token })).createWebhook;
  return { ...webhook, dbId: fromGlobalId(webhook.id)!.id, secret };
}

/** The next request on `path` (the `count`-th), verified with the webhook's secret. */
async function delivered(path: string, count: number, secret: string): Promise<Payload> {
  await eventually(() => receiver.on(path).length >= count, 10_000, `delivery ${count} on ${path}`);
  const request = receiver.on(path)[count - 1]!;
  return new StandardWebhook(secret).verify(request.body, request.headers as Record<string, string>) as Payload;
}

describe('webhooks fed by the commands', () => {
  it("tells a LEAD's webhook of threads, replies, edits, deletions, joins, leaves and shared resources, as they are now", async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const author = await server.factories.activeMember(community);
    const newcomer = await server.factories.member();
    const path = '/lead-all';
    const webhook = await createWebhook(lead.token, { url: receiver.answer(path, 200), communityId: community.id });
    const base = { community: { id: community.id, slug: community.community.slug } };

    const thread = expectData(
      await server.gql(StartThreadDocument, { input: { communityId: community.id, title: 'Grading rubrics', body: 'Share yours' } }, { token: author.token }),
    ).startThread;
    expect(await delivered(path, 1, webhook.secret)).toMatchObject({
      type: 'THREAD_STARTED',
      data: { ...base, actor: { id: author.id }, thread: { id: thread.id, title: 'Grading rubrics', author: { id: author.id } } },
    });

    const reply = expectData(await server.gql(ReplyToThreadDocument, { input: { threadId: thread.id, body: 'Here is mine' } }, { token: lead.token })).replyToThread;
    expect(await delivered(path, 2, webhook.secret)).toMatchObject({
      type: 'POST_ADDED',
      data: { ...base, actor: { id: lead.id }, thread: { id: thread.id, title: 'Grading rubrics' }, post: { id: reply.id, body: 'Here is mine', author: { id: lead.id } } },
    });

    expectData(await server.gql(EditPostDocument, { input: { postId: reply.id, body: 'Here is mine, revised' } }, { token: lead.token }));
    expect(await delivered(path, 3, webhook.secret)).toMatchObject({
      type: 'POST_EDITED',
      data: { post: { id: reply.id, body: 'Here is mine, revised', editedAt: expect.any(String) } },
    });

    expectData(await server.gql(DeletePostDocument, { postId: reply.id }, { token: lead.token }));
    const deletion = await delivered(path, 4, webhook.secret);
    // A deleted post's words never leave: the delivery says it is gone.
    expect(deletion).toMatchObject({ type: 'POST_DELETED', data: { post: { id: reply.id, deleted: true, body: null } } });
    expect(JSON.stringify(deletion)).not.toContain('revised');

    const joined = expectData(await server.gql(JoinCommunityDocument, { input: { communityId: community.id } }, { token: newcomer.token })).joinCommunity;
    expect(await delivered(path, 5, webhook.secret)).toMatchObject({
      type: 'MEMBER_JOINED',
      data: { ...base, membership: { id: joined.id }, member: { id: newcomer.id, displayName: newcomer.member.displayName } },
    });
    expectData(await server.gql(LeaveCommunityDocument, { communityId: community.id }, { token: newcomer.token }));
    expect(await delivered(path, 6, webhook.secret)).toMatchObject({ type: 'MEMBER_LEFT', data: { membership: { id: joined.id }, member: { id: newcomer.id } } });

    const resource = expectData(
      await server.gql(ShareResourceDocument, { input: { communityId: community.id, title: 'Rubric bank', url: 'https://example.org/rubrics' } }, { token: author.token }),
    ).shareResource;
    expect(await delivered(path, 7, webhook.secret)).toMatchObject({
      type: 'RESOURCE_SHARED',
      data: { ...base, resource: { id: resource.id, title: 'Rubric bank', url: 'https://example.org/rubrics', kind: 'LINK', sharedBy: { id: author.id } } },
    });

    const rows = await eventually(async () => {
      const found = await deliveryRows(server, webhook.dbId);
      return found.length === 7 && found.every((row) => row.status === 'SUCCEEDED') && found;
    });
    expect(rows.map((row) => row.event_type)).toEqual(['THREAD_STARTED', 'POST_ADDED', 'POST_EDITED', 'POST_DELETED', 'MEMBER_JOINED', 'MEMBER_LEFT', 'RESOURCE_SHARED']);
    expect(new Set(receiver.on(path).map((request) => request.headers['webhook-id'])).size).toBe(7);
  });

  it("keeps a RESTRICTED community's content from a webhook of another community, even one whose LEAD is a member there", async () => {
    const community = await server.factories.community();
    const restricted = await server.factories.restrictedCommunity();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    await server.factories.membership(lead, restricted);
    const insider = await server.factories.activeMember(restricted);
    const path = '/other-community';
    const webhook = await createWebhook(lead.token, { url: receiver.answer(path, 200), communityId: community.id });
    expectData(await server.gql(StartThreadDocument, { input: { communityId: restricted.id, title: 'Confidential', body: 'Members only' } }, { token: insider.token }));
    expectData(await server.gql(StartThreadDocument, { input: { communityId: community.id, title: 'Public', body: 'Hello' } }, { token: lead.token }));
    expect((await delivered(path, 1, webhook.secret)).data.thread.title).toBe('Public');
    await jobsDone(server, 'webhooks.fan-out');
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(receiver.on(path)).toHaveLength(1);
    expect(await deliveryRows(server, webhook.dbId)).toHaveLength(1);
  });

  it('tells a staff webhook for all communities of a community being created', async () => {
    const staff = await server.factories.staff();
    const path = '/created';
    const webhook = await createWebhook(staff.token, { url: receiver.answer(path, 200), events: ['COMMUNITY_CREATED'] });
    const created = expectData(
      await server.gql(
        CreateCommunityDocument,
        { input: { name: 'Early literacy', slug: `early-literacy-${Date.now()}`, description: 'Reading with the youngest', visibility: 'RESTRICTED', membershipRationale: 'Children’s records' } },
        { token: staff.token },
      ),
    ).createCommunity;
    expect(await delivered(path, 1, webhook.secret)).toMatchObject({
      type: 'COMMUNITY_CREATED',
      data: { community: { id: created.id, slug: created.slug, name: 'Early literacy', visibility: 'RESTRICTED' }, actor: { id: staff.id } },
    });
    // Keep it from hearing of the other tests' communities.
    await server.em().execute('update webhook set enabled = false where id = ?', [webhook.dbId]);
  });

  it('never fails or slows the command when the receiver fails or does not answer', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const hanging = await createWebhook(lead.token, { url: receiver.answer('/never-answers', 'hang'), communityId: community.id });
    const failing = await createWebhook(lead.token, { url: receiver.answer('/fails', 503), communityId: community.id });
    const started = Date.now();
    const response = await server.gql(StartThreadDocument, { input: { communityId: community.id, title: 'Still works', body: 'Even so' } }, { token: lead.token });
    expect(expectData(response).startThread.title).toBe('Still works');
    expect(Date.now() - started).toBeLessThan(1_000); // the receiver's timeout is 1 s; the command never waits for it
    const failed = async (id: string) => {
      const [row] = await deliveryRows(server, id);
      return row?.status === 'FAILED' && row;
    };
    expect(await eventually(() => failed(hanging.dbId), 15_000)).toMatchObject({ attempts: 2, error: 'No answer within 1000 ms; gave up after 2 attempts' });
    expect(await eventually(() => failed(failing.dbId), 15_000)).toMatchObject({ attempts: 2, response_status: 503, error: 'The receiver answered 503; gave up after 2 attempts' });
  });
});
