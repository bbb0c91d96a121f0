/**
 * The floor under bench:fanout: a bare `ws` server (no GraphQL, no database) writes one ~450-byte graphql-ws `next`
 * message to each of N sockets held by a child process, and the child reports when the last one arrived. Three
 * ways of writing: `ws.send(string)` (what graphql-ws does), `ws.send(Buffer)`, and one pre-framed buffer written
 * to the TCP socket (what the API's SocketSink does).
 *
 *   ulimit -n 65535 || ulimit -n hard; node -r @swc-node/register bench/support/fanoutFloor.ts [N=10000]
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';

const N = Number(process.argv[process.argv[2] === 'client' ? 4 : 2] ?? 10_000);
const now = () => performance.timeOrigin + performance.now();

async function client(url: string): Promise<void> {
  let received = 0;
  process.on('message', (message) => {
    if (message === 'reset') received = 0;
  });
  const onMessage = (data: Buffer) => {
    if (data.indexOf('"body":"x') === -1) return;
    received += 1;
    if (received === N) process.send!({ last: now() });
  };
  for (let opened = 0; opened < N; opened += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, N - opened) }, () => new Promise<void>((resolve) => {
        const socket = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
        socket.on('open', () => resolve());
        socket.on('message', onMessage);
      })),
    );
  }
  process.send!('ready');
}

function frame(text: string): Buffer {
  const body = Buffer.from(text);
  const header = body.length < 126 ? 2 : 4;
  const out = Buffer.allocUnsafe(header + body.length);
  out[0] = 0x81;
  if (header === 2) out[1] = body.length;
  else {
    out[1] = 126;
    out.writeUInt16BE(body.length, 2);
  }
  body.copy(out, header);
  return out;
}

function server(): void {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  const raw = new Map<WebSocket, Duplex>();
  wss.on('connection', (socket, request) => raw.set(socket, request.socket));
  const at = new Date().toISOString();
  const payload = JSON.stringify({
    data: { threadActivity: { __typename: 'PostAdded', cursor: '123', at, post: { id: 'UG9zdDoxMjM0NTY3OC0xMjM0LTEyMzQtMTIzNC0xMjM0NTY3ODkwMTI=', body: 'x-fanout-1', createdAt: at, author: { id: 'TWVtYmVyOjEyMzQ1Njc4LTEyMzQtMTIzNC0xMjM0LTEyMzQ1Njc4OTAxMg==', displayName: 'Fan-out Poster' } } } },
  });
  http.listen(0, '127.0.0.1', () => {
    const child = fork(__filename, ['client', `ws://127.0.0.1:${(http.address() as AddressInfo).port}`, String(N)], { execArgv: ['-r', '@swc-node/register'] });
    let last: (at: number) => void = () => undefined;
    child.on('message', async (message: unknown) => {
      if (typeof message === 'object' && message && 'last' in message) return last((message as { last: number }).last);
      const sockets = [...wss.clients];
      for (const mode of ['ws.send(string)', 'ws.send(Buffer)', 'pre-framed buffer', 'ws.send(string)', 'ws.send(Buffer)', 'pre-framed buffer']) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        child.send('reset');
        await new Promise((resolve) => setTimeout(resolve, 100));
        const arrived = new Promise<number>((resolve) => (last = resolve));
        const start = now();
        sockets.forEach((socket, i) => {
          // Each subscription has its own id, so each socket gets bytes of its own.
          const text = `{"id":"${i}","type":"next","payload":${payload}}`;
          if (mode === 'ws.send(string)') socket.send(text);
          else if (mode === 'ws.send(Buffer)') socket.send(Buffer.from(text));
          else raw.get(socket)!.write(frame(text));
        });
        const loop = now() - start;
        console.log(`${mode.padEnd(18)} ${N} sockets: write loop ${loop.toFixed(1)} ms, last receipt after ${((await arrived) - start).toFixed(1)} ms`);
      }
      child.kill();
      process.exit(0);
    });
  });
}

if (process.argv[2] === 'client') void client(process.argv[3]!);
else server();
