import { trackSockets } from '../support/live';
import { startTestServer, type TestServer } from '../support/server';
import { CLOSE_TOO_MANY_SOCKETS } from '../../src/realtime/ws';

let server: TestServer;
const openOn = trackSockets();
beforeAll(async () => {
  server = await startTestServer({ WS_MAX_SOCKETS_PER_MEMBER: '2', WS_MAX_SOCKETS_PER_IP: '4' });
});
afterAll(() => server.close());

/** Opens a socket and resolves once it is acknowledged (or closed). */
async function connect(token?: string) {
  const socket = openOn(server, token);
  const acknowledged = new Promise<'open'>((resolve) => socket.client.on('connected', () => resolve('open')));
  const outcome = await Promise.race([acknowledged, socket.closed]);
  return { socket, outcome };
}

describe('socket limits', () => {
  it('closes sockets past the limit per account with 4429', async () => {
    const member = await server.factories.member();
    expect((await connect(member.token)).outcome).toBe('open');
    expect((await connect(member.token)).outcome).toBe('open');
    expect((await connect(member.token)).outcome).toBe(CLOSE_TOO_MANY_SOCKETS);
    // Another account from the same address is still welcome (2 + 1 of 4 per IP).
    const other = await server.factories.member();
    expect((await connect(other.token)).outcome).toBe('open');
  });

  it('closes sockets past the limit per address with 4429, and counts a closed socket out', async () => {
    const opened = [];
    for (let i = 0; i < 4; i++) opened.push(await connect());
    expect(opened.map((o) => o.outcome)).toEqual(['open', 'open', 'open', 'open']);
    expect((await connect()).outcome).toBe(CLOSE_TOO_MANY_SOCKETS);
    await opened[0]!.socket.dispose();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await connect()).outcome).toBe('open');
  });
});
