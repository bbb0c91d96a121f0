import { Redis, type RedisOptions } from 'ioredis';
import { logger } from '../../logging/logger';

/** Where the Redis live services write their warnings (console by default; tests capture them). */
export type RedisLog = (message: string, error?: unknown) => void;

export const defaultRedisLog: RedisLog = (message, error) =>
  error === undefined ? logger.warn(`[redis] ${message}`) : logger.warn({ reason: error instanceof Error ? error.message : String(error) }, `[redis] ${message}`);

export interface RedisLinkOptions {
  /** Prefix of every key and channel, so several deployments (or test files) can share one Redis. */
  prefix?: string;
  log?: RedisLog;
  /** Publishes waiting for Redis (while it is unreachable) beyond this are dropped rather than queued. */
  maxPendingPublishes?: number;
  /** How long to wait for Redis to confirm a new channel subscription before listening anyway. */
  subscribeWaitMs?: number;
}

export const DEFAULT_REDIS_PREFIX = 'practicehub:';

/** Reconnect forever, quickly at first, then every 2 s. */
const retryStrategy = (attempt: number) => Math.min(attempt * 200, 2_000);

type MessageHandler = (suffix: string, message: string) => void;

/**
 * One API instance's two Redis connections, shared by the event bus and the presence store:
 * - `commands` for PUBLISH and presence scripts. Its offline queue stays on, so a short outage does not lose
 *   anything, but is bounded twice: ioredis fails queued commands after a few reconnect attempts
 *   (`maxRetriesPerRequest`), and `publish` drops events once `maxPendingPublishes` are waiting.
 * - `subscriber`, in subscriber mode: channels are subscribed lazily, reference-counted, and unsubscribed when
 *   the last local listener leaves; ioredis re-subscribes them after a reconnect.
 *
 * Neither connection ever throws into a caller because Redis is away: 'error' events are logged (once per
 * outage, then at most once a minute), `publish` is fire-and-forget, and ioredis reconnects by itself.
 */
export class RedisLink {
  readonly prefix: string;
  readonly commands: Redis;
  readonly subscriber: Redis;
  private readonly log: RedisLog;
  private readonly maxPendingPublishes: number;
  private readonly subscribeWaitMs: number;
  private readonly channelCounts = new Map<string, number>();
  private readonly subscribing = new Map<string, Promise<void>>();
  private readonly handlers: { prefix: string; handle: MessageHandler }[] = [];
  private readonly reconnectListeners = new Set<() => void>();
  private pending = 0;
  /** The subscriber connection failed and has not been ready since: new listeners do not wait for Redis. */
  private subscriberDown = false;
  /** Listeners waiting for a subscription to be confirmed; released at once when the subscriber fails. */
  private readonly waiters = new Set<() => void>();
  private dropped = 0;
  private closed = false;
  private closing: Promise<void> | null = null;
  private readonly closedSignal: Promise<never>;
  private rejectClosed: (error: Error) => void = () => undefined;

  constructor(url: string, options: RedisLinkOptions = {}) {
    this.closedSignal = new Promise<never>((_, reject) => (this.rejectClosed = reject));
    this.closedSignal.catch(() => undefined);
    this.prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    this.log = options.log ?? defaultRedisLog;
    this.maxPendingPublishes = options.maxPendingPublishes ?? 10_000;
    this.subscribeWaitMs = options.subscribeWaitMs ?? 2_000;
    // disconnectTimeout: ioredis waits this long for a socket that is already gone (Redis unreachable) to close.
    const common: RedisOptions = { retryStrategy, connectTimeout: 5_000, disconnectTimeout: 500, enableOfflineQueue: true };
    this.commands = new Redis(url, { ...common, maxRetriesPerRequest: 2, connectionName: 'practicehub-commands' });
    // Subscription commands wait for the connection however long it takes: there are few, and they are what
    // makes this instance receive again once Redis is back.
    this.subscriber = new Redis(url, { ...common, maxRetriesPerRequest: null, autoResubscribe: true, connectionName: 'practicehub-subscriber' });
    this.watch(this.commands, 'commands');
    this.watch(this.subscriber, 'subscriber');
    this.subscriber.on('message', (channel: string, message: string) => {
      for (const handler of this.handlers) {
        if (!channel.startsWith(handler.prefix)) continue;
        try {
          handler.handle(channel.slice(handler.prefix.length), message);
        } catch (error) {
          this.log(`dropped a malformed message on ${channel}`, error);
        }
      }
    });
  }

  /** Publishes without waiting or throwing: an event that cannot reach Redis is logged and dropped. */
  publish(channel: string, message: string): void {
    if (this.closed) return;
    if (this.pending >= this.maxPendingPublishes) {
      if (this.dropped++ % 1_000 === 0) this.log(`Redis is not keeping up: dropped ${this.dropped} event(s)`);
      return;
    }
    this.pending += 1;
    this.guard(this.commands.publish(channel, message))
      .catch((error: unknown) => {
        if (this.closed) return;
        if (this.dropped++ % 1_000 === 0) this.log(`could not publish (dropped ${this.dropped} event(s) so far)`, error);
      })
      .finally(() => {
        this.pending -= 1;
      });
  }

