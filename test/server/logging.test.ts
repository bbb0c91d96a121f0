import { CommunitiesDocument, ThreadActivityDocument } from '../generated/graphql';
import { loadConfig } from '../../src/config';
import { captureLogs } from '../support/logs';
import { logger, withLogScope } from '../../src/logging/logger';
import { eventually, socketClient, subscribe } from '../support/live';
import { expectData, startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/server';
import { ROLE_TERMS_JOB } from '../../src/modules/governance/roles/roleTerms.background';

describe('structured logs', () => {
  let server: TestServer;
  let logs: ReturnType<typeof captureLogs>;
  beforeAll(async () => {
    logs = captureLogs();
    server = await startTestServer({ LOG_LEVEL: 'info' });
  });
  afterAll(async () => {
    await server.close();
    logs.restore();
  });

  it('refuses an unknown LOG_LEVEL', () => {
    expect(() => loadConfig({ JWT_SECRET: TEST_JWT_SECRET, DATA_DIR: '/tmp/practicehub-test', LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('puts the scope on every line written inside it, however deep the async work goes', async () => {
    await withLogScope({ job: 'test.job', jobId: 'job-1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await Promise.resolve().then(() => logger.warn('deep inside'));
    });
    logger.warn('outside');
    expect(logs.lines.find((l) => l.msg === 'deep inside')).toMatchObject({ level: 'warn', job: 'test.job', jobId: 'job-1' });
    expect(logs.lines.find((l) => l.msg === 'outside')?.jobId).toBeUndefined();
  });

  it('writes one JSON line per GraphQL request, with its request id', async () => {
    await server.factories.community();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-logging-1' },
      body: JSON.stringify({ query: 'query Communities { communities { totalCount } }', operationName: 'Communities' }),
    });
    expect(response.headers.get('x-request-id')).toBe('req-logging-1');
    await eventually(() => logs.lines.some((line) => line.requestId === 'req-logging-1'));
    const line = logs.lines.find((l) => l.requestId === 'req-logging-1')!;
    expect(line).toMatchObject({ level: 'info', msg: 'graphql request', service: 'practicehub', operation: 'Communities', type: 'query', status: 200 });
    expect(line.durationMs).toEqual(expect.any(Number));
    expect(new Date(line.time).toISOString()).toBe(line.time);
    // A request that fails validation names its codes.
    await server.raw({ query: '{ viewer { passwordHash } }' }, { headers: { 'x-request-id': 'req-logging-2' } });
    await eventually(() => logs.lines.some((l) => l.requestId === 'req-logging-2'));
    expect(logs.lines.find((l) => l.requestId === 'req-logging-2')).toMatchObject({ errors: ['GRAPHQL_VALIDATION_FAILED'] });
    expectData(await server.gql(CommunitiesDocument, {}));
  });

  it('gives each subscription a request id on its start and end lines', async () => {
    const member = await server.factories.member();
    const community = await server.factories.community();
    const thread = await server.factories.thread(community, member);
    const socket = socketClient(server, member.token);
    try {
      const subscription = subscribe(socket, ThreadActivityDocument, { threadId: thread.id });
      await eventually(() => logs.includes('subscription started'));
      const started = logs.lines.find((l) => l.msg === 'subscription started')!;
      expect(started).toMatchObject({ level: 'info', operation: 'ThreadActivity', requestId: expect.any(String) });
      subscription.unsubscribe();
      await eventually(() => logs.includes('subscription ended'));
      expect(logs.lines.find((l) => l.msg === 'subscription ended')).toMatchObject({ requestId: started.requestId });
      expect(subscription.errors).toEqual([]);
    } finally {
      await socket.dispose();
    }
  });

  it('names the job and its id on every line a job writes', async () => {
    const jobId = (await server.app.services.jobs.send(ROLE_TERMS_JOB, {}))!;
    await eventually(() => logs.lines.some((l) => l.jobId === jobId && l.msg === 'job completed'), 10_000);
    const lines = logs.lines.filter((l) => l.jobId === jobId);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line).toMatchObject({ job: ROLE_TERMS_JOB, jobId });
  });
});
