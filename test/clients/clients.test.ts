import { ApolloClient, HttpLink, InMemoryCache, split } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { Client as UrqlClient, fetchExchange, subscriptionExchange } from '@urql/core';
import { GraphQLClient } from 'graphql-request';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { Kind, OperationTypeNode } from 'graphql';
import WebSocket from 'ws';
import { CommunityFeedDocument, ReplyToThreadDocument, ThreadActivityDocument } from '../generated/graphql';
import { threadTopic } from '../../src/realtime/events';
import { startTestServer, type TestServer } from '../support/server';

/**
 * The three common JavaScript clients, each with its default settings (only `fetch` is wrapped, to see which HTTP
 * method it chose), query, mutate with a bearer token, and subscribe over graphql-ws.
 */
let server: TestServer;
let world: { slug: string; threadId: string; threadKey: string; token: string };
let newThread: () => Promise<void>;
const sockets: WsClient[] = [];
beforeAll(async () => {
  server = await startTestServer();
  const community = await server.factories.community();
  const member = await server.factories.activeMember(community);
  world = { slug: community.community.slug, threadId: '', threadKey: '', token: member.token };
  // Each test follows a thread of its own, so no earlier test's subscription counts as a follower.
  newThread = async () => {
    const thread = await server.factories.thread(community, member);
    Object.assign(world, { threadId: thread.id, threadKey: thread.thread.id });
  };
});
afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.dispose()));
  await server.close();
});

function recordingFetch(methods: string[]): typeof fetch {
  return (input, init) => {
    methods.push((init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase());
    return fetch(input, init);
  };
}

function wsClient(token?: string): WsClient {
  const client = createWsClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: token ? { authorization: `Bearer ${token}` } : {} });
  sockets.push(client);
  return client;
}

/** Resolves with the first `count` events of an observable-like subscription. */
function firstEvents<T>(subscribe: (next: (value: T) => void, error: (e: unknown) => void) => () => void, count: number): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const seen: T[] = [];
    const stop = subscribe(
      (value) => {
        seen.push(value);
        if (seen.length === count) {
          setImmediate(stop);
          resolve(seen);
        }
      },
      reject,
    );
  });
}

const reply = (body: string) => new GraphQLClient(server.url, { headers: { authorization: `Bearer ${world.token}` } }).request(ReplyToThreadDocument, { input: { threadId: world.threadId, body } });

/** Waits until the server holds `count` live subscriptions to the thread, so a reply sent now reaches them. */
async function following(count: number): Promise<void> {
  for (let i = 0; i < 200 && server.app.services.events.listenerCount(threadTopic(world.threadKey)) < count; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(server.app.services.events.listenerCount(threadTopic(world.threadKey))).toBeGreaterThanOrEqual(count);
}

describe('stock GraphQL clients with their defaults', () => {
  it('Apollo Client: a query, a signed-in mutation, a subscription over graphql-ws', async () => {
    await newThread();
    const methods: string[] = [];
    const http = new HttpLink({ uri: server.url, fetch: recordingFetch(methods), headers: { authorization: `Bearer ${world.token}` } });
    const link = split(
      ({ query }) => {
        const definition = getMainDefinition(query);
        return definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.SUBSCRIPTION;
      },
      new GraphQLWsLink(wsClient(world.token)),
      http,
    );
    const client = new ApolloClient({ link, cache: new InMemoryCache() });
    const { data } = await client.query({ query: CommunityFeedDocument, variables: { slug: world.slug, first: 5 } });
    expect(data?.community?.threads?.edges.map((edge) => edge.node.id)).toContain(world.threadId);
    const events = firstEvents<{ data?: unknown }>((next, error) => {
      const subscription = client.subscribe({ query: ThreadActivityDocument, variables: { threadId: world.threadId } }).subscribe({ next, error });
      return () => subscription.unsubscribe();
    }, 1);
    await following(1);
    const mutated = await client.mutate({ mutation: ReplyToThreadDocument, variables: { input: { threadId: world.threadId, body: 'From Apollo Client' } } });
    expect(mutated.data?.replyToThread.body).toBe('From Apollo Client');
    const [event] = await events;
    expect(event!.data).toMatchObject({ threadActivity: { __typename: 'PostAdded', post: { body: 'From Apollo Client' } } });
    expect(methods).toEqual(['POST', 'POST']);
  });

  it('urql: queries go as GET (its default), mutations as POST, subscriptions over graphql-ws', async () => {
    await newThread();
    const methods: string[] = [];
    const socket = wsClient(world.token);
    const client = new UrqlClient({
      url: server.url,
      fetch: recordingFetch(methods),
      fetchOptions: { headers: { authorization: `Bearer ${world.token}` } },
      exchanges: [
        fetchExchange,
        subscriptionExchange({
          forwardSubscription: (request) => ({
            subscribe: (sink) => ({ unsubscribe: socket.subscribe({ ...request, query: request.query ?? '' }, sink) }),
          }),
        }),
      ],
    });
    const query = await client.query(CommunityFeedDocument, { slug: world.slug, first: 5 }).toPromise();
    expect(query.error).toBeUndefined();
    expect(query.data?.community?.id).toBeDefined();
    const events = firstEvents<{ data?: unknown }>((next) => {
      const { unsubscribe } = client.subscription(ThreadActivityDocument, { threadId: world.threadId }).subscribe(next);
      return unsubscribe;
    }, 1);
    await following(1);
    const mutated = await client.mutation(ReplyToThreadDocument, { input: { threadId: world.threadId, body: 'From urql' } }).toPromise();
    expect(mutated.error).toBeUndefined();
    expect(mutated.data?.replyToThread.body).toBe('From urql');
    const [event] = await events;
    expect(event!.data).toMatchObject({ threadActivity: { __typename: 'PostAdded', post: { body: 'From urql' } } });
    expect(methods).toEqual(['GET', 'POST']);
  });

  it('graphql-request: a query and a signed-in mutation; a GraphQL error arrives as an error with the contract code', async () => {
    await newThread();
    const anonymous = new GraphQLClient(server.url);
    const feed = await anonymous.request(CommunityFeedDocument, { slug: world.slug, first: 5 });
    expect(feed.community?.threads?.totalCount).toBeGreaterThanOrEqual(1);
    expect((await reply('From graphql-request')).replyToThread.body).toBe('From graphql-request');
    const refused = await anonymous.request(ReplyToThreadDocument, { input: { threadId: world.threadId, body: 'Nobody' } }).catch((error: { response?: { errors?: { extensions?: { code?: string } }[] } }) => error);
    expect((refused as { response?: { errors?: { extensions?: { code?: string } }[] } }).response?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
