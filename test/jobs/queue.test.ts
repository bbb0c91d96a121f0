import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrm, migrate, type Em, type Orm } from '../../src/db/orm';
import { claimRun } from '../../src/jobs/claimRun';
import { JobQueue } from '../../src/jobs/queue';
import { eventually } from '../support/live';
import { startTestServer, type TestServer } from '../support/server';
import { captureLogs } from '../support/logs';

let server: TestServer;
const queues: JobQueue[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.stop()));
});
afterAll(() => server.close());

/** A queue of its own on the test database, with one job kind that records what it worked. */
async function queue(name: string, workJobs: boolean, worked: string[], orm: Orm = server.app.services.orm, url = server.config.databaseUrl) {
  const jobs = await JobQueue.create(orm, url, { workJobs, pollingIntervalSeconds: 0.5 });
  jobs.define<{ value: string }>({
    name,
    concurrency: 4,
    handle: async ({ value }) => {
      worked.push(value);
    },
  });
  await jobs.start();
  queues.push(jobs);
  return jobs;
}

describe('the job queue', () => {
  it('an instance with JOBS_ENABLED=false enqueues but works nothing; a working instance then works the job once', async () => {
    const worked: string[] = [];
    const enqueuer = await queue('test.enabled', false, worked);
    await enqueuer.send('test.enabled', { value: 'hello' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(worked).toEqual([]);
    await queue('test.enabled', true, worked);
    await eventually(() => worked.length === 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(worked).toEqual(['hello']);
  });

  it('two working instances work each of 40 jobs exactly once', async () => {
    const worked: string[] = [];
    const one = await queue('test.once', true, worked);
    await queue('test.once', true, worked);
    const values = Array.from({ length: 40 }, (_, i) => `job-${i}`);
    await one.sendMany('test.once', values.map((value) => ({ data: { value } })));
    await eventually(() => worked.length >= 40, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect([...worked].sort()).toEqual([...values].sort());
  });

  it('enqueues inside a transaction: the job exists only if the transaction commits', async () => {
    const worked: string[] = [];
    const jobs = await queue('test.transactional', true, worked);
    const em = server.em();
    await expect(
      em.transactional(async (tem) => {
        await jobs.send('test.transactional', { value: 'rolled back' }, { em: tem as Em });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await server.em().transactional(async (tem) => {
      await jobs.send('test.transactional', { value: 'committed' }, { em: tem as Em });
    });
    await eventually(() => worked.length === 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(worked).toEqual(['committed']);
  });

  it('retries a job that failed, and only that job', async () => {
    const tries: string[] = [];
    const jobs = await JobQueue.create(server.app.services.orm, server.config.databaseUrl, { workJobs: true, pollingIntervalSeconds: 0.5 });
    jobs.define<{ value: string }>({
      name: 'test.retry',
      queue: { retryLimit: 3, retryDelay: 1 },
      handle: async ({ value }, job) => {
        tries.push(`${value}#${job.retryCount}`);
        if (value === 'flaky' && job.retryCount === 0) throw new Error('the receiver is down');
      },
    });
    await jobs.start();
    queues.push(jobs);
    const failures = captureLogs();
    try {
      await jobs.sendMany('test.retry', [{ data: { value: 'flaky' } }, { data: { value: 'steady' } }]);
      await eventually(() => tries.includes('flaky#1'), 15_000);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect([...tries].sort()).toEqual(['flaky#0', 'flaky#1', 'steady#0']);
      expect(failures.includes('test.retry')).toBe(true);
    } finally {
      failures.restore();
    }
  });

  it('hands a batch kind its jobs together, and retries only the jobs its handler reports failed', async () => {
    const batches: string[][] = [];
    const tries: string[] = [];
    const jobs = await JobQueue.create(server.app.services.orm, server.config.databaseUrl, { workJobs: true, pollingIntervalSeconds: 0.5 });
    jobs.define<{ value: string }>({
      name: 'test.batch',
      queue: { retryLimit: 3, retryDelay: 1 },
      batchSize: 10,
      handleBatch: async (batch) => {
        batches.push(batch.map((job) => job.data.value).sort());
        const failed = new Map<string, unknown>();
        for (const job of batch) {
          tries.push(`${job.data.value}#${job.retryCount}`);
          if (job.data.value === 'flaky' && job.retryCount === 0) failed.set(job.id, new Error('the receiver is down'));
        }
        return failed;
      },
    });
    await jobs.start();
    queues.push(jobs);
    const failures = captureLogs();
    try {
      const values = ['a', 'b', 'flaky', 'c', 'd'];
      await jobs.sendMany('test.batch', values.map((value) => ({ data: { value } })));
      await eventually(() => tries.includes('flaky#1'), 15_000);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(batches[0]).toEqual([...values].sort());
      expect(batches.slice(1)).toEqual([['flaky']]);
      expect([...tries].sort()).toEqual(['a#0', 'b#0', 'c#0', 'd#0', 'flaky#0', 'flaky#1']);
      expect(failures.lines.filter((line) => line.msg.includes('test.batch'))).toHaveLength(1);
    } finally {
      failures.restore();
    }
  });

  it('claims a scheduled run once per period, whoever asks and however often', async () => {
    const attempts = await Promise.all(Array.from({ length: 8 }, () => claimRun(server.em(), 'digest', 'test:DAILY:2026-12-02')));
    expect(attempts.filter(Boolean)).toHaveLength(1);
    expect(await claimRun(server.em(), 'digest', 'test:DAILY:2026-12-03')).toBe(true);
  });

  it('runs on the embedded PGlite database too, sharing its single connection with the ORM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'practicehub-jobs-'));
    const orm = await createOrm({ databaseUrl: null, dataDir: dir });
    try {
      await migrate(orm);
      const worked: string[] = [];
      const jobs = await queue('test.pglite', true, worked, orm, null);
      await orm.em.fork().transactional(async (tem) => {
        await jobs.send('test.pglite', { value: 'embedded' }, { em: tem as Em });
      });
      await eventually(() => worked.length === 1, 15_000);
      expect(worked).toEqual(['embedded']);
      await jobs.stop();
    } finally {
      await orm.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('pending jobs', () => {
  it('counts jobs sent after an earlier count (read from the job table, not a cached statistic)', async () => {
    const jobs = await JobQueue.create(server.app.services.orm, server.config.databaseUrl, { workJobs: false });
    jobs.define({ name: 'test.pending', handle: async () => undefined });
    await jobs.start();
    queues.push(jobs);
    expect(await jobs.pending('test.pending')).toBe(0);
    await jobs.send('test.pending', { n: 1 });
    await jobs.send('test.pending', { n: 2 });
    expect(await jobs.pending('test.pending')).toBe(2);
  });
});