  /**
   * A command's reply, or a rejection once the link is closed: ioredis keeps commands queued while it waits to
   * reconnect, and after `disconnect()` on a connection that never came back nothing would ever settle them.
   */
  guard<T>(command: Promise<T>): Promise<T> {
    if (this.closed) {
      command.catch(() => undefined);
      return Promise.reject(new Error('The Redis link is closed'));
    }
    return Promise.race([command, this.closedSignal]);
  }

  /** Publishes still waiting for Redis (for tests and metrics). */
  get pendingPublishes(): number {
    return this.pending;
  }

  /** Receives messages on every channel that starts with `prefix` (the rest of the name is passed on). */
  onMessage(prefix: string, handle: MessageHandler): void {
    this.handlers.push({ prefix, handle });
  }

  /** Called after a reconnect, when messages sent during the outage were missed. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /**
   * Adds a local listener to a channel, subscribing on the first. Resolves once Redis confirmed the subscription
   * (so a message published elsewhere right after cannot be missed), at once when the subscriber connection is
   * failing (local events still flow; ioredis subscribes when Redis is back), and after `subscribeWaitMs` at the
   * latest; never rejects. Resolves true when the channel was not yet subscribed (this call subscribed it, or
   * joined a subscription still under way), i.e. when messages sent just before may have been missed.
   */
  retain(channel: string, signal?: AbortSignal): Promise<boolean> {
    const count = this.channelCounts.get(channel) ?? 0;
    this.channelCounts.set(channel, count + 1);
    if (count === 0 && !this.closed) {
      const confirmed: Promise<void> = this.subscriber.subscribe(channel).then(
        () => undefined,
        (error: unknown) => this.log(`could not subscribe to ${channel}`, error),
      );
      this.subscribing.set(channel, confirmed);
      void confirmed.finally(() => {
        if (this.subscribing.get(channel) === confirmed) this.subscribing.delete(channel);
      });
    }
    const confirmed = this.subscribing.get(channel);
    if (!confirmed) return Promise.resolve(false);
    if (this.subscriberDown || signal?.aborted) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(done, this.subscribeWaitMs);
      const waiters = this.waiters;
      signal?.addEventListener('abort', done, { once: true });
      waiters.add(done);
      void confirmed.then(done);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        waiters.delete(done);
        resolve(true);
      }
    });
  }

  /** Removes a local listener; unsubscribes when it was the last one. */
  release(channel: string): void {
    const count = this.channelCounts.get(channel);
    if (!count) return;
    if (count > 1) {
      this.channelCounts.set(channel, count - 1);
      return;
    }
    this.channelCounts.delete(channel);
    this.subscribing.delete(channel);
    if (!this.closed) this.subscriber.unsubscribe(channel).catch((error: unknown) => this.log(`could not unsubscribe from ${channel}`, error));
  }

  /** Channels this instance listens to (for tests). */
  get channels(): string[] {
    return [...this.channelCounts.keys()];
  }

  /** Quits both connections (politely when connected, at once otherwise) and stops reconnecting. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      this.rejectClosed(new Error('The Redis link is closed'));
      for (const release of [...this.waiters]) release();
      await Promise.all([this.commands, this.subscriber].map((connection) => quit(connection)));
    })();
    return this.closing;
  }

  private markSubscriberDown(): void {
    this.subscriberDown = true;
    for (const release of [...this.waiters]) release();
  }

  private watch(connection: Redis, role: string): void {
    let failing = false;
    let lastLogged = 0;
    let wasReady = false;
    connection.on('error', (error: unknown) => {
      const now = Date.now();
      if (!failing || now - lastLogged > 60_000) {
        this.log(`${role} connection error (retrying)`, error);
        lastLogged = now;
      }
      failing = true;
      if (connection === this.subscriber) this.markSubscriberDown();
    });
    if (connection === this.subscriber) connection.on('close', () => this.markSubscriberDown());
    connection.on('ready', () => {
      if (failing) this.log(`${role} connection restored`);
      failing = false;
      if (connection === this.subscriber) this.subscriberDown = false;
      // The subscriber missed whatever was published while it was away: let listeners catch up.
      if (wasReady && role === 'subscriber') {
        for (const listener of this.reconnectListeners) {
          try {
            listener();
          } catch (error) {
            this.log('reconnect listener failed', error);
          }
        }
      }
      wasReady = true;
    });
  }
}

async function quit(connection: Redis): Promise<void> {
  if (connection.status === 'ready') {
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref());
    await Promise.race([connection.quit().then(() => undefined, () => undefined), timeout]);
  }
  connection.disconnect();
}
