import { CreateWebhookDocument, DeleteWebhookDocument, UpdateWebhookDocument } from '../generated/graphql';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { CommunityRole } from '../support/factories';
import { fromGlobalId } from '../../src/shared/ids';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

type EventRow = { type: string; payload: Record<string, unknown>; actor_id: string | null; community_id: string | null };
const eventsOf = (webhookId: string) =>
  server.em().execute<EventRow[]>(
    "select type, payload, actor_id, community_id from domain_event where type like 'Webhook%' and payload->>'webhookId' = ? order by id",
    [webhookId],
  );

describe('webhook domain events', () => {
  it('records WebhookCreated, WebhookUpdated and WebhookDeleted with their change, without URL or secret', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const created = expectData(
      await server.gql(CreateWebhookDocument, { input: { url: 'https://hooks.example.org/events', events: ['THREAD_STARTED'], communityId: community.id } }, { token: lead.token }),
    ).createWebhook;
    const webhookId = fromGlobalId(created.webhook.id)!.id;
    const base = { actor_id: lead.member.id, community_id: community.community.id };
    expect(await eventsOf(webhookId)).toEqual([
      { type: 'WebhookCreated', payload: { type: 'WebhookCreated', communityId: community.community.id, webhookId, events: ['THREAD_STARTED'] }, ...base },
    ]);

    expectData(await server.gql(UpdateWebhookDocument, { input: { webhookId: created.webhook.id, enabled: false, events: ['POST_ADDED'] } }, { token: lead.token }));
    expectData(await server.gql(DeleteWebhookDocument, { webhookId: created.webhook.id }, { token: lead.token }));
    const rows = await eventsOf(webhookId);
    expect(rows.map((row) => row.type)).toEqual(['WebhookCreated', 'WebhookUpdated', 'WebhookDeleted']);
    expect(rows[1]).toEqual({
      type: 'WebhookUpdated',
      payload: { type: 'WebhookUpdated', communityId: community.community.id, webhookId, changed: ['events', 'enabled'], events: ['POST_ADDED'], enabled: false },
      ...base,
    });
    expect(rows[2]).toEqual({ type: 'WebhookDeleted', payload: { type: 'WebhookDeleted', communityId: community.community.id, webhookId }, ...base });
    expect(JSON.stringify(rows)).not.toMatch(/hooks\.example\.org|whsec_/);
  });

  it('records a staff webhook for every community with no community', async () => {
    const staff = await server.factories.staff();
    const created = expectData(await server.gql(CreateWebhookDocument, { input: { url: 'https://hooks.example.org/all', events: ['COMMUNITY_CREATED'] } }, { token: staff.token })).createWebhook;
    const webhookId = fromGlobalId(created.webhook.id)!.id;
    expect(await eventsOf(webhookId)).toEqual([
      { type: 'WebhookCreated', payload: { type: 'WebhookCreated', communityId: null, webhookId, events: ['COMMUNITY_CREATED'] }, actor_id: staff.member.id, community_id: null },
    ]);
  });

  it('records nothing when a change is refused', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const member = await server.factories.activeMember(community);
    const created = expectData(
      await server.gql(CreateWebhookDocument, { input: { url: 'https://hooks.example.org/refused', events: ['THREAD_STARTED'], communityId: community.id } }, { token: lead.token }),
    ).createWebhook;
    const webhookId = fromGlobalId(created.webhook.id)!.id;
    expectError(await server.gql(UpdateWebhookDocument, { input: { webhookId: created.webhook.id, enabled: false } }, { token: member.token }), 'FORBIDDEN');
    expectError(await server.gql(UpdateWebhookDocument, { input: { webhookId: created.webhook.id, url: 'ftp://nope' } }, { token: lead.token }), 'BAD_USER_INPUT');
    expectError(await server.gql(DeleteWebhookDocument, { webhookId: created.webhook.id }, { token: member.token }), 'FORBIDDEN');
    expect((await eventsOf(webhookId)).map((row) => row.type)).toEqual(['WebhookCreated']);
  });
});
