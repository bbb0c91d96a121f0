import { PgBoss, fromKysely, fromPglite, type Db, type JobResult, type PGliteLike, type QueueOptions } from 'pg-boss';
import type { Em, Orm } from '../db/orm';
import { logger, withLogScope } from '../logging/logger';

/** What a handler learns about the job it works (its id, and how many times it was tried before). */
export interface JobInfo {
  id: string;
  retryCount: number;
}

interface JobKind {
  name: string;
  /** Retries, backoff and expiry of the job's queue (pg-boss queue options). */
  queue?: QueueOptions;
}

/**
 * One kind of job, declared by the module that owns it (`modules/<name>/jobs/<job>.ts`), worked one job at a time. A
 * handler must be safe to run twice for the same data: pg-boss works each job once, but a worker that dies mid-job
 * is retried.
 */
export interface SingleJobDefinition<T extends object = object> extends JobKind {
  handle(data: T, job: JobInfo): Promise<void>;
  /** Jobs of this kind worked at once by each instance (default 4). */
  concurrency?: number;
}

/** One job of a batch handed to a batch handler. */
export interface QueuedJob<T extends object = object> extends JobInfo {
  data: T;
}

/**
 * A kind of job worked a batch at a time, for kinds with many small, alike jobs (one notification's email each): the
 * handler reads what the whole batch needs in a few set-based statements instead of a few per job. Each job still
 * settles on its own: the handler resolves with the jobs that failed (job id → error), which alone are retried;
 * every other job of the batch is completed. Throwing fails (and retries) the whole batch. The same rule as
 * `handle`: safe to run twice for the same job.
 */
export interface BatchJobDefinition<T extends object = object> extends JobKind {
  handleBatch(jobs: QueuedJob<T>[]): Promise<Map<string, unknown>>;
  /** Jobs fetched and handed over at once, per instance. */
  batchSize: number;
}

export type JobDefinition<T extends object = object> = SingleJobDefinition<T> | BatchJobDefinition<T>;

type PgJob = { id: string; data: object; retryCount?: number };

/** A kind's jobs of one fetch, worked: each job's pg-boss result (completed, or failed and retried). */
async function workFetched(definition: JobDefinition<never>, fetched: PgJob[]): Promise<JobResult[]> {
  const jobs = fetched.map((job) => ({ id: job.id, data: job.data as never, retryCount: job.retryCount ?? 0 }));
  let failures: Map<string, unknown>;
  const started = Date.now();
  if ('handleBatch' in definition) {
    // Every line the batch logs names its kind, its first job and its size.
    failures = await withLogScope({ job: definition.name, jobId: jobs[0]?.id, batchSize: jobs.length }, async () => {
      const failed = await definition.handleBatch(jobs);
      logger.info({ durationMs: Date.now() - started, failed: failed.size }, 'job batch worked');
      return failed;
    });
  } else {
    const outcomes = await Promise.allSettled(
      jobs.map((job) =>
        withLogScope({ job: definition.name, jobId: job.id }, async () => {
          await definition.handle(job.data, { id: job.id, retryCount: job.retryCount });
          logger.info({ durationMs: Date.now() - started, retryCount: job.retryCount }, 'job completed');
        }),
      ),
    );
    failures = new Map();
    outcomes.forEach((outcome, i) => outcome.status === 'rejected' && failures.set(jobs[i]!.id, outcome.reason));
  }
  return jobs.map(({ id }) => {
    if (!failures.has(id)) return { id, status: 'completed' as const };
    const reason = failures.get(id);
    logger.error({ err: reason, job: definition.name, jobId: id }, `[jobs] ${definition.name} ${id} failed; it will be retried`);
    return { id, status: 'failed' as const, output: { message: String((reason as Error)?.message ?? reason) } };
  });
}

export interface SendOptions {
  /** Enqueue inside this entity manager's open transaction: the job exists only if the transaction commits. */
  em?: Em;
  startAfter?: Date | number;
  /** At most one queued job with this key in the queue at a time (pg-boss singleton). */
  singletonKey?: string;
  /** A stable id (UUID): sending the same id twice creates one job. */
  id?: string;
}

/** A recurring job: the cron expression is read in `tz` (the organisation's time zone). */
export interface Schedule {
  name: string;
  cron: string;
  tz: string;
  data?: object;
}

export interface QueueSettings {
  /** False: this instance enqueues and schedules but works no jobs (JOBS_ENABLED=false). */
  workJobs: boolean;
  /** How often idle workers look for new jobs, in seconds (pg-boss polls; ≥ 0.5). */
  pollingIntervalSeconds?: number;
}

/** The entity manager's transaction as pg-boss's `Db`, so a job is enqueued atomically with the change. */
function transactionDb(em: Em): Db {
  const trx = em.getTransactionContext();
  if (!trx) throw new Error('SendOptions.em must be inside a transaction');
  return fromKysely(trx as Parameters<typeof fromKysely>[0]);
}

/**
 * The job queue: pg-boss on the database of record, PostgreSQL or the embedded PGlite (through its single
 * connection, so jobs and requests share it). Modules declare jobs; every instance can enqueue; instances with
 * `workJobs` work them, each job once across instances (SKIP LOCKED).
 */
