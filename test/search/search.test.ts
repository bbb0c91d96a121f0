import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { SearchDocument } from '../generated/graphql';
import type { SearchQuery, SearchQueryVariables } from '../generated/graphql';
import { expectData, expectError, startTestServer, type GraphQLResponse, type TestServer } from '../support/server';
import { MembershipStatus } from '../support/factories';
import { toGlobalId } from '../../src/shared/ids';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A made-up word no other test uses (letters only, so the stemmer leaves it as one lexeme). */
const word = () =>
  `zq${[...randomBytes(6)].map((b) => String.fromCharCode(97 + (b % 26))).join('')}`;

const search = (variables: SearchQueryVariables, token?: string) => server.gql(SearchDocument, variables, { token });
type Hit = SearchQuery['search']['edges'][number];
const hitsOf = (response: GraphQLResponse<SearchQuery>) => expectData(response).search.edges;
const titleOf = (hit: Hit) => (hit.node.__typename === 'Post' ? hit.node.body : hit.node.title);

/** An OPEN and a RESTRICTED community, a member of both who writes, a member of the restricted one, an outsider. */
async function world() {
  const open = await server.factories.community();
  const restricted = await server.factories.restrictedCommunity();
  const author = await server.factories.activeMember(open);
  await server.factories.membership(author, restricted);
  const insider = await server.factories.activeMember(restricted);
  const outsider = await server.factories.member();
  return { open, restricted, author, insider, outsider };
}

describe('search: visibility', () => {
  it('shows RESTRICTED content to its ACTIVE members and staff only; anonymous viewers, outsiders and PENDING members see the OPEN part', async () => {
    const w = await world();
    const term = word();
    const openThread = await server.factories.thread(w.open, w.author, { title: `Open ${term} thread` });
    await server.factories.post(openThread, w.author, { body: `open reply about ${term}` });
    await server.factories.resource(w.open, w.author, { title: `Open ${term} guide` });
    const secretThread = await server.factories.thread(w.restricted, w.author, { title: `Secret ${term} thread` });
    await server.factories.post(secretThread, w.author, { body: `secret reply about ${term}` });
    await server.factories.resource(w.restricted, w.author, { title: `Secret ${term} guide` });
    const pending = await server.factories.member();
    await server.factories.membership(pending, w.restricted, { status: MembershipStatus.PENDING });

    for (const token of [undefined, w.outsider.token, pending.token]) {
      const response = await search({ query: term }, token);
      const { search: found } = expectData(response);
      expect(found.totalCount).toBe(3);
      expect(found.edges.map((e) => e.node.__typename).sort()).toEqual(['Post', 'Resource', 'Thread']);
      expect(JSON.stringify(response)).not.toMatch(/secret|Secret/);
    }
    for (const token of [w.insider.token, (await server.factories.staff()).token]) {
      const { search: found } = expectData(await search({ query: term }, token));
      expect(found.totalCount).toBe(6);
      expect(found.edges.filter((e) => /secret/i.test(titleOf(e) ?? ''))).toHaveLength(3);
    }
  });

  it('gives a non-member the same totalCount and pages whether or not restricted matches exist', async () => {
    const w = await world();
    const term = word();
    for (let i = 0; i < 5; i += 1) await server.factories.thread(w.open, w.author, { title: `${term} open ${i}` });
    const before = expectData(await search({ query: term, first: 2 }, w.outsider.token)).search;
    for (let i = 0; i < 7; i += 1) await server.factories.thread(w.restricted, w.author, { title: `${term} restricted ${i}` });
    const after = expectData(await search({ query: term, first: 2 }, w.outsider.token)).search;
    expect(after.totalCount).toBe(5);
    // Everything but the score, which decays with the time between the two requests.
    const withoutScores = (page: typeof before) => ({ ...page, edges: page.edges.map(({ score: _score, ...edge }) => edge) });
    expect(withoutScores(after)).toEqual(withoutScores(before));
    expect(expectData(await search({ query: term, first: 2 }, w.insider.token)).search.totalCount).toBe(12);
  });

  it('narrows to one community; a RESTRICTED community is FORBIDDEN to non-members and anonymous viewers', async () => {
    const w = await world();
    const term = word();
    await server.factories.thread(w.open, w.author, { title: `${term} in the open` });
    await server.factories.thread(w.restricted, w.author, { title: `${term} behind the door` });
    expect(hitsOf(await search({ query: term, communityId: w.open.id })).map(titleOf)).toEqual([`${term} in the open`]);
    expect(hitsOf(await search({ query: term, communityId: w.restricted.id }, w.insider.token)).map(titleOf)).toEqual([`${term} behind the door`]);
    for (const token of [undefined, w.outsider.token]) {
      const refused = await search({ query: term, communityId: w.restricted.id }, token);
      expectError(refused, 'FORBIDDEN');
      expect(JSON.stringify(refused)).not.toContain('behind the door');
    }
    expectError(await search({ query: term, communityId: toGlobalId('Thread', w.open.community.id) }), 'BAD_USER_INPUT');
    expectError(await search({ query: term, communityId: toGlobalId('Community', '00000000-0000-4000-8000-000000000000') }), 'NOT_FOUND');
  });

  it('never finds deleted posts or removed resources', async () => {
    const w = await world();
    const term = word();
    const thread = await server.factories.thread(w.open, w.author, { title: 'Unrelated title' });
    const kept = await server.factories.post(thread, w.author, { body: `kept ${term}` });
    const gone = await server.factories.post(thread, w.author, { body: `gone ${term}` });
    await server.em().execute('update post set deleted_at = now() where id = ?', [gone.post.id]);
    await server.factories.resource(w.open, w.author, { title: `removed ${term}`, removedAt: new Date() });
    const { search: found } = expectData(await search({ query: term }));
    expect(found.edges.map((e) => e.node.id)).toEqual([kept.id]);
    expect(found.totalCount).toBe(1);
  });
});

