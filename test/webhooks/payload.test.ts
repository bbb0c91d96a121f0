import { CreateWebhookDocument } from '../generated/graphql';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { CommunityRole } from '../support/factories';
import { fromGlobalId } from '../../src/shared/ids';
import { registerEventKinds, type EventType } from '../../src/events/registry';
import type { StoredEvent } from '../../src/events/storedEvent';
import { Webhook } from '../../src/modules/webhooks/webhook.entity';
import { prepareDelivery } from '../../src/modules/webhooks/delivery/payload';

// A kind a later module might add: delivered as a webhook type, readable by fewer members than its community, and
// with no describer in the webhooks module. Its name is unique to this test.
const TEST_KIND = 'TestOnlyProposalSubmitted';
registerEventKinds({ [TEST_KIND]: { webhook: 'PROPOSAL_SUBMITTED' } } as never);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function leadWebhook() {
  const community = await server.factories.community();
  const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
  const created = expectData(
    await server.gql(
      CreateWebhookDocument,
      { input: { url: 'https://hooks.example.org/payload', events: ['THREAD_STARTED'], communityId: community.id } },
      { token: lead.token },
    ),
  ).createWebhook;
  const em = server.em();
  const webhook = await em.findOneOrFail(Webhook, { id: fromGlobalId(created.webhook.id)!.id });
  return { em, webhook, community, lead };
}

const stored = (type: string, communityId: string, actorId: string, payload: Record<string, unknown>): StoredEvent => ({
  id: '1',
  type: type as EventType,
  event: { type, communityId, ...payload } as never,
  actorId,
  communityId,
  createdAt: new Date(),
  live: null,
});

describe('prepareDelivery', () => {
  it('skips, with nothing sent, a webhook event type that has no describer (fails closed)', async () => {
    const { em, webhook, community, lead } = await leadWebhook();
    const communityId = community.community.id;
    const secretTitle = 'Board only: budget proposal';
    const event = stored(TEST_KIND, communityId, lead.member.id, { proposalId: '00000000-0000-4000-8000-000000000001', title: secretTitle });
    const prepared = await prepareDelivery(server.app.services, em, webhook, event, 'PROPOSAL_SUBMITTED');
    expect(prepared).toEqual({ skipped: `No webhook body is defined for ${TEST_KIND} events yet` });
    expect(JSON.stringify(prepared)).not.toContain(secretTitle);
  });

  it('still builds the body of a described type for the same webhook', async () => {
    const { em, webhook, community, lead } = await leadWebhook();
    const communityId = community.community.id;
    const event = stored('CommunityCreated', communityId, lead.member.id, {});
    const prepared = await prepareDelivery(server.app.services, em, webhook, event, 'COMMUNITY_CREATED');
    if (!('body' in prepared)) throw new Error(`expected a body, got ${JSON.stringify(prepared)}`);
    expect(JSON.parse(prepared.body)).toMatchObject({ type: 'COMMUNITY_CREATED', data: { eventId: '1', community: { id: community.id }, actor: { id: lead.id } } });
  });
});
