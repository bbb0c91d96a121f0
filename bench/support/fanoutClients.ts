/**
 * Child process of `bench:fanout`: holds N raw graphql-transport-ws sockets subscribed to one thread and records
 * when each PostAdded arrives. Raw `ws` (not the full graphql-ws client) keeps 10,000 sockets light, and a
 * separate process keeps the clients off the server's event loop.
 */
import WebSocket from 'ws';

interface Start {
  url: string;
  threadId: string;
  count: number;
}

const SUBSCRIPTION = 'subscription ($threadId: ID!) { threadActivity(threadId: $threadId) { __typename ... on PostAdded { post { body } } } }';

/** post index -> receive times (ms since epoch, sub-ms precision) */
const received = new Map<number, number[]>();
const sockets: WebSocket[] = [];
const now = () => performance.timeOrigin + performance.now();

function open({ url, threadId }: Start): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    sockets.push(socket);
    const timer = setTimeout(() => reject(new Error('subscribe timed out')), 60_000);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: { data?: { threadActivity?: { post?: { body?: string } } } } };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { threadId } } }));
        clearTimeout(timer);
        resolve();
      } else if (message.type === 'next') {
        const body = message.payload?.data?.threadActivity?.post?.body ?? '';
        const index = Number(/^fanout-(\d+)$/.exec(body)?.[1] ?? -1);
        if (index >= 0) {
          const list = received.get(index) ?? [];
          list.push(now());
          received.set(index, list);
        }
      } else if (message.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

process.on('message', async (message: { type: string } & Partial<Start>) => {
  if (message.type === 'start') {
    const start = message as Start;
    try {
      // Open in batches so the server's accept queue is not flooded.
      for (let i = 0; i < start.count; i += 200) {
        await Promise.all(Array.from({ length: Math.min(200, start.count - i) }, () => open(start)));
      }
      process.send!({ type: 'ready' });
    } catch (error) {
      process.send!({ type: 'failed', error: String(error) });
    }
  } else if (message.type === 'report') {
    process.send!({ type: 'report', received: [...received.entries()] });
  } else if (message.type === 'stop') {
    for (const socket of sockets) socket.terminate();
    process.exit(0);
  }
});
