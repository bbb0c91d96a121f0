import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

// The DNS lookup answers slowly (so the deadline it eats into is visible); everything else is real.
const LOOKUP_DELAY_MS = 350;
jest.mock('node:dns', () => {
  const actual = jest.requireActual('node:dns');
  return {
    ...actual,
    lookup: (_host: string, _options: unknown, callback: (error: null, addresses: { address: string; family: number }[]) => void) => {
      setTimeout(() => callback(null, [{ address: '127.0.0.1', family: 4 }]), LOOKUP_DELAY_MS);
    },
  };
});

import { sendWebhook } from '../../src/modules/webhooks/delivery/sendWebhook';

let hanging: Server;
const sockets = new Set<Socket>();
beforeAll(async () => {
  // Accepts connections and never answers.
  hanging = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => hanging.close(resolve));
});

describe('sendWebhook', () => {
  it('bounds the DNS lookup and the request by one deadline, not one timeout each', async () => {
    const { port } = hanging.address() as AddressInfo;
    const started = Date.now();
    const outcome = await sendWebhook(`http://hooks.example.test:${port}/hang`, {}, '{}', { timeoutMs: 600, allowPrivateNetworks: true });
    const elapsed = Date.now() - started;
    expect(outcome).toEqual({ kind: 'failed', reason: 'No answer within 600 ms' });
    // One deadline: about 600 ms in all. Separate timeouts would take the lookup's 350 ms plus another 600 ms.
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(elapsed).toBeLessThan(600 + LOOKUP_DELAY_MS - 100);
  });

  it('fails a lookup slower than the whole timeout as a DNS failure', async () => {
    const { port } = hanging.address() as AddressInfo;
    const outcome = await sendWebhook(`http://hooks.example.test:${port}/hang`, {}, '{}', { timeoutMs: 200, allowPrivateNetworks: true });
    expect(outcome).toEqual({ kind: 'failed', reason: 'Could not resolve hooks.example.test: DNS lookup of hooks.example.test took longer than 200 ms' });
  });
});
