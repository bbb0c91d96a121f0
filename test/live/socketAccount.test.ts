import { SignJWT } from 'jose';
import { trackSockets } from '../support/live';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/server';

/**
 * A socket answers for its member only while that member exists and their token is valid: the member is read again
 * for every operation, and the socket closes (4403) when the token expires, whether or not it is doing anything.
 */
let server: TestServer;
const open = trackSockets();
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

function run(socket: ReturnType<typeof open>, query: string): Promise<{ data?: unknown; errors?: { extensions?: { code?: string } }[] }> {
  return new Promise((resolve) => {
    let result: { data?: unknown; errors?: { extensions?: { code?: string } }[] } = {};
    socket.client.subscribe(
      { query },
      {
        next: (value) => (result = value as typeof result),
        error: (error) => resolve({ errors: Array.isArray(error) ? error : [{ extensions: { code: 'CLOSED' } }] }),
        complete: () => resolve(result),
      },
    );
  });
}

describe('a socket and its member', () => {
  it('stops answering for a member deleted after connecting: the next operation closes the socket with 4403', async () => {
    const member = await server.factories.member();
    const socket = open(server, member.token);
    expect(await run(socket, '{ viewer { id } }')).toEqual({ data: { viewer: { id: member.id } } });
    await server.em().execute('delete from member where id = ?', [member.member.id]);
    const after = await run(socket, '{ viewer { id } }');
    expect(after.data ?? null).toBeNull();
    expect(await socket.closed).toBe(4403);
    expect(server.unexpectedErrors).toEqual([]);
  });

  it('closes the socket with 4403 when its token expires, even while idle', async () => {
    const member = await server.factories.member();
    const shortLived = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(member.member.id)
      .setIssuer('practicehub')
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const socket = open(server, shortLived);
    expect(await run(socket, '{ viewer { id } }')).toEqual({ data: { viewer: { id: member.id } } });
    const started = Date.now();
    expect(await socket.closed).toBe(4403);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
