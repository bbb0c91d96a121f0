import { randomUUID } from 'node:crypto';
import { CreateWebhookDocument, DeleteWebhookDocument, UpdateWebhookDocument, WebhookDeliveriesDocument, WebhooksDocument } from '../generated/graphql';
import type { CreateWebhookInput, WebhookEventType } from '../generated/graphql';
import { countRows, distinctBadInputFields, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { CommunityRole, MembershipStatus } from '../support/factories';
import { fromGlobalId, toGlobalId } from '../../src/shared/ids';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(); // WEBHOOK_ALLOW_PRIVATE_NETWORKS is false by default
});
afterAll(() => server.close());

const URL = 'https://hooks.example.org/practicehub';
const create = (input: Partial<CreateWebhookInput>, token?: string) =>
  server.gql(CreateWebhookDocument, { input: { url: URL, events: ['THREAD_STARTED'] as WebhookEventType[], ...input } }, { token });
const webhookCount = () => countRows(server, 'select count(*) as n from webhook');
const dbId = (globalId: string) => fromGlobalId(globalId)!.id;

async function world() {
  const community = await server.factories.community();
  const other = await server.factories.community();
  const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
  const otherLead = await server.factories.activeMember(other, [CommunityRole.LEAD]);
  const staff = await server.factories.staff();
  return { community, other, lead, otherLead, staff };
}