export class JobQueue {
  private readonly definitions = new Map<string, JobDefinition<never>>();
  private readonly schedules: Schedule[] = [];
  private started = false;

  private constructor(
    private readonly boss: PgBoss,
    private readonly settings: QueueSettings,
  ) {
    boss.on('error', (error) => logger.error({ err: error }, '[jobs] queue error'));
  }

  static async create(orm: Orm, databaseUrl: string | null, settings: QueueSettings): Promise<JobQueue> {
    if (databaseUrl) {
      return new JobQueue(new PgBoss({ connectionString: databaseUrl, max: 4, schema: 'pgboss', application_name: 'practicehub-jobs', supervise: settings.workJobs, schedule: settings.workJobs }), settings);
    }
    const connection = orm.em.getConnection() as unknown as { getNativeClient(): Promise<PGliteLike> };
    const pglite = await connection.getNativeClient();
    return new JobQueue(new PgBoss({ backend: 'pglite', db: fromPglite(pglite), schema: 'pgboss', supervise: settings.workJobs, schedule: settings.workJobs }), settings);
  }

  /** Declares a job kind (before start). */
  define<T extends object>(definition: JobDefinition<T>): void {
    if (this.definitions.has(definition.name)) throw new Error(`Job ${definition.name} is defined twice`);
    this.definitions.set(definition.name, definition as JobDefinition<never>);
  }

  /** Declares a recurring job (before start); it fires once per occurrence across all instances. */
  schedule(schedule: Schedule): void {
    this.schedules.push(schedule);
  }

  get working(): boolean {
    return this.settings.workJobs;
  }

  async start(): Promise<void> {
    // Instances that work no jobs do not supervise or fire schedules either (they only enqueue).
    await this.boss.start();
    for (const definition of this.definitions.values()) {
      await this.boss.createQueue(definition.name, definition.queue ?? {});
      if (definition.queue) await this.boss.updateQueue(definition.name, definition.queue);
    }
    for (const schedule of this.schedules) {
      await this.boss.schedule(schedule.name, schedule.cron, schedule.data ?? {}, { tz: schedule.tz });
    }
    if (this.settings.workJobs) {
      for (const definition of this.definitions.values()) {
        const batchSize = 'handleBatch' in definition ? definition.batchSize : (definition.concurrency ?? 4);
        // One worker per kind fetches up to `batchSize` jobs and works them together (side by side, or as one batch);
        // each job settles on its own (a failure retries that job only). While batches come back full it fetches
        // again at once.
        await this.boss.work<object>(
          definition.name,
          { pollingIntervalSeconds: this.settings.pollingIntervalSeconds ?? 0.5, batchSize, burstWhenBatchFull: batchSize > 1, perJobResults: true },
          (batch) => workFetched(definition, batch),
        );
      }
    }
    this.started = true;
  }

  /** Enqueues a job; with `em`, inside its transaction. Returns the job id (null when a singleton was already queued). */
  async send(name: string, data: object, options: SendOptions = {}): Promise<string | null> {
    if (!this.definitions.has(name)) throw new Error(`Unknown job ${name}`);
    const { em, ...rest } = options;
    return this.boss.send(name, data, { ...rest, ...(em ? { db: transactionDb(em) } : {}) });
  }

  /** Enqueues many jobs of one kind in one statement. */
  async sendMany(name: string, jobs: { data: object; startAfter?: Date; singletonKey?: string }[], options: { em?: Em } = {}): Promise<void> {
    if (!this.definitions.has(name)) throw new Error(`Unknown job ${name}`);
    if (!jobs.length) return;
    await this.boss.insert(name, jobs, options.em ? { db: transactionDb(options.em) } : undefined);
  }

  /** Jobs of a kind not yet finished (created, retrying or active), read from the job table (pg-boss's queue statistics are cached). */
  async pending(name: string): Promise<number> {
    const rows = (await this.boss.getDb().executeSql(`select count(*)::int as count from pgboss.job where name = $1 and state in ('created', 'retry', 'active')`, [name])) as {
      rows: { count: number }[];
    };
    return rows.rows[0]?.count ?? 0;
  }

  /** Unfinished jobs of every declared kind by state (created, retry, active), zeros included: the queue depth metric. */
  async depths(): Promise<{ queue: string; state: string; count: number }[]> {
    const result = (await this.boss.getDb().executeSql(
      `select name, state::text as state, count(*)::int as count from pgboss.job where state in ('created', 'retry', 'active') group by name, state`,
      [],
    )) as { rows: { name: string; state: string; count: number }[] };
    const counts = new Map(result.rows.map((row) => [`${row.name}\u0000${row.state}`, row.count]));
    return [...this.definitions.keys()].flatMap((queue) =>
      ['created', 'retry', 'active'].map((state) => ({ queue, state, count: counts.get(`${queue}\u0000${state}`) ?? 0 })),
    );
  }

  /** The pg-boss instance, for tests that inspect jobs. */
  get raw(): PgBoss {
    return this.boss;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, timeout: 5_000 });
  }
}
