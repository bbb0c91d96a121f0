import { print } from 'graphql';
import { CommunityFeedDocument, SearchDocument, StartThreadDocument, ThreadActivitySinceDocument } from '../generated/graphql';
import { socketClient } from '../support/live';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Careless and hostile operations, the same set over HTTP and over graphql-ws: every answer is a GraphQL error with
 * one of the contract's codes (never INTERNAL_SERVER_ERROR, never a stack or SQL), and the server keeps answering.
 * The cases are generated from a fixed seed, so a failure is reproducible.
 */
const CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'RATE_LIMITED', 'QUERY_TOO_COMPLEX', 'GRAPHQL_VALIDATION_FAILED']);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const JUNK: unknown[] = [null, 0, -1, 2 ** 53, 1e308, -0.5, '', ' ', 'x'.repeat(5000), '\u0000', '\uD800', '\u202E', '🙂', 'not-an-id', 'VGhyZWFkOjE=', true, [], [1, 2], {}, { a: 1 }, '0000-01-01T00:00:00Z', '9999-99-99'];

interface Case {
  query: string;
  variables?: Record<string, unknown>;
}

function cases(): Case[] {
  const next = random(20261203);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const documents = [print(CommunityFeedDocument), print(SearchDocument), print(StartThreadDocument), print(ThreadActivitySinceDocument)];
  const variableNames = [['slug', 'first', 'after'], ['query', 'communityId', 'first', 'after'], ['input'], ['threadId', 'since']];
  const out: Case[] = [];
  for (let i = 0; i < 60; i += 1) {
    const which = Math.floor(next() * documents.length);
    const document = documents[which]!;
    const kind = Math.floor(next() * 4);
    if (kind === 0) {
      // A document cut short or with a character changed.
      const cut = Math.floor(next() * document.length);
      out.push({ query: next() < 0.5 ? document.slice(0, cut) : `${document.slice(0, cut)}${pick(['{', '}', '$', '(', '"', '\\', '#'])}${document.slice(cut + 1)}` });
    } else {
      // Variables of every wrong shape (missing, junk, nested junk).
      const variables: Record<string, unknown> = {};
      for (const name of variableNames[which]!) if (next() < 0.7) variables[name] = kind === 3 ? { title: pick(JUNK), body: pick(JUNK), communityId: pick(JUNK) } : pick(JUNK);
      out.push({ query: document, variables });
    }
  }
  return out;
}

const codesOf = (errors: unknown): string[] => ((errors as { extensions?: { code?: string } }[] | undefined) ?? []).map((e) => e.extensions?.code ?? 'NONE');

describe('careless and hostile operations', () => {
  const generated = cases();

  it('over HTTP: only contract codes, nothing internal, no stack or SQL', async () => {
    const outside: string[] = [];
    for (const operation of generated) {
      const response = await server.raw(operation);
      for (const code of codesOf(response.errors)) if (!CODES.has(code)) outside.push(`${code}: ${JSON.stringify(operation).slice(-160)}`);
      expect(JSON.stringify(response)).not.toMatch(/node_modules|\bat [A-Za-z.]+ \(|select |insert |update /);
    }
    expect(outside).toEqual([]);
    expect(server.unexpectedErrors).toEqual([]);
  });

  it('over graphql-ws: the same operations answer the same way, and the socket stays usable', async () => {
    const socket = socketClient(server);
    const outside: string[] = [];
    try {
      for (const operation of generated) {
        const errors = await new Promise<unknown[]>((resolve) => {
          const seen: unknown[] = [];
          let settle: ReturnType<typeof setTimeout> | null = null;
          const dispose = socket.client.subscribe(
            { query: operation.query, variables: operation.variables as Record<string, unknown> | undefined },
            {
              next: (result) => {
                if (result.errors) seen.push(...result.errors);
                // A valid subscription that starts: stop it, it has answered.
                settle ??= setTimeout(() => (dispose(), resolve(seen)), 50);
              },
              error: (error) => resolve([...seen, ...(Array.isArray(error) ? error : [{ extensions: { code: 'SOCKET_CLOSED' }, message: String(error) }])]),
              complete: () => resolve(seen),
            },
          );
          // A subscription that was accepted and waits for events has answered too.
          setTimeout(() => (dispose(), resolve(seen)), 500);
        });
        for (const code of codesOf(errors)) if (!CODES.has(code)) outside.push(`${code}: ${JSON.stringify(operation).slice(-160)}`);
      }
      expect(outside).toEqual([]);
      // Still open and answering.
      const viewer = await new Promise<unknown>((resolve, reject) => socket.client.subscribe({ query: '{ viewer { id } }' }, { next: (r) => resolve(r), error: reject, complete: () => undefined }));
      expect(viewer).toEqual({ data: { viewer: null } });
    } finally {
      await socket.dispose();
    }
    expect(server.unexpectedErrors).toEqual([]);
  }, 120_000);
});
