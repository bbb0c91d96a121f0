import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { TestServer } from './server';

export interface SocketClient {
  client: Client;
  /** Resolves with the close code once the server closes the socket. */
  closed: Promise<number>;
  dispose(): Promise<void>;
}

/**
 * A stock graphql-ws client on the test server, signed in with `token` when given. `authorization` replaces the
 * `Bearer <token>` value; an object there is sent as the whole `connectionParams` (for malformed handshakes).
 */
export function socketClient(server: TestServer, token?: string | null, authorization?: string | Record<string, unknown>): SocketClient {
  let resolveClosed: (code: number) => void = () => undefined;
  const closed = new Promise<number>((resolve) => (resolveClosed = resolve));
  const client = createClient({
    url: server.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: typeof authorization === 'object' ? authorization : authorization ? { authorization } : token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => resolveClosed((event as { code: number }).code) },
    onNonLazyError: () => undefined,
  });
  return { client, closed, dispose: () => client.dispose() as Promise<void> };
}

/**
 * Opens sockets for a test file (or describe block) and closes them after each test, so no subscription outlives
 * its test: a stray follower would throw off the next test's listenerCount checks. Call it where `afterEach` may be
 * called (top level of a file or a describe block); it returns `open(server, token?, authorization?)`.
 */
export function trackSockets(): (server: TestServer, token?: string | null, authorization?: string | Record<string, unknown>) => SocketClient {
  const sockets: SocketClient[] = [];
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((socket) => socket.dispose()));
  });
  return (server, token, authorization) => {
    const socket = socketClient(server, token, authorization);
    sockets.push(socket);
    return socket;
  };
}

export interface Subscription<R> {
  events: R[];
  errors: { message: string; extensions?: { code?: string } }[];
  /** Resolves when the server completes the subscription (or it errors). */
  ended: Promise<void>;
  /** Waits until `count` events arrived (fails after `timeoutMs`). */
  next(count?: number, timeoutMs?: number): Promise<R[]>;
  unsubscribe(): void;
}

export function subscribe<R, V>(socket: SocketClient, document: TypedDocumentNode<R, V>, variables: V): Subscription<R> {
  const events: R[] = [];
  const errors: Subscription<R>['errors'] = [];
  const waiters: (() => void)[] = [];
  let resolveEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  const wake = () => waiters.splice(0).forEach((w) => w());
  const unsubscribe = socket.client.subscribe<R>(
    { query: print(document as DocumentNode), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (result.errors) errors.push(...(result.errors as Subscription<R>['errors']));
        if (result.data) events.push(result.data as R);
        wake();
      },
      error: (error) => {
        if (Array.isArray(error)) errors.push(...error);
        else errors.push({ message: String((error as Error)?.message ?? error) });
        resolveEnded();
        wake();
      },
      complete: () => {
        resolveEnded();
        wake();
      },
    },
  );
  return {
    events,
    errors,
    ended,
    unsubscribe,
    async next(count = 1, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) {
        if (Date.now() > deadline) throw new Error(`Expected ${count} events, got ${JSON.stringify(events)} (errors ${JSON.stringify(errors)})`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return events.slice(0, count);
    },
  };
}

/** Polls until `predicate` holds (at most `timeoutMs`). */
export async function eventually(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('Condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
