import type { Em } from '../../src/db/orm';
import { DEMO_PASSWORD, STAFF_EMAIL } from '../../src/db/seed/demo';
import { useEmbeddedApp } from '../support/embedded';
import { CommunityHealthRankingDocument, CommunityReviewsDocument, LogInDocument, SimilarCommunitiesDocument } from '../generated/graphql';

/** The zero-setup default (embedded PGlite): pg_trgm is loaded into the instance and created by the migrations. */
describe('health and the duplicate-need check on the embedded PGlite database', () => {
  const embedded = useEmbeddedApp('practicehub-health-pglite-');
  async function gql(document: Parameters<typeof embedded.gql>[0], variables: unknown, token?: string) {
    const json = await embedded.gql(document, variables, token);
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data;
  }

  it('has pg_trgm, ranks similar communities by name and topics, and ranks health', async () => {
    const em = embedded.app.services.orm.em.fork() as Em;
    const [extension] = await em.execute<{ extname: string }[]>(`select extname from pg_extension where extname = 'pg_trgm'`);
    expect(extension?.extname).toBe('pg_trgm');

    const staff = (await gql(LogInDocument, { input: { email: STAFF_EMAIL, password: DEMO_PASSWORD } })).logIn.token as string;
    const need = { name: 'Literature and Reading Promotions', description: 'Book clubs for reluctant readers', topics: ['Book Clubs'], statementOfNeed: '' };
    const similar = (await gql(SimilarCommunitiesDocument, { input: need }, staff)).similarCommunities;
    expect(similar[0].community.slug).toBe('reading-promotion');
    expect(similar[0].reasons).toEqual(expect.arrayContaining(['shares topics: book clubs', 'similar name: Literature and Reading Promotion']));

    const ranking = (await gql(CommunityHealthRankingDocument, { days: 90 }, staff)).communityHealthRanking;
    // Every ACTIVE community: the demo's five and the one its approved proposal founded.
    const [active] = await em.execute<{ n: string }[]>(`select count(*) as n from community where status = 'ACTIVE'`);
    expect(Number(active!.n)).toBe(6);
    expect(ranking.totalCount).toBe(6);
    expect(ranking.edges[0].rank).toBe(1);
    expect(ranking.edges[0].health.threadsStarted).toBeGreaterThan(0);
    expect(typeof ranking.edges[0].health.medianFirstReplyMinutes).toBe('number');

    const reviews = (await gql(CommunityReviewsDocument, { slug: 'reading-promotion' }, staff)).community.reviews;
    expect(reviews.edges[0].node.decision).toBe('CONTINUE');
  });
});
