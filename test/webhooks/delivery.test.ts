import { Webhook as StandardWebhook } from 'standardwebhooks';
import { CreateWebhookDocument, JoinCommunityDocument, UpdateWebhookDocument, WebhookDeliveriesDocument, WebhookDeliveryNodeDocument } from '../generated/graphql';
import type { CreateWebhookInput, WebhookEventType } from '../generated/graphql';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { CommunityRole, OrgRole } from '../support/factories';
import { fromGlobalId, toGlobalId } from '../../src/shared/ids';
import { deliveryRows, eventIdOf, eventually, jobsDone, Receiver, reply, startThread } from './receiver';

let server: TestServer;
let receiver: Receiver;
beforeAll(async () => {
  receiver = await Receiver.start();
  server = await startTestServer({
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', // the receiver is on 127.0.0.1
    WEBHOOK_RETRY_DELAYS_MS: '600,100',
    WEBHOOK_TIMEOUT_MS: '400',
  });
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

let paths = 0;
const nextPath = (name: string) => `/${name}-${++paths}`;
const dbId = (globalId: string) => fromGlobalId(globalId)!.id;

async function createWebhook(token: string, input: Partial<CreateWebhookInput> & { url: string }) {
  const { webhook, secret } = expectData(
    await server.gql(CreateWebhookDocument, { input: { events: ['THREAD_STARTED', 'POST_ADDED'] as WebhookEventType[], ...input } }, { token }),
  ).createWebhook;
  return { ...webhook, dbId: dbId(webhook.id), secret };
}

/** Every fan-out job queued so far has run. */
const fannedOut = () => jobsDone(server, 'webhooks.fan-out');


type Payload = { type: string; timestamp: string; data: Record<string, any> };
const verify = (secret: string, request: { body: string; headers: Record<string, unknown> }) =>
  new StandardWebhook(secret).verify(request.body, request.headers as Record<string, string>) as Payload;

describe('webhook deliveries', () => {
  it('sends a staff webhook for all communities the events of every community, signed (Standard Webhooks)', async () => {
    const staff = await server.factories.staff();
    const open = await server.factories.community();
    const restricted = await server.factories.restrictedCommunity();
    const author = await server.factories.activeMember(open);
    await server.factories.membership(author, restricted);
    const path = nextPath('all');
    const webhook = await createWebhook(staff.token, { url: receiver.answer(path, 200) });
    const openThread = await startThread(server, author.token, open.id, 'Open thread');
    const restrictedThread = await startThread(server, author.token, restricted.id, 'Restricted thread');
    const added = await reply(server, author.token, openThread.id, 'A reply');
    const newcomer = await server.factories.member();
    expectData(await server.gql(JoinCommunityDocument, { input: { communityId: open.id } }, { token: newcomer.token }));
    await server.app.services.dispatcher.settled();
    const joined = await eventIdOf(server, 'MemberJoined', 'memberId', newcomer.member.id);
    const [startedOpen, startedRestricted] = [openThread.eventId, restrictedThread.eventId];
    await eventually(() => receiver.on(path).length >= 3, 10_000, 'three deliveries');
    await fannedOut();

    const rows = await eventually(async () => {
      const found = await deliveryRows(server, webhook.dbId);
      return found.every((row) => row.status === 'SUCCEEDED') && found;
    });
    // MEMBER_JOINED is not subscribed: three deliveries, one per subscribed event.
    expect(rows.map((row) => [row.event_id, row.event_type, row.status, row.attempts, row.response_status])).toEqual(
      expect.arrayContaining([
        [startedOpen, 'THREAD_STARTED', 'SUCCEEDED', 1, 200],
        [startedRestricted, 'THREAD_STARTED', 'SUCCEEDED', 1, 200],
        [added.eventId, 'POST_ADDED', 'SUCCEEDED', 1, 200],
      ]),
    );
    expect(rows).toHaveLength(3);
    expect(rows.map((row) => row.event_id)).not.toContain(joined);

    const received = receiver.on(path);
    expect(received).toHaveLength(3);
    const payloads = received.map((request) => {
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(Number(request.headers['webhook-timestamp'])).toBeGreaterThan(Date.now() / 1000 - 60);
      return { id: request.headers['webhook-id'], payload: verify(webhook.secret, request as never) };
    });
    const byEvent = new Map(payloads.map(({ id, payload }) => [payload.data.eventId, { id, payload }]));
    const openStarted = byEvent.get(startedOpen)!;
    expect(openStarted.id).toBe(`msg_${rows.find((row) => row.event_id === startedOpen)!.id}`);
    expect(openStarted.payload).toEqual({
      type: 'THREAD_STARTED',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: {
        eventId: startedOpen,
        community: { id: open.id, slug: open.community.slug, name: open.community.name, visibility: 'OPEN' },
        actor: { id: author.id },
        thread: { id: openThread.id, title: 'Open thread', kind: 'DISCUSSION', author: { id: author.id } },
      },
    });
    // Staff may read the RESTRICTED community, so its content comes along.
    expect(byEvent.get(startedRestricted)!.payload.data).toMatchObject({
      community: { id: restricted.id, visibility: 'RESTRICTED' },
      thread: { id: restrictedThread.id, title: 'Restricted thread' },
    });
    expect(byEvent.get(added.eventId)!.payload).toMatchObject({
      type: 'POST_ADDED',
      data: { thread: { id: openThread.id, title: 'Open thread' }, post: { id: added.id, body: 'A reply', author: { id: author.id }, parent: null, deleted: false } },
    });

    // The signature is over exactly these bytes, with this secret.
    const sample = received[0]!;
    expect(() => new StandardWebhook(webhook.secret).verify(sample.body.replace('"type"', '"typ\\u0065"'), sample.headers as never)).toThrow();
    const otherSecret = expectData(await server.gql(CreateWebhookDocument, { input: { url: receiver.answer(nextPath('unused')), events: ['COMMUNITY_RETIRED'] } }, { token: staff.token }))
      .createWebhook.secret;
    expect(() => new StandardWebhook(otherSecret).verify(sample.body, sample.headers as never)).toThrow();
    // Keep this all-communities webhook out of the other tests.
    await server.gql(UpdateWebhookDocument, { input: { webhookId: webhook.id, enabled: false } }, { token: staff.token });
  });

  it("sends a LEAD's webhook its own community's events only: nothing from a RESTRICTED or any other community", async () => {
    const community = await server.factories.community();
    const restricted = await server.factories.restrictedCommunity();
    const elsewhere = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const author = await server.factories.activeMember(restricted);
    await server.factories.membership(author, community);
    await server.factories.membership(author, elsewhere);
    const path = nextPath('lead');
    const webhook = await createWebhook(lead.token, { url: receiver.answer(path, 204), communityId: community.id });
    await startThread(server, author.token, restricted.id, 'Secret plans');
    await startThread(server, author.token, elsewhere.id);
    const own = await startThread(server, author.token, community.id);
    const ownEvent = own.eventId;
    await eventually(() => receiver.on(path).length >= 1, 10_000, 'the delivery');
    await fannedOut();
    const rows = await deliveryRows(server, webhook.dbId);
    expect(rows.map((row) => row.event_id)).toEqual([ownEvent]);
    await eventually(async () => (await deliveryRows(server, webhook.dbId))[0]!.status === 'SUCCEEDED');
    expect(receiver.on(path)).toHaveLength(1);
    const payload = verify(webhook.secret, receiver.on(path)[0] as never);
    expect(payload.data).toMatchObject({ community: { id: community.id }, thread: { id: own.id } });
    expect(receiver.on(path)[0]!.body).not.toContain('Secret plans');
    expect((await deliveryRows(server, webhook.dbId))[0]).toMatchObject({ status: 'SUCCEEDED', response_status: 204, attempts: 1 });
  });

  it("reads a RESTRICTED community for its LEAD's and staff's webhooks, and skips once the owner lost the right", async () => {
    const restricted = await server.factories.restrictedCommunity();
    const lead = await server.factories.activeMember(restricted, [CommunityRole.LEAD]);
    const staff = await server.factories.staff();
    const leadPath = nextPath('stepped-down');
    const staffPath = nextPath('demoted');
    const leadHook = await createWebhook(lead.token, { url: receiver.answer(leadPath, 200), communityId: restricted.id });
    const staffHook = await createWebhook(staff.token, { url: receiver.answer(staffPath, 200), communityId: restricted.id });
    await startThread(server, lead.token, restricted.id, 'Members only, while allowed');
    for (const [path, hook] of [[leadPath, leadHook], [staffPath, staffHook]] as const) {
      await eventually(() => receiver.on(path).length === 1, 10_000, `the delivery on ${path}`);
      expect(verify(hook.secret, receiver.on(path)[0] as never).data.thread.title).toBe('Members only, while allowed');
    }

    await server.em().execute("update membership set roles = '{}' where member_id = ?", [lead.member.id]);
    await server.em().execute('update member set org_role = ? where id = ?', [OrgRole.MEMBER, staff.member.id]);
    // Still an ACTIVE member, so the thread is started; only managing the webhook needed the role.
    await startThread(server, lead.token, restricted.id, 'Members only, after');
    await fannedOut();
    const skipped = async (hookId: string) => {
      const rows = await deliveryRows(server, hookId);
      return rows.length === 2 && rows[1]!.status === 'SKIPPED' && rows[1]!;
    };
    expect(await eventually(() => skipped(leadHook.dbId))).toMatchObject({ attempts: 0, error: "The webhook's owner may no longer manage it" });
    expect(await eventually(() => skipped(staffHook.dbId))).toMatchObject({ attempts: 0, error: "The webhook's owner may no longer manage it" });
    expect(receiver.on(leadPath)).toHaveLength(1);
    expect(receiver.on(staffPath)).toHaveLength(1);
  });

  it('fails, without sending, a delivery whose stored secret cannot be decrypted', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const path = nextPath('bad-secret');
    const webhook = await createWebhook(lead.token, { url: receiver.answer(path, 200), communityId: community.id });
    // As if JWT_SECRET changed since the webhook was made (the key is derived from it).
    await server.em().execute("update webhook set secret_ciphertext = regexp_replace(secret_ciphertext, ':[^:]*$', ':AAAA') where id = ?", [webhook.dbId]);
    await startThread(server, lead.token, community.id);
    const row = await eventually(async () => {
      const [found] = await deliveryRows(server, webhook.dbId);
      return found?.status === 'FAILED' && found;
    }, 10_000, 'the failed delivery');
    expect(row).toMatchObject({ attempts: 0, error: 'The signing secret cannot be read (was JWT_SECRET changed?)' });
    expect(receiver.on(path)).toHaveLength(0);
  });

  it('retries a failed delivery with the same webhook-id, and records attempts, status and the next attempt', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const path = nextPath('flaky');
    const webhook = await createWebhook(lead.token, { url: receiver.answer(path, 500, 200), communityId: community.id });
    const failedAt = Date.now();
    await startThread(server, lead.token, community.id);

    const [delivery] = await eventually(async () => {
      const found = await deliveryRows(server, webhook.dbId);
      return found.length > 0 && found;
    }, 10_000, 'the delivery row');
    const deliveryId = toGlobalId('WebhookDelivery', delivery!.id);
    const pending = await eventually(async () => {
      const node = expectData(await server.gql(WebhookDeliveryNodeDocument, { id: deliveryId }, { token: lead.token })).node;
      return node && 'attempts' in node && node.attempts === 1 && node;
    }, 10_000, 'the first attempt');
    expect(pending).toMatchObject({ status: 'PENDING', attempts: 1, responseStatus: 500, eventType: 'THREAD_STARTED', error: 'The receiver answered 500' });
    // About 600 ms later, with ±10 % jitter.
    const next = Date.parse(pending.nextAttemptAt!);
    expect(next).toBeGreaterThanOrEqual(Date.parse(pending.lastAttemptAt!) + 540 - 5);
    expect(next).toBeLessThanOrEqual(Date.parse(pending.lastAttemptAt!) + 660 + 5);
    expect(next).toBeGreaterThan(failedAt);

    const done = await eventually(async () => {
      const node = expectData(await server.gql(WebhookDeliveryNodeDocument, { id: deliveryId }, { token: lead.token })).node;
      return node && 'status' in node && node.status === 'SUCCEEDED' && node;
    }, 10_000, 'the retry');
    expect(done).toMatchObject({ attempts: 2, responseStatus: 200, nextAttemptAt: null, error: null });
    const requests = receiver.on(path);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.headers['webhook-id']).toBe(`msg_${delivery!.id}`);
    expect(requests[1]!.headers['webhook-id']).toBe(requests[0]!.headers['webhook-id']);
    expect(requests[1]!.body).toBe(requests[0]!.body);
    for (const request of requests) expect(verify(webhook.secret, request as never).type).toBe('THREAD_STARTED');

    // A second fan-out of the same event (a retried job) adds no delivery and sends nothing more.
    await server.app.services.jobs.send('webhooks.fan-out', { eventId: delivery!.event_id });
    await fannedOut();
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await deliveryRows(server, webhook.dbId)).toHaveLength(1);
    expect(receiver.on(path)).toHaveLength(2);
  });

  it('disables the webhook when the receiver answers 410 Gone, and stops', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const path = nextPath('gone');
    const webhook = await createWebhook(lead.token, { url: receiver.answer(path, 410), communityId: community.id });
    const thread = await startThread(server, lead.token, community.id);
    const row = await eventually(async () => {
      const [found] = await deliveryRows(server, webhook.dbId);
      return found?.status === 'FAILED' && found;
    }, 10_000, 'the failed delivery');
    expect(row).toMatchObject({ attempts: 1, response_status: 410, error: 'The receiver answered 410 Gone' });
    const shown = expectData(await server.gql(WebhookDeliveriesDocument, { id: webhook.id }, { token: lead.token })).node;
    expect(shown).toMatchObject({ enabled: false, disabledReason: 'The receiver answered 410 Gone' });

    // No retry, and later events are not even queued for it.
    await reply(server, lead.token, thread.id);
    await fannedOut();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await deliveryRows(server, webhook.dbId)).toHaveLength(1);
    expect(receiver.on(path)).toHaveLength(1);

    // Enabling it again clears the reason.
    expect(expectData(await server.gql(UpdateWebhookDocument, { input: { webhookId: webhook.id, enabled: true } }, { token: lead.token })).updateWebhook).toMatchObject({
      enabled: true,
      disabledReason: null,
    });
  });

  it('gives up on a receiver that never answers after the timeout on each attempt of the schedule', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const path = nextPath('hang');
    const webhook = await createWebhook(lead.token, { url: receiver.answer(path, 'hang'), communityId: community.id });
    await startThread(server, lead.token, community.id);
    const row = await eventually(async () => {
      const [found] = await deliveryRows(server, webhook.dbId);
      return found?.status === 'FAILED' && found;
    }, 15_000, 'the delivery to give up');
    // One attempt and the two retries of WEBHOOK_RETRY_DELAYS_MS, each cut off after WEBHOOK_TIMEOUT_MS.
    expect(row).toMatchObject({ attempts: 3, response_status: null, error: 'No answer within 400 ms; gave up after 3 attempts' });
    expect(receiver.on(path)).toHaveLength(3);
  });

  it('lists deliveries newest first, with attempts and status, to whoever may manage the webhook', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const path = nextPath('listed');
    const webhook = await createWebhook(lead.token, { url: receiver.answer(path, 200), communityId: community.id });
    const thread = await startThread(server, lead.token, community.id);
    const started = thread.eventId;
    // Deliveries are listed by when they were made; fan-out jobs run concurrently, so let the first be made first.
    await eventually(async () => (await deliveryRows(server, webhook.dbId)).length === 1, 10_000, 'the first delivery');
    const added = (await reply(server, lead.token, thread.id)).eventId;
    await eventually(async () => {
      const rows = await deliveryRows(server, webhook.dbId);
      return rows.length === 2 && rows.every((r) => r.status === 'SUCCEEDED');
    }, 10_000, 'both deliveries');
    const first = expectData(await server.gql(WebhookDeliveriesDocument, { id: webhook.id, first: 1 }, { token: lead.token })).node;
    if (!first || !('deliveries' in first)) throw new Error('expected a webhook');
    expect(first.deliveries.totalCount).toBe(2);
    expect(first.deliveries.pageInfo.hasNextPage).toBe(true);
    const second = expectData(await server.gql(WebhookDeliveriesDocument, { id: webhook.id, first: 1, after: first.deliveries.pageInfo.endCursor }, { token: lead.token })).node;
    if (!second || !('deliveries' in second)) throw new Error('expected a webhook');
    const listed = [...first.deliveries.edges, ...second.deliveries.edges].map((e) => e.node);
    expect(listed.map((d) => [d.eventId, d.eventType, d.status, d.attempts, d.responseStatus])).toEqual([
      [added, 'POST_ADDED', 'SUCCEEDED', 1, 200],
      [started, 'THREAD_STARTED', 'SUCCEEDED', 1, 200],
    ]);
    const outsider = await server.factories.activeMember(community);
    expectError(await server.gql(WebhookDeliveryNodeDocument, { id: listed[0]!.id }, { token: outsider.token }), 'FORBIDDEN');
    expectError(await server.gql(WebhookDeliveryNodeDocument, { id: listed[0]!.id }), 'UNAUTHENTICATED');
  });
});