describe('search: results', () => {
  it('resolves a Post hit to its thread and a Thread hit to its community', async () => {
    const w = await world();
    const term = word();
    const thread = await server.factories.thread(w.open, w.author, { title: `About ${term}` });
    const post = await server.factories.post(thread, w.author, { body: `A reply on ${term}` });
    const hits = hitsOf(await search({ query: term }));
    const threadHit = hits.find((h) => h.node.__typename === 'Thread')!;
    const postHit = hits.find((h) => h.node.__typename === 'Post')!;
    expect(threadHit.node).toMatchObject({ id: thread.id, community: { id: w.open.id, slug: w.open.community.slug } });
    expect(postHit.node).toMatchObject({ id: post.id, thread: { id: thread.id, title: `About ${term}`, community: { slug: w.open.community.slug } } });
  });

  it('finds stemmed forms and marks the matched words in a plain-text snippet', async () => {
    const w = await world();
    const term = word();
    const thread = await server.factories.thread(w.open, w.author, { title: 'Lending' });
    await server.factories.post(thread, w.author, { body: `Our ${term} libraries lend robots to the ${term} classrooms every week.` });
    const [hit] = hitsOf(await search({ query: `${term} library` }));
    const { text, highlights, html } = hit!.snippet;
    expect(text).toContain('libraries lend robots');
    const marked = highlights.map((h) => text.slice(h.start, h.start + h.length));
    expect(marked).toEqual([term, 'libraries', term]);
    expect(html).toContain(`<mark>libraries</mark>`);
    expect(hit!.rank).toBeGreaterThan(0);
    expect(hit!.score).toBeGreaterThan(0);
  });

  it('never sends markup from the text as markup: the snippet is text, its html escaped', async () => {
    const w = await world();
    const term = word();
    const thread = await server.factories.thread(w.open, w.author, { title: 'Markup' });
    await server.factories.post(thread, w.author, { body: `${term} <img src=x onerror=alert(1)> "quotes" & <script>alert('x')</script> \u0002fake\u0003 ${term}` });
    const [hit] = hitsOf(await search({ query: term }));
    const { html, text, highlights } = hit!.snippet;
    expect(html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    expect(text).not.toMatch(/[\u0000-\u001f]/);
    expect(highlights.map((h) => text.slice(h.start, h.start + h.length))).toEqual([term, term]);
  });

  it('ranks a title match above a body-only match of the same age, and a newer hit above an older equal one', async () => {
    const w = await world();
    const term = word();
    const now = Date.now();
    const body = await server.factories.thread(w.open, w.author, { title: 'Plain title', body: `mentions ${term} once` });
    const titled = await server.factories.thread(w.open, w.author, { title: `${term} in the title`, body: 'nothing else' });
    const day = 86_400_000;
    await server.em().execute('update thread set created_at = ? where id in (?)', [new Date(now - day).toISOString(), [body.thread.id, titled.thread.id]]);
    expect(hitsOf(await search({ query: term })).map((h) => h.node.id)).toEqual([titled.id, body.id]);

    const other = word();
    const old = await server.factories.thread(w.open, w.author, { title: `${other} old` });
    const recent = await server.factories.thread(w.open, w.author, { title: `${other} new` });
    await server.em().execute('update thread set created_at = ? where id = ?', [new Date(now - 400 * day).toISOString(), old.thread.id]);
    const ranked = hitsOf(await search({ query: other }));
    expect(ranked.map((h) => h.node.id)).toEqual([recent.id, old.id]);
    // About a year and a month older: a little under half the score (half-life 365 days).
    expect(ranked[1]!.score / ranked[0]!.score).toBeCloseTo(2 ** (-400 / 365), 2);
  });

  it.each([1, 2, 3, 7])('pages of %i walk every hit once, in one order, with a steady totalCount', async (first) => {
    const w = await world();
    const term = word();
    const thread = await server.factories.thread(w.open, w.author, { title: `${term} thread` });
    for (let i = 0; i < 9; i += 1) {
      // Repetitions and ages vary, and some share both, so ties in the ranking must be broken by kind and id.
      await server.factories.post(thread, w.author, { body: `${`${term} `.repeat(1 + (i % 3))}reply ${i}`, createdAt: new Date(Date.now() - (i % 2) * 3_600_000) });
    }
    for (let i = 0; i < 3; i += 1) await server.factories.resource(w.open, w.author, { title: `${term} resource ${i}` });
    const everything = expectData(await search({ query: term, first: 100 })).search;
    expect(everything.totalCount).toBe(13);
    expect(everything.edges).toHaveLength(13);
    const seen: string[] = [];
    let after: string | null = null;
    for (let pageCount = 0; pageCount < 20; pageCount += 1) {
      const page: SearchQuery['search'] = expectData(await search({ query: term, first, after })).search;
      expect(page.totalCount).toBe(13);
      expect(page.edges.length).toBeLessThanOrEqual(first);
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      expect(page.edges).toHaveLength(first);
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(everything.edges.map((e) => e.node.id));
  });

  it('costs the same number of statements for 3 hits as for 30 (no query per hit)', async () => {
    const w = await world();
    const count = async (term: string) => {
      server.queries.length = 0;
      const { search: found } = expectData(await search({ query: term, first: 50 }, w.insider.token));
      return { hits: found.edges.length, statements: server.queries.length };
    };
    const build = async (term: string, n: number) => {
      for (let i = 0; i < n; i += 1) {
        const community = i % 2 ? w.open : w.restricted;
        const thread = await server.factories.thread(community, w.author, { title: `${term} thread ${i}` });
        await server.factories.post(thread, w.author, { body: `${term} reply ${i}` });
        await server.factories.resource(community, w.author, { title: `${term} resource ${i}` });
      }
    };
    const few = word();
    const many = word();
    await build(few, 1);
    await build(many, 10);
    const small = await count(few);
    const large = await count(many);
    expect(small.hits).toBe(3);
    expect(large.hits).toBe(30);
    expect(large.statements).toBe(small.statements);
  });
});

describe('search: hits that vanish between ranking and loading', () => {
  /**
   * Runs `sql` in another session right after the ranking statement returns and before the request loads its hits:
   * psql runs synchronously inside the statement hook, so the server cannot go on until the change has committed.
   */
  function onceRanked(sql: string, params: string[]) {
    server.afterStatement = (statement) => {
      if (!statement.includes('websearch_to_tsquery')) return;
      server.afterStatement = null;
      const args = params.flatMap((value, i) => ['-v', `p${i}=${value}`]);
      execFileSync('psql', [server.config.databaseUrl!, '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...args], { input: sql, stdio: ['pipe', 'ignore', 'inherit'] });
    };
  }
  afterEach(() => {
    server.afterStatement = null;
  });

  /** Three resources matching one word, newest (best) first. */
  async function threeHits() {
    const w = await world();
    const term = word();
    const hits = [];
    for (let i = 0; i < 3; i += 1) {
      hits.push(await server.factories.resource(w.open, w.author, { title: `${term} guide ${i}`, createdAt: new Date(Date.now() - i * 60_000) }));
    }
    return { w, term, hits };
  }

  it('skips a hit deleted after it was ranked; the rest of the page still comes back', async () => {
    const { term, hits } = await threeHits();
    onceRanked("delete from resource where id = :'p0'", [hits[1]!.resource.id]);
    const response = await search({ query: term, first: 10 });
    expect(hitsOf(response).map((e) => e.node.id)).toEqual([hits[0]!.id, hits[2]!.id]);
    expect(server.afterStatement).toBeNull();
    expect(server.unexpectedErrors).toEqual([]);
  });

  it('skips a post deleted, or a resource removed, after ranking: they are no longer content', async () => {
    const w = await world();
    const term = word();
    const thread = await server.factories.thread(w.open, w.author, { title: 'Unrelated' });
    const post = await server.factories.post(thread, w.author, { body: `${term} reply` });
    const resource = await server.factories.resource(w.open, w.author, { title: `${term} resource` });
    const kept = await server.factories.resource(w.open, w.author, { title: `${term} kept` });
    onceRanked(
      "update post set deleted_at = now(), body = '' where id = :'p0'; update resource set removed_at = now() where id = :'p1';",
      [post.post.id, resource.resource.id],
    );
    expect(hitsOf(await search({ query: term, first: 10 })).map((e) => e.node.id)).toEqual([kept.id]);
    expect(server.unexpectedErrors).toEqual([]);
  });

  it('keeps paging from the last ranked hit when the one that vanished ended the page', async () => {
    const { term, hits } = await threeHits();
    onceRanked("delete from resource where id = :'p0'", [hits[1]!.resource.id]);
    const first = expectData(await search({ query: term, first: 2 })).search;
    expect(first.edges.map((e) => e.node.id)).toEqual([hits[0]!.id]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = expectData(await search({ query: term, first: 2, after: first.pageInfo.endCursor })).search;
    expect(next.edges.map((e) => e.node.id)).toEqual([hits[2]!.id]);
    expect(next.pageInfo.hasNextPage).toBe(false);
    expect(server.unexpectedErrors).toEqual([]);
  });
});

describe('search: input', () => {
  it.each([
    ['an apostrophe', "o'reilly"],
    ['unbalanced quotes', '"unclosed phrase'],
    ['tsquery operators', '& | ! : * ( ) <-> <2>'],
    ['a prefix operator', 'libr:*'],
    ['SQL', "'; drop table post; --"],
    ['a union', "x' union select password_hash from member --"],
    ['backslashes', '\\\\ \\x00 \\'],
    ['a NUL byte and controls', 'library\u0000\u0007x'],
    ['only punctuation', '!!! ??? ...'],
    ['only stop words', 'the and of'],
    ['emoji and other scripts', '📚 библиотека 図書館'],
    ['a long query', 'library '.repeat(62)],
  ])('takes %s as text: an answer, never an error', async (_name, query) => {
    const response = await search({ query, first: 5 });
    const { search: found } = expectData(response);
    expect(found.totalCount).toBeGreaterThanOrEqual(0);
    expect(server.unexpectedErrors).toEqual([]);
  });

  it('still has its tables after the hostile queries', async () => {
    const w = await world();
    const term = word();
    await server.factories.thread(w.open, w.author, { title: `${term} survives` });
    expect(hitsOf(await search({ query: term })).map(titleOf)).toEqual([`${term} survives`]);
  });

  it('finds the words of a query written with operators and quotes', async () => {
    const w = await world();
    const term = word();
    await server.factories.thread(w.open, w.author, { title: `Ask ${term} anything` });
    expect(hitsOf(await search({ query: `"${term}" & (${term}:*) !` })).map(titleOf)).toEqual([`Ask ${term} anything`]);
    expect(hitsOf(await search({ query: `${term} -anything` }))).toEqual([]);
  });

  it('refuses a blank or over-long query, a bad cursor and a page over 100 (BAD_USER_INPUT)', async () => {
    for (const query of ['', '   ', '\u0000\t\n']) expectError(await search({ query }), 'BAD_USER_INPUT');
    expectError(await search({ query: 'x'.repeat(501) }), 'BAD_USER_INPUT');
    expectError(await search({ query: 'library', after: 'not-a-cursor' }), 'BAD_USER_INPUT');
    expectError(await search({ query: 'library', after: Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'x'])).toString('base64url') }), 'BAD_USER_INPUT');
    expectError(await search({ query: 'library', first: 101 }), 'BAD_USER_INPUT');
    expect(server.unexpectedErrors).toEqual([]);
  });
});

describe('search: candidate cap', () => {
  let capped: TestServer;
  beforeAll(async () => {
    capped = await startTestServer({ SEARCH_CANDIDATE_CAP: '3' });
  });
  afterAll(() => capped.close());

  it('ranks only the newest matches of each kind when a query matches more than the cap, and says so', async () => {
    const community = await capped.factories.community();
    const author = await capped.factories.activeMember(community);
    const term = word();
    const thread = await capped.factories.thread(community, author, { title: 'Unrelated' });
    const posts = [];
    for (let i = 0; i < 5; i += 1) {
      posts.push(await capped.factories.post(thread, author, { body: `${term} number ${i}`, createdAt: new Date(Date.now() - (5 - i) * 60_000) }));
    }
    const { search: found } = expectData(await capped.gql(SearchDocument, { query: term, first: 10 }));
    expect(found.truncated).toBe(true);
    expect(found.totalCount).toBe(3);
    expect(found.edges.map((e) => e.node.id).sort()).toEqual(posts.slice(2).map((p) => p.id).sort());

    const few = word();
    await capped.factories.post(thread, author, { body: `${few} alone` });
    expect(expectData(await capped.gql(SearchDocument, { query: few })).search).toMatchObject({ truncated: false, totalCount: 1 });
  });
});
