import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { loadConfig } from '../../src/config';
import { startApp, type App } from '../../src/server/app';
import {
  MentorMatchesDocument,
  RequestMentorshipDocument,
  RespondToMentorshipDocument,
  SignUpDocument,
  UpsertMentorProfileDocument,
  WhyNotMentorDocument,
} from '../generated/graphql';

/**
 * Matching leans on PostgreSQL features (plpgsql triggers with data-modifying CTEs for the change log, full-text
 * parsing with ts_debug, tsvector_to_array): the embedded database must run them as the server does.
 */
describe('mentoring on the embedded PGlite database', () => {
  let app: App;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'practicehub-pglite-mentoring-'));
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', PASSWORD_HASH_COST: '1024', SEED_ON_EMPTY: 'false' });
    app = await startApp(config);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function gql<R, V>(document: TypedDocumentNode<R, V>, variables: V, token?: string): Promise<R> {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const json = (await response.json()) as { data?: R; errors?: unknown[] };
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data!;
  }

  const signUp = async (name: string) =>
    (await gql(SignUpDocument, { input: { email: `${name}@example.org`, password: 'correct horse battery', displayName: name } })).signUp;

  it('matches with explained scores, says why not, and pairs up to capacity', async () => {
    const [mentee, rare, common, busy] = await Promise.all(['mentee', 'rare', 'common', 'busy'].map(signUp));
    await gql(UpsertMentorProfileDocument, { input: { topics: ['Information Literacy', 'Reading'], capacity: 1, bio: 'I teach citation and source evaluation.' } }, rare!.token);
    await gql(UpsertMentorProfileDocument, { input: { topics: ['Reading'], capacity: 2 } }, common!.token);
    await gql(UpsertMentorProfileDocument, { input: { topics: ['Reading'], capacity: 2, acceptingMentees: false } }, busy!.token);

    const { mentorMatches } = await gql(
      MentorMatchesDocument,
      { input: { topics: ['information literacy', 'reading'], goals: 'Better source evaluation with my students' } },
      mentee!.token,
    );
    expect(mentorMatches.map((m) => m.mentor.displayName)).toEqual(['rare', 'common']);
    const [best] = mentorMatches;
    expect(best!.score).toBeCloseTo(best!.contributions.reduce((sum, c) => sum + c.weight * c.value, 0), 12);
    expect(best!.reasons).toContain("Their bio and topics mention 'source' and 'evaluation' from your goals (2 of 4 key words)");
    expect(best!.sharedTopics).toEqual(['information literacy', 'reading']);

    const { whyNotMentor } = await gql(WhyNotMentorDocument, { mentorId: busy!.member.id, topics: ['reading'] }, mentee!.token);
    expect(whyNotMentor).toEqual(['They are not accepting mentees at the moment']);

    const { requestMentorship } = await gql(RequestMentorshipDocument, { input: { mentorId: rare!.member.id, topics: ['reading'] } }, mentee!.token);
    const { respondToMentorship } = await gql(RespondToMentorshipDocument, { input: { pairingId: requestMentorship.id, accept: true } }, rare!.token);
    expect(respondToMentorship.status).toBe('ACTIVE');
    const after = await gql(MentorMatchesDocument, { input: { topics: ['reading'] } }, (await signUp('other')).token);
    expect(after.mentorMatches.map((m) => m.mentor.displayName)).toEqual(['common']);
  });
});