describe('createWebhook', () => {
  it('refuses an anonymous caller as UNAUTHENTICATED and writes nothing', async () => {
    const { community } = await world();
    const before = await webhookCount();
    expectError(await create({ communityId: community.id }), 'UNAUTHENTICATED');
    expectError(await create({}), 'UNAUTHENTICATED');
    expect(await webhookCount()).toBe(before);
  });

  it('is FORBIDDEN to members who do not lead the community, and to a LEAD for every community; nothing written', async () => {
    const { community, lead, otherLead } = await world();
    const plain = await server.factories.member();
    const member = await server.factories.activeMember(community);
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    const formerLead = await server.factories.member();
    await server.factories.membership(formerLead, community, { status: MembershipStatus.LEFT, roles: [CommunityRole.LEAD] });
    const before = await webhookCount();
    for (const caller of [plain, member, monitor, otherLead, formerLead]) {
      expectError(await create({ communityId: community.id }, caller.token), 'FORBIDDEN');
    }
    const allCommunities = expectError(await create({}, lead.token), 'FORBIDDEN');
    expect(allCommunities.message).toMatch(/staff/i);
    expect(await webhookCount()).toBe(before);
  });

  it('refuses an empty event list, a bad URL or a private address as BAD_USER_INPUT on that field; nothing written', async () => {
    const { community, lead, staff } = await world();
    const before = await webhookCount();
    expect(distinctBadInputFields(await create({ communityId: community.id, events: [] }, lead.token))).toEqual(['events']);
    for (const url of [
      'ftp://hooks.example.org/x',
      'not a url',
      '/relative/path',
      'javascript:alert(1)',
      'https://user:secret@hooks.example.org/x',
      'https://user@hooks.example.org/x',
      'http://127.0.0.1:8080/hook',
      'http://2130706433/hook', // 127.0.0.1 written as a number
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://10.1.2.3/hook',
      'http://172.16.0.1/hook',
      'http://192.168.1.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[fe80::1]/hook',
      'http://[fd00::1]/hook',
      'http://0.0.0.0/hook',
    ]) {
      expect([url, distinctBadInputFields(await create({ communityId: community.id, url }, staff.token))]).toEqual([url, ['url']]);
    }
    expect(distinctBadInputFields(await create({ communityId: 'not-an-id' }, staff.token))).toEqual(['communityId']);
    expect(await webhookCount()).toBe(before);
  });

  it("lets a LEAD add one for their community: the secret is whsec_ + base64 of 32 random bytes, shown once and not stored as is", async () => {
    const { community, lead } = await world();
    const first = expectData(
      await create({ communityId: community.id, url: 'HTTPS://Hooks.Example.ORG:443/a', events: ['POST_ADDED', 'THREAD_STARTED', 'POST_ADDED'] }, lead.token),
    ).createWebhook;
    expect(first.webhook).toMatchObject({
      url: 'https://hooks.example.org/a',
      events: ['POST_ADDED', 'THREAD_STARTED'],
      enabled: true,
      disabledReason: null,
      community: { id: community.id, slug: community.community.slug },
    });
    expect(first.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(first.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    const second = expectData(await create({ communityId: community.id }, lead.token)).createWebhook;
    expect(second.secret).not.toBe(first.secret);
    const [row] = await server.em().execute<{ secret_ciphertext: string; owner_id: string }[]>('select secret_ciphertext, owner_id from webhook where id = ?', [
      dbId(first.webhook.id),
    ]);
    expect(row!.owner_id).toBe(lead.member.id);
    expect(row!.secret_ciphertext).not.toContain(first.secret.slice('whsec_'.length));
    expect(row!.secret_ciphertext).not.toContain(first.secret.slice('whsec_'.length, 20));
  });

  it('lets staff add one for any community or for all of them (community null)', async () => {
    const { community, staff } = await world();
    const one = expectData(await create({ communityId: community.id }, staff.token)).createWebhook.webhook;
    expect(one.community?.id).toBe(community.id);
    const all = expectData(await create({ communityId: null, events: ['COMMUNITY_CREATED', 'MEMBER_JOINED'] }, staff.token)).createWebhook.webhook;
    expect(all).toMatchObject({ community: null, events: ['COMMUNITY_CREATED', 'MEMBER_JOINED'], enabled: true });
  });

  it('accepts a DNS name even when private networks are refused (it is checked at each delivery)', async () => {
    const { community, lead } = await world();
    expectData(await create({ communityId: community.id, url: 'http://localhost:9/hook' }, lead.token));
  });
});

describe('webhooks and node(id)', () => {
  it('refuses an anonymous caller as UNAUTHENTICATED, and a non-LEAD asking for a community as FORBIDDEN', async () => {
    const { community, lead, otherLead } = await world();
    const webhook = expectData(await create({ communityId: community.id }, lead.token)).createWebhook.webhook;
    expectError(await server.gql(WebhooksDocument, {}), 'UNAUTHENTICATED');
    expectError(await server.gql(WebhooksDocument, { communityId: community.id }), 'UNAUTHENTICATED');
    const member = await server.factories.activeMember(community);
    for (const caller of [member, otherLead]) {
      expectError(await server.gql(WebhooksDocument, { communityId: community.id }, { token: caller.token }), 'FORBIDDEN');
    }
    // node(id) goes through the same rule.
    expectError(await server.gql(WebhookDeliveriesDocument, { id: webhook.id }), 'UNAUTHENTICATED');
    for (const caller of [member, otherLead]) {
      const response = await server.gql(WebhookDeliveriesDocument, { id: webhook.id }, { token: caller.token });
      expectError(response, 'FORBIDDEN');
      expect(response.data?.node ?? null).toBeNull();
    }
  });

  it('lists for a LEAD the webhooks of the communities they lead only; for staff every webhook; for others none', async () => {
    const { community, other, lead, otherLead, staff } = await world();
    const mine = expectData(await create({ communityId: community.id, url: 'https://hooks.example.org/mine' }, lead.token)).createWebhook.webhook;
    const theirs = expectData(await create({ communityId: other.id, url: 'https://hooks.example.org/theirs' }, otherLead.token)).createWebhook.webhook;
    const everywhere = expectData(await create({}, staff.token)).createWebhook.webhook;

    const leadList = expectData(await server.gql(WebhooksDocument, {}, { token: lead.token })).webhooks;
    expect(leadList.edges.map((e) => e.node.id)).toEqual([mine.id]);
    expect(leadList.totalCount).toBe(1);
    const leadCommunity = expectData(await server.gql(WebhooksDocument, { communityId: community.id }, { token: lead.token })).webhooks;
    expect(leadCommunity.edges.map((e) => e.node.id)).toEqual([mine.id]);
    expectError(await server.gql(WebhooksDocument, { communityId: other.id }, { token: lead.token }), 'FORBIDDEN');

    const plain = await server.factories.member();
    expect(expectData(await server.gql(WebhooksDocument, {}, { token: plain.token })).webhooks).toMatchObject({ totalCount: 0, edges: [] });

    const staffList = expectData(await server.gql(WebhooksDocument, { first: 100 }, { token: staff.token })).webhooks;
    const staffIds = staffList.edges.map((e) => e.node.id);
    expect(staffIds).toEqual(expect.arrayContaining([mine.id, theirs.id, everywhere.id]));
    expect(staffIds.indexOf(everywhere.id)).toBeLessThan(staffIds.indexOf(mine.id)); // newest first
    expect(staffList.totalCount).toBe(await webhookCount());

    // Pages walk the whole list once.
    const seen: string[] = [];
    let after: string | null | undefined = null;
    do {
      const page: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } } = expectData(
        await server.gql(WebhooksDocument, { first: 2, after }, { token: staff.token }),
      ).webhooks;
      seen.push(...page.edges.map((e) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(staffIds);

    // An all-communities webhook is staff's alone.
    expectError(await server.gql(WebhookDeliveriesDocument, { id: everywhere.id }, { token: lead.token }), 'FORBIDDEN');
    expect(expectData(await server.gql(WebhookDeliveriesDocument, { id: everywhere.id }, { token: staff.token })).node).toMatchObject({ id: everywhere.id });
    expect(expectData(await server.gql(WebhookDeliveriesDocument, { id: mine.id }, { token: lead.token })).node).toMatchObject({
      id: mine.id,
      deliveries: { totalCount: 0, edges: [] },
    });
  });

  it('stops showing a community’s webhooks to a LEAD who stepped down', async () => {
    const { community, lead } = await world();
    const webhook = expectData(await create({ communityId: community.id }, lead.token)).createWebhook.webhook;
    await server.em().execute("update membership set roles = '{}' where member_id = ?", [lead.member.id]);
    expectError(await server.gql(WebhookDeliveriesDocument, { id: webhook.id }, { token: lead.token }), 'FORBIDDEN');
    expect(expectData(await server.gql(WebhooksDocument, {}, { token: lead.token })).webhooks.totalCount).toBe(0);
  });
});

describe('updateWebhook and deleteWebhook', () => {
  const update = (input: Record<string, unknown>, token?: string) => server.gql(UpdateWebhookDocument, { input: input as never }, { token });
  const stored = async (globalId: string) =>
    (await server.em().execute<{ url: string; events: string[]; enabled: boolean }[]>('select url, events, enabled from webhook where id = ?', [dbId(globalId)]))[0];

  it('refuse anonymous callers (UNAUTHENTICATED) and anyone who may not manage it (FORBIDDEN); nothing changes', async () => {
    const { community, lead, otherLead } = await world();
    const webhook = expectData(await create({ communityId: community.id }, lead.token)).createWebhook.webhook;
    const member = await server.factories.activeMember(community);
    const before = await stored(webhook.id);
    expectError(await update({ webhookId: webhook.id, enabled: false }), 'UNAUTHENTICATED');
    expectError(await server.gql(DeleteWebhookDocument, { webhookId: webhook.id }), 'UNAUTHENTICATED');
    for (const caller of [member, otherLead]) {
      expectError(await update({ webhookId: webhook.id, enabled: false, url: 'https://evil.example.org/' }, caller.token), 'FORBIDDEN');
      expectError(await server.gql(DeleteWebhookDocument, { webhookId: webhook.id }, { token: caller.token }), 'FORBIDDEN');
    }
    expect(await stored(webhook.id)).toEqual(before);
    expectError(await update({ webhookId: toGlobalId('Webhook', randomUUID()), enabled: false }, lead.token), 'NOT_FOUND');
    expect(distinctBadInputFields(await update({ webhookId: community.id, enabled: false }, lead.token))).toEqual(['webhookId']);
  });

  it('refuse bad input on the field, changing nothing', async () => {
    const { community, lead } = await world();
    const webhook = expectData(await create({ communityId: community.id }, lead.token)).createWebhook.webhook;
    const before = await stored(webhook.id);
    expect(distinctBadInputFields(await update({ webhookId: webhook.id, events: [] }, lead.token))).toEqual(['events']);
    expect(distinctBadInputFields(await update({ webhookId: webhook.id, url: 'http://192.168.0.1/', enabled: false }, lead.token))).toEqual(['url']);
    expect(distinctBadInputFields(await update({ webhookId: webhook.id, url: 'https://a:b@hooks.example.org/' }, lead.token))).toEqual(['url']);
    expect(await stored(webhook.id)).toEqual(before);
  });

  it('change URL, events and enabled for its LEAD or staff, leaving out what is not given', async () => {
    const { community, lead, staff } = await world();
    const webhook = expectData(await create({ communityId: community.id, events: ['THREAD_STARTED'] }, lead.token)).createWebhook.webhook;
    const changed = expectData(await update({ webhookId: webhook.id, url: 'https://hooks.example.org/new', events: ['POST_ADDED', 'MEMBER_LEFT'] }, lead.token)).updateWebhook;
    expect(changed).toMatchObject({ id: webhook.id, url: 'https://hooks.example.org/new', events: ['POST_ADDED', 'MEMBER_LEFT'], enabled: true });
    expect(expectData(await update({ webhookId: webhook.id, enabled: false }, staff.token)).updateWebhook).toMatchObject({
      url: 'https://hooks.example.org/new',
      events: ['POST_ADDED', 'MEMBER_LEFT'],
      enabled: false,
    });
    expect(await stored(webhook.id)).toEqual({ url: 'https://hooks.example.org/new', events: ['POST_ADDED', 'MEMBER_LEFT'], enabled: false });
  });

  it('delete it (and only it) for its LEAD; it is gone from node(id) and the list', async () => {
    const { community, lead } = await world();
    const keep = expectData(await create({ communityId: community.id }, lead.token)).createWebhook.webhook;
    const webhook = expectData(await create({ communityId: community.id }, lead.token)).createWebhook.webhook;
    expect(expectData(await server.gql(DeleteWebhookDocument, { webhookId: webhook.id }, { token: lead.token })).deleteWebhook).toEqual({
      id: webhook.id,
      url: webhook.url,
    });
    expect(await countRows(server, 'select count(*) as n from webhook where id = ?', dbId(webhook.id))).toBe(0);
    expect(expectData(await server.gql(WebhookDeliveriesDocument, { id: webhook.id }, { token: lead.token })).node).toBeNull();
    expect(expectData(await server.gql(WebhooksDocument, {}, { token: lead.token })).webhooks.edges.map((e) => e.node.id)).toEqual([keep.id]);
  });
});
