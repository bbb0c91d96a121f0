import { gql } from 'graphql-tag';
import { subscribe, trackSockets } from '../support/live';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
const openOn = trackSockets();
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const THREAD_ACTIVITY = 'subscription ($t: ID!) { threadActivity(threadId: $t) { __typename } }';
// HTTP serves no subscriptions (refused before anything runs): the same variable mistake in a query is the reference.
const SAME_VARIABLE_OVER_HTTP = 'query ($t: ID!) { node(id: $t) { id } }';

describe('operation variables over graphql-ws', () => {
  it.each([
    ['a required variable that is missing', {}],
    ['a required variable that is null', { t: null }],
    ['a variable of the wrong type', { t: { id: 1 } }],
  ])('answer %s as BAD_USER_INPUT on that variable, as HTTP does, never INTERNAL_SERVER_ERROR', async (_label, variables) => {
    const overHttp = await server.raw({ query: SAME_VARIABLE_OVER_HTTP, variables });
    const httpError = overHttp.errors?.[0];
    expect(httpError?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 't' }] });

    const logged = jest.spyOn(console, 'error');
    const member = await server.factories.member();
    const socket = openOn(server, member.token);
    const subscription = subscribe(socket, gql(THREAD_ACTIVITY), variables as never);
    await subscription.ended;
    expect(subscription.events).toEqual([]);
    expect(subscription.errors).toEqual([{ message: httpError!.message, extensions: httpError!.extensions }]);
    // Nothing was masked as unexpected on either transport (the socket's boundary logs to the console).
    expect(server.unexpectedErrors).toEqual([]);
    expect(logged.mock.calls.filter((call) => /unexpected error/.test(String(call[0])))).toEqual([]);
    logged.mockRestore();
  });
});
