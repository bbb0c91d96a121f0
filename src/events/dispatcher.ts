import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import type { Em, Orm } from '../db/orm';
import { BACKGROUND, backgroundEm } from '../jobs/backgroundEm';
import { recordedIn } from './record';
import { STORED_EVENT_COLUMNS, toStoredEvent, type StoredEvent, type StoredEventRow } from './storedEvent';
import { logger } from '../logging/logger';

export type { StoredEvent } from './storedEvent';

/**
 * One consumer of the log (Outline's processors): live delivery, notifications, webhooks. `consume` runs inside the
 * dispatch transaction, for each committed event at least once (a dispatcher that dies before its commit leaves the
 * batch to the next): enqueue jobs through `em`, so they exist exactly when the batch is marked dispatched, and keep
 * what the jobs do idempotent (keyed by event id).
 */
export interface EventConsumer {
  name: string;
  consume(em: Em, events: StoredEvent[]): Promise<void>;
}

export interface DispatcherOptions {
  /** How often the dispatcher looks for events it was not woken for (other instances' crashes), in ms. */
  pollMs: number;
  batchSize?: number;
  onError?: (error: unknown) => void;
}

const liveColumns = 'l.thread_position, l.community_position, l.created_at as live_created_at';

/**
 * Hands committed outbox rows to the consumers, oldest first, and marks them dispatched in the same transaction.
 * Rows are claimed with SKIP LOCKED, so several instances share the work and each batch is dispatched by one of
 * them. A commit that recorded an event wakes this instance's dispatcher at once (the fast path for live delivery);
 * a slow poll picks up what nobody was woken for (an instance that died between its commit and the dispatch), and
 * every start drains what is left.
 */
export class EventDispatcher {
  private readonly consumers: EventConsumer[] = [];
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  /** Test hook: called before each batch is handed to the consumers; throwing simulates a process that dies there. */
  failBeforeDelivery: (() => void) | null = null;

  constructor(
    private readonly orm: Orm,
    private readonly options: DispatcherOptions,
  ) {}

  add(consumer: EventConsumer): void {
    this.consumers.push(consumer);
  }

  /** Starts following commits; resolves once what earlier processes left undispatched has been dispatched. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    const wake = () => this.wake();
    const subscriber: EventSubscriber = {
      afterTransactionCommit(args: TransactionEventArgs) {
        if (args.transaction && recordedIn.has(args.transaction)) wake();
      },
    };
    this.orm.em.getEventManager().registerSubscriber(subscriber);
    this.schedulePoll();
    this.wake();
    await this.settled();
  }

  /** Drains soon; calls while a drain runs make it go round once more. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) this.wake();
    });
  }

  /** Resolves when no drain is running (tests and shutdown). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.settled();
  }

  /** Dispatches every undispatched event now; returns how many (tests and benchmarks). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.dispatchBatch();
      total += count;
      if (count < (this.options.batchSize ?? 200)) return total;
    }
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.wake();
      this.schedulePoll();
    }, this.options.pollMs);
    this.timer.unref();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.drain();
      } catch (error) {
        (this.options.onError ?? ((e) => logger.error({ err: e }, '[events] dispatch failed; will retry')))(error);
        return; // the poll tries again
      }
    } while (this.again && !this.stopped);
  }

  private async dispatchBatch(): Promise<number> {
    const limit = this.options.batchSize ?? 200;
    const em = backgroundEm(this.orm);
    return em.transactional(async (tem) => {
      const rows = await tem.execute<StoredEventRow[]>(
        `select ${STORED_EVENT_COLUMNS}, l.id as live_id, ${liveColumns} ` +
          'from domain_event d left join live_event l on l.id = d.live_event_id ' +
          'where d.dispatched_at is null order by d.id limit ? for update of d skip locked',
        [limit],
        'all',
        BACKGROUND,
      );
      if (!rows.length) return 0;
      const events = rows.map(toStoredEvent);
      this.failBeforeDelivery?.();
      for (const consumer of this.consumers) await consumer.consume(tem, events);
      await tem.execute(`update domain_event set dispatched_at = now() where id in (${rows.map(() => '?').join(', ')})`, rows.map((row) => row.id), 'run', BACKGROUND);
      return rows.length;
    }, { loggerContext: BACKGROUND });
  }
}
