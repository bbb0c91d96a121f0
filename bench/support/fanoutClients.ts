/**
 * Child process of `bench:fanout`: holds N raw `ws` sockets speaking graphql-transport-ws (connection_init,
 * subscribe, pong) to one thread's `threadActivity`, and notes when each reply arrives on each socket. Raw sockets
 * rather than the full graphql-ws client keep 10,000 of them light, and a process of their own keeps the clients
 * off the server's event loop.
 *
 * Requests: open {url, threadId, query, count} · counts · delivered {post, timeoutMs} (resolves once every socket has
 * that reply, or at the timeout) · report {posts} · closeAll · clock · stop.
 */
import WebSocket from 'ws';
import { now, serve } from './fanoutIpc';

const CONNECT_CONCURRENCY = 200;
const SOCKET_TIMEOUT_MS = 30_000;
/** Replies the benchmark can tell apart; anything else is counted but not timed. */
const MAX_POSTS = 1_000;

interface Open {
  url: string;
  threadId: string;
  query: string;
  count: number;
  /** One per socket, when the subscribers are signed-in members. */
  tokens?: string[];
}

/** One socket's state; `index` is its slot in the per-post receipt arrays. */
interface Client {
  socket: WebSocket;
  index: number;
}

const clients: Client[] = [];
/** Per measured post: receipt time on each socket (NaN until it arrives). */
let receipts: Float64Array[] = [];
let duplicates = 0;
let warmDeliveries = 0;
let measuredDeliveries = 0;
let otherNext = 0;
const errors: string[] = [];
let errorCount = 0;
const unexpectedCloses = new Map<number, number>();
let closingAll = false;
/** Per measured post: how many sockets have it, and who waits for all of them to. */
const perPost = new Map<number, number>();
const waiters = new Map<number, () => void>();

/** A reply's label in an event, found in the frame's bytes (no string conversion for the thousands of events). */
const FANOUT = Buffer.from('"body":"fanout-');
const WARM = Buffer.from('"body":"warm-');
const QUOTE = 0x22;

function noteError(message: string): void {
  errorCount += 1;
  if (errors.length < 5) errors.push(message.slice(0, 300));
}

/** The reply number after `at` (digits up to the closing quote), or -1. */
function replyNumber(data: Buffer, at: number): number {
  let value = 0;
  for (let i = at; i < data.length; i++) {
    const byte = data[i]!;
    if (byte === QUOTE) return i > at ? value : -1;
    if (byte < 0x30 || byte > 0x39) return -1;
    value = value * 10 + (byte - 0x30);
  }
  return -1;
}

function receive(client: Client, data: Buffer, at: number): void {
  // The common case (an event) is recognised in the raw bytes: only the body's label matters.
  const fanout = data.indexOf(FANOUT);
  if (fanout !== -1) {
    const post = replyNumber(data, fanout + FANOUT.length);
    const slots = post >= 0 && post < MAX_POSTS ? (receipts[post] ??= new Float64Array(clients.length).fill(NaN)) : undefined;
    if (!slots || client.index >= slots.length) {
      otherNext += 1;
      return;
    }
    if (Number.isNaN(slots[client.index]!)) {
      slots[client.index] = at;
      measuredDeliveries += 1;
      const count = (perPost.get(post) ?? 0) + 1;
      perPost.set(post, count);
      if (count >= clients.length) waiters.get(post)?.();
    } else {
      duplicates += 1;
    }
    return;
  }
  if (data.indexOf(WARM) !== -1) {
    warmDeliveries += 1;
    return;
  }
  const text = data.toString();
  const message = JSON.parse(text) as { type: string; payload?: unknown };
  if (message.type === 'ping') client.socket.send('{"type":"pong"}');
  else if (message.type === 'error' || message.type === 'complete') noteError(text);
  else if (message.type === 'next') {
    otherNext += 1;
    if (text.includes('"errors"')) noteError(text);
  }
}

function open({ url, threadId, query, tokens }: Open, index: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // No UTF-8 validation of each message: the client only looks for a label in the bytes, and its CPU is the server's too.
    const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false, handshakeTimeout: SOCKET_TIMEOUT_MS, skipUTF8Validation: true });
    const client: Client = { socket, index };
    clients[index] = client;
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`socket ${index}: no connection_ack within ${SOCKET_TIMEOUT_MS} ms`));
    }, SOCKET_TIMEOUT_MS);
    let acknowledged = false;
    const init = JSON.stringify({ type: 'connection_init', payload: tokens ? { authorization: `Bearer ${tokens[index]}` } : {} });
    socket.on('open', () => socket.send(init));
    socket.on('message', (data: Buffer) => {
      const at = now();
      if (!acknowledged) {
        if (JSON.parse(data.toString()).type !== 'connection_ack') return;
        acknowledged = true;
        clearTimeout(timer);
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables: { threadId } } }));
        resolve();
        return;
      }
      receive(client, data, at);
    });
    socket.on('close', (code) => {
      clearTimeout(timer);
      if (!closingAll) unexpectedCloses.set(code, (unexpectedCloses.get(code) ?? 0) + 1);
      if (!acknowledged) reject(new Error(`socket ${index}: closed with ${code} before connection_ack`));
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      if (!acknowledged) reject(new Error(`socket ${index}: ${error.message}`));
      else noteError(`socket error: ${error.message}`);
    });
  });
}

async function openAll(request: Open): Promise<{ opened: number; failed: number; firstFailure?: string }> {
  closingAll = false;
  let next = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  const worker = async () => {
    while (next < request.count) {
      const index = next++;
      await open(request, index).catch((error: Error) => {
        failed += 1;
        firstFailure ??= error.message;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, request.count) }, worker));
  return { opened: request.count - failed, failed, firstFailure };
}

function closeAll(): void {
  closingAll = true;
  for (const client of clients.splice(0)) client.socket.terminate();
  receipts = [];
  duplicates = 0;
  warmDeliveries = 0;
  measuredDeliveries = 0;
  otherNext = 0;
  errors.length = 0;
  errorCount = 0;
  unexpectedCloses.clear();
  perPost.clear();
  for (const wake of waiters.values()) wake();
}

/** Resolves with how many sockets have reply `post` once all have it, or at the timeout. */
function delivered(post: number, timeoutMs: number): Promise<{ count: number; complete: boolean }> {
  const result = () => ({ count: perPost.get(post) ?? 0, complete: (perPost.get(post) ?? 0) >= clients.length });
  if (result().complete) return Promise.resolve(result());
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      waiters.delete(post);
      resolve(result());
    };
    const timer = setTimeout(done, timeoutMs);
    waiters.set(post, done);
  });
}

serve(
  {
    open: (message) => openAll(message as unknown as Open),
    counts: () => ({ warmDeliveries, measuredDeliveries, duplicates, errorCount, open: clients.filter((c) => c.socket.readyState === WebSocket.OPEN).length }),
    delivered: (message) => delivered(message.post as number, message.timeoutMs as number),
    report: (message) => {
      const posts = message.posts as number;
      return {
        receipts: Array.from({ length: posts }, (_, i) => receipts[i] ?? new Float64Array(clients.length).fill(NaN)),
        duplicates,
        otherNext,
        errorCount,
        errors,
        unexpectedCloses: [...unexpectedCloses.entries()],
      };
    },
    closeAll: () => {
      closeAll();
      return {};
    },
    clock: () => ({ at: now() }),
  },
  () => closeAll(),
);
