import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import WebSocket, { type WebSocketServer } from 'ws';
import type { Member } from '../modules/members/member.entity';
import { logger } from '../logging/logger';

/**
 * One socket: graphql-ws's view of it (`protocol`, `send`, `close`, `onMessage`) and what we note about it (its
 * `extra`). A plain object with methods and a few fields: with 10,000 idle sockets, each closure and timer per
 * socket counts, so the event handlers below are shared functions that find the connection from the socket.
 */
export class Connection {
  viewer: Member | null = null;
  /** When the viewer's token expires: the socket is closed then (4403), and no operation starts after it. */
  expiresAt: Date | null = null;
  /** The timer that closes the socket at `expiresAt` (cleared on close). */
  expiry: NodeJS.Timeout | null = null;
  /** Counted against the per-account limit (released on close). */
  memberId: string | null = null;
  /** Called by graphql-ws's server when the socket closes. */
  closed: ((code: number, reason: string) => Promise<void>) | null = null;
  /** graphql-ws's running operations on this socket (by id), once connection_init is accepted. */
  operations: Record<string, unknown> | null = null;
  /** Each running operation's request id (its log lines and masked errors carry it). */
  readonly requestIds = new Map<string, string>();
  /** Answered the last ping. */
  alive = true;
  /** Closes the socket if it has not sent connection_init in time; cleared (and let go) once it has. */
  initWait: NodeJS.Timeout | null = null;
  private handle: ((data: string) => Promise<void>) | null = null;

  constructor(
    readonly socket: WebSocket,
    /** The TCP socket under `socket` (for writing whole frames, see SocketSink). */
    readonly raw: Duplex,
    readonly ip: string,
  ) {}

  get protocol(): string {
    return this.socket.protocol;
  }

  /**
   * Returns at once rather than when the write completes: a slow reader shows in `socket.bufferedAmount`, which
   * the server bounds (see ws.ts), instead of holding a promise per message.
   */
  send(data: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(data);
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  onMessage(handle: (data: string) => Promise<void>): void {
    this.handle = handle;
  }

  receive(data: string): void {
    this.handle?.(data).catch((error: unknown) => {
      logger.error({ err: error }, '[ws] internal error while handling a message');
      this.socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
  }
}

const connections = new WeakMap<WebSocket, Connection>();

function onMessage(this: WebSocket, data: WebSocket.RawData): void {
  connections.get(this)?.receive(String(data));
}
function onPong(this: WebSocket): void {
  const connection = connections.get(this);
  if (connection) connection.alive = true;
}
function onError(this: WebSocket, error: Error): void {
  logger.warn({ reason: error.message }, '[ws] socket error');
  this.close(CloseCode.InternalServerError, 'Internal server error');
}

/**
 * graphql-ws (`graphql-transport-ws`) on a `ws` server: what graphql-ws/use/ws does, minus what it keeps per
 * socket (a keep-alive interval and timer, and closures for each handler). One timer pings every socket every
 * `keepAliveMs` and terminates those that did not answer the previous ping.
 */
export function serveGraphqlWs(
  wss: WebSocketServer,
  options: ServerOptions<Record<string, unknown>, Connection>,
  hooks: { accept(connection: Connection): boolean; closed(connection: Connection): void },
  keepAliveMs: number,
  connectionInitWaitMs = 3_000,
): { dispose(): Promise<void>; stats(): { sockets: number; subscriptions: number } } {
  // graphql-ws's own init timer would stay referenced for the socket's lifetime: ours is let go at connection_init.
  const server = makeServer({
    ...options,
    connectionInitWaitTimeout: 0,
    onConnect: (ctx) => {
      if (ctx.extra.initWait) clearTimeout(ctx.extra.initWait);
      ctx.extra.initWait = null;
      ctx.extra.operations = ctx.subscriptions;
      return options.onConnect?.(ctx);
    },
  });
  wss.options.handleProtocols = handleProtocols;
  function onClose(this: WebSocket, code: number, reason: Buffer): void {
    const connection = connections.get(this);
    if (!connection) return;
    hooks.closed(connection);
    if (connection.initWait) clearTimeout(connection.initWait);
    void connection.closed?.(code, String(reason));
  }
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const connection = new Connection(socket, request.socket, request.socket.remoteAddress ?? 'unknown');
    connections.set(socket, connection);
    socket.once('error', onError);
    socket.once('close', onClose);
    if (!hooks.accept(connection)) return;
    socket.on('message', onMessage);
    socket.on('pong', onPong);
    connection.closed = server.opened(connection, connection);
    connection.initWait = setTimeout(() => {
      connection.initWait = null;
      socket.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
    }, connectionInitWaitMs);
  });
  const keepAlive = setInterval(() => {
    for (const socket of wss.clients) {
      const connection = connections.get(socket);
      if (!connection || socket.readyState !== WebSocket.OPEN) continue;
      if (!connection.alive) {
        socket.terminate();
        continue;
      }
      connection.alive = false;
      socket.ping();
    }
  }, keepAliveMs);
  keepAlive.unref();
  return {
    stats() {
      let subscriptions = 0;
      for (const socket of wss.clients) {
        const operations = connections.get(socket)?.operations;
        if (operations && socket.readyState === WebSocket.OPEN) subscriptions += Object.keys(operations).length;
      }
      return { sockets: wss.clients.size, subscriptions };
    },
    async dispose() {
      clearInterval(keepAlive);
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
