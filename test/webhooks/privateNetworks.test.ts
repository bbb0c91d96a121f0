import dns from 'node:dns';
import { CreateWebhookDocument } from '../generated/graphql';
import { distinctBadInputFields, expectData, startTestServer, type TestServer } from '../support/server';
import { CommunityRole } from '../support/factories';
import { fromGlobalId } from '../../src/shared/ids';
import { isRefusedAddress } from '../../src/modules/webhooks/delivery/networkAddress';
import { deliveryRows, eventually, Receiver, startThread } from './receiver';

describe('addresses webhooks may not reach', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '0.0.0.0',
    '100.64.0.1', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd12:3456::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '::127.0.0.1', '64:ff9b::10.0.0.1',
  ])('refuses %s', (address) => expect(isRefusedAddress(address)).toBe(true));

  it.each(['8.8.8.8', '93.184.216.34', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8'])(
    'allows %s',
    (address) => expect(isRefusedAddress(address)).toBe(false),
  );
});

describe('with WEBHOOK_ALLOW_PRIVATE_NETWORKS=false', () => {
  let server: TestServer;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await Receiver.start();
    server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false', WEBHOOK_RETRY_DELAYS_MS: 'none', WEBHOOK_TIMEOUT_MS: '300' });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it('refuses a loopback address when the webhook is made, and refuses to deliver to one a name resolves to or one stored earlier', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const literal = receiver.answer('/literal');
    const create = (url: string) => server.gql(CreateWebhookDocument, { input: { url, events: ['THREAD_STARTED'], communityId: community.id } }, { token: lead.token });
    expect(distinctBadInputFields(await create(literal))).toEqual(['url']);
    expect(distinctBadInputFields(await create(literal.replace('127.0.0.1', '[::ffff:127.0.0.1]')))).toEqual(['url']);

    // A name is accepted (it could point anywhere) but checked, with every address it resolves to, at delivery.
    const byName = expectData(await create(receiver.answer('/by-name').replace('127.0.0.1', 'localhost'))).createWebhook.webhook;
    // A literal stored while private networks were allowed (an earlier configuration) is refused at delivery too.
    const stored = expectData(await create('https://hooks.example.org/placeholder')).createWebhook.webhook;
    await server.em().execute('update webhook set url = ? where id = ?', [receiver.answer('/stored'), fromGlobalId(stored.id)!.id]);

    await startThread(server, lead.token, community.id);
    const failed = async (globalId: string) => {
      const [row] = await deliveryRows(server, fromGlobalId(globalId)!.id);
      return row?.status === 'FAILED' && row;
    };
    // Refused for good: one attempt, no retry, nothing sent.
    expect(await eventually(() => failed(byName.id), 10_000, 'the refusal by name')).toMatchObject({
      attempts: 1,
      response_status: null,
      error: expect.stringMatching(/^localhost resolves to (127\.0\.0\.1|::1), which is a loopback, private or link-local address \(WEBHOOK_ALLOW_PRIVATE_NETWORKS is off\)$/),
    });
    expect(await eventually(() => failed(stored.id), 10_000, 'the refusal of the stored literal')).toMatchObject({
      attempts: 1,
      error: '127.0.0.1 is a loopback, private or link-local address (WEBHOOK_ALLOW_PRIVATE_NETWORKS is off)',
    });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(receiver.requests).toHaveLength(0);
  });

  it('connects to the address it checked, not to a second DNS answer (rebinding)', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const url = receiver.answer('/rebind').replace('127.0.0.1', 'rebind.example');
    const webhook = expectData(
      await server.gql(CreateWebhookDocument, { input: { url, events: ['THREAD_STARTED'], communityId: community.id } }, { token: lead.token }),
    ).createWebhook.webhook;
    // The name first resolves to a public (documentation, unreachable) address, then to the receiver on loopback:
    // a client that looked the name up again when connecting would reach the receiver.
    const original = dns.lookup;
    let lookups = 0;
    const spy = jest.spyOn(dns, 'lookup').mockImplementation(((hostname: string, options: unknown, callback: (...args: unknown[]) => void) => {
      if (hostname !== 'rebind.example') return (original as (...args: unknown[]) => void)(hostname, options, callback);
      const address = lookups++ === 0 ? '203.0.113.10' : '127.0.0.1';
      const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
      if (all) callback(null, [{ address, family: 4 }]);
      else callback(null, address, 4);
    }) as never);
    try {
      await startThread(server, lead.token, community.id);
      const row = await eventually(async () => {
        const [found] = await deliveryRows(server, fromGlobalId(webhook.id)!.id);
        return found?.status === 'FAILED' && found;
      }, 10_000, 'the failed delivery');
      expect(row).toMatchObject({ attempts: 1, response_status: null, error: expect.stringMatching(/^(No answer within 300 ms|Could not deliver: \w+); gave up after 1 attempt$/) });
      expect(lookups).toBe(1);
      expect(receiver.on('/rebind')).toHaveLength(0);
    } finally {
      spy.mockRestore();
    }
  });
});
