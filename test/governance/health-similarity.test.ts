import { CommunityReviewsDocument, SimilarCommunitiesDocument } from '../generated/graphql';
import { rankSimilarCommunities } from '../../src/modules/governance/similarity/rankSimilarCommunities';
import { CommunityVisibility, OrgRole } from '../support/factories';
import { badInputFields, expectData, expectError, startTestServer, type TestServer } from '../support/server';

// The demo data (five communities with discussions) is loaded when the server starts on this empty database.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ SEED_ON_EMPTY: 'true' });
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

/** The demo's "Information Literacy Instruction" community, described in other words. */
const RESEARCH_NEED = {
  name: 'Research and Fact-Checking Skills',
  description:
    'A group for school librarians who teach pupils to research a topic, judge whether a website or news story can be ' +
    'trusted, cite what they use and avoid plagiarism.',
  topics: ['Citation', 'fact-checking', 'Research Skills'],
  statementOfNeed:
    'Students struggle to tell reliable sources from misinformation; librarians teaching research lessons want to swap rubrics.',
  plannedActivities: 'Monthly lesson swap; a shared bank of evaluation rubrics.',
};

describe('similarCommunities (the duplicate-need check)', () => {
  it('is refused to anonymous viewers (UNAUTHENTICATED) and to members and council (FORBIDDEN)', async () => {
    expectError(await server.gql(SimilarCommunitiesDocument, { input: RESEARCH_NEED }), 'UNAUTHENTICATED');
    for (const orgRole of [OrgRole.MEMBER, OrgRole.COUNCIL]) {
      const member = await server.factories.member({ orgRole });
      expectError(await server.gql(SimilarCommunitiesDocument, { input: RESEARCH_NEED }, { token: member.token }), 'FORBIDDEN');
    }
  });

  it('refuses a blank name, too many topics and a bad first (BAD_USER_INPUT)', async () => {
    const staff = await server.factories.staff();
    const blank = await server.gql(SimilarCommunitiesDocument, { input: { ...RESEARCH_NEED, name: '  ' } }, { token: staff.token });
    expectError(blank, 'BAD_USER_INPUT');
    expect(badInputFields(blank)).toContain('name');
    const topics = Array.from({ length: 11 }, (_, i) => `topic ${i}`);
    expect(badInputFields(await server.gql(SimilarCommunitiesDocument, { input: { ...RESEARCH_NEED, topics } }, { token: staff.token }))).toContain('topics');
    for (const first of [0, 51]) {
      expect(badInputFields(await server.gql(SimilarCommunitiesDocument, { input: RESEARCH_NEED, first }, { token: staff.token }))).toEqual(['first']);
    }
  });

  it('ranks the overlapping demo community first, with human reasons (staff and board)', async () => {
    const board = await server.factories.member({ orgRole: OrgRole.BOARD });
    const staff = await server.factories.staff();
    for (const reader of [board, staff]) {
      const { similarCommunities } = expectData(await server.gql(SimilarCommunitiesDocument, { input: RESEARCH_NEED }, { token: reader.token }));
      // Printed for the record (the report quotes it).
      if (reader === staff) console.log(JSON.stringify(similarCommunities.map((s) => ({ slug: s.community.slug, score: s.score, reasons: s.reasons })), null, 2));
      const [best, ...rest] = similarCommunities;
      expect(best!.community.slug).toBe('information-literacy');
      expect(best!.reasons).toContain('shares topics: citation, research skills');
      expect(best!.reasons.find((r) => r.startsWith('description overlaps: '))).toMatch(/news.*lessons/);
      expect(best!.reasons.some((r) => r.startsWith('recent discussions overlap: '))).toBe(true);
      expect(best!.score).toBeGreaterThan(0);
      expect(best!.score).toBeLessThanOrEqual(1);
      for (const other of rest) expect(other.score).toBeLessThan(best!.score);
      // Best first.
      expect(similarCommunities.map((s) => s.score)).toEqual([...similarCommunities.map((s) => s.score)].sort((a, b) => b - a));
    }
  });

  it('tells a similar name apart (pg_trgm), leaves retired communities out and never reads restricted threads', async () => {
    const staff = await server.factories.staff();
    const author = await server.factories.member();
    const open = await server.factories.community({ name: 'Zymurgy Circle', description: 'Brewing.', topics: ['brewing'] });
    const closed = await server.factories.community({ name: 'Closed cellar', description: 'Wine.', topics: ['wine'], visibility: CommunityVisibility.RESTRICTED });
    const retired = await server.factories.community({ name: 'Zymurgy Circles Retired', description: 'Brewing.', topics: ['brewing'] });
    await server.em().execute(`update community set status = 'RETIRED', retired_at = now() where id = ?`, [retired.community.id]);
    await server.factories.thread(open, author, { title: 'Sourdough starters and kombucha' });
    await server.factories.thread(closed, author, { title: 'Sourdough starters and kombucha' });
    const need = { name: 'Zymurgy Circles', description: 'Fermentation at school', topics: ['Brewing'], statementOfNeed: 'kombucha and sourdough' };
    const { similarCommunities } = expectData(await server.gql(SimilarCommunitiesDocument, { input: need, first: 10 }, { token: staff.token }));
    const slugs = similarCommunities.map((s) => s.community.slug);
    expect(slugs[0]).toBe(open.community.slug);
    expect(slugs).not.toContain(retired.community.slug);
    expect(slugs).not.toContain(closed.community.slug);
    expect(similarCommunities[0]!.reasons).toEqual([
      'shares topics: brewing',
      'similar name: Zymurgy Circle',
      'recent discussions overlap: kombucha, sourdough',
    ]);
  });
});

describe('rankSimilarCommunities (what CommunityProposal.similarCommunities calls)', () => {
  it('leaves out the communities it is told to (e.g. the one a proposal created) and bounds first', async () => {
    const [{ id }] = await server.em().execute<{ id: string }[]>(`select id from community where slug = 'information-literacy'`);
    const ranked = await rankSimilarCommunities(server.em(), RESEARCH_NEED, { first: 3 });
    expect(ranked[0]).toMatchObject({ communityId: id, reasons: expect.arrayContaining(['shares topics: citation, research skills']) });
    const without = await rankSimilarCommunities(server.em(), RESEARCH_NEED, { first: 3, excludeCommunityIds: [id!] });
    expect(without.map((m) => m.communityId)).not.toContain(id);
    await expect(rankSimilarCommunities(server.em(), RESEARCH_NEED, { first: 0 })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('the demo review', () => {
  it("is last year's review of the reading-promotion community, decided CONTINUE with a note", async () => {
    const staff = await server.factories.staff();
    const { community } = expectData(await server.gql(CommunityReviewsDocument, { slug: 'reading-promotion' }, { token: staff.token }));
    expect(community!.reviews!.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({
        year: new Date().getUTCFullYear() - 1,
        status: 'DECIDED',
        decision: 'CONTINUE',
        decisionNote: expect.stringContaining('book club'),
        startedBy: expect.objectContaining({ id: expect.any(String) }),
      }),
    ]);
  });
});
