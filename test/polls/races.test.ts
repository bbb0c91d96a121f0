import { execFileSync } from 'node:child_process';
import { VotePollDocument } from '../generated/graphql';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { ballotCount, dbId, pollVotedEvents, pollWorld } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.afterStatement = null;
  expect(server.unexpectedErrors).toEqual([]);
});

const vote = (pollId: string, optionIds: string[], token: string) => server.gql(VotePollDocument, { input: { pollId, optionIds } }, { token });

/**
 * Runs `sql` in another session once the vote has passed its checks (its last read before the transaction is the
 * poll's options): psql runs synchronously in the statement hook, so the change commits before the vote goes on.
 */
function afterChecks(sql: string, param: string) {
  server.afterStatement = (statement) => {
    if (!statement.includes('from "poll_option"')) return;
    server.afterStatement = null;
    execFileSync('psql', [server.config.databaseUrl!, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', `p0=${param}`], { input: sql, stdio: ['pipe', 'ignore', 'inherit'] });
  };
}

describe('a vote racing a change to its thread or community', () => {
  it('is refused when the thread was locked after the checks (re-read under its lock), writing nothing', async () => {
    const { voter, poll, optionIds } = await pollWorld(server);
    afterChecks("update thread set locked = true where id = :'p0'", dbId(poll.thread.id));
    const refused = expectError(await vote(poll.id, [optionIds[0]!], voter.token), 'CONFLICT');
    expect(server.afterStatement).toBeNull();
    expect(refused.message).toMatch(/thread is locked/);
    expect(await ballotCount(server, poll.id)).toBe(0);
    expect(await pollVotedEvents(server, poll.id)).toEqual([]);
  });

  it('is refused when the community was retired after the checks, writing nothing', async () => {
    const { community, voter, poll, optionIds } = await pollWorld(server);
    afterChecks("update community set status = 'RETIRED' where id = :'p0'", community.community.id);
    const refused = expectError(await vote(poll.id, [optionIds[0]!], voter.token), 'FORBIDDEN');
    expect(server.afterStatement).toBeNull();
    expect(refused.message).toMatch(/retired and read-only/);
    expect(await ballotCount(server, poll.id)).toBe(0);
  });

  it('is refused when the poll closed after the checks (its closing time is read again in the transaction)', async () => {
    const { voter, poll, optionIds } = await pollWorld(server);
    expectData(await vote(poll.id, [optionIds[0]!], voter.token));
    afterChecks("update poll set closes_at = now() - interval '1 second' where id = :'p0'", dbId(poll.id));
    const refused = expectError(await vote(poll.id, [optionIds[1]!], voter.token), 'CONFLICT');
    expect(server.afterStatement).toBeNull();
    expect(refused.message).toMatch(/This poll closed at/);
    expect(await pollVotedEvents(server, poll.id)).toHaveLength(1);
  });
});
