import { ProposalSimilarNodeDocument, ProposalsSimilarDocument } from '../generated/graphql';
import { OrgRole } from '../support/factories';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';

// CommunityProposal.similarCommunities on the demo data (loaded when the server starts on its empty database).
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ SEED_ON_EMPTY: 'true' });
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const proposalsAs = async (token: string, status?: 'SUBMITTED' | 'APPROVED') =>
  expectData(await server.gql(ProposalsSimilarDocument, { status, first: 20 }, { token })).proposals.edges.map((edge) => edge.node);

describe('CommunityProposal.similarCommunities', () => {
  it("ranks the demo community that already meets the submitted AI proposal's need first, with reasons (board and staff)", async () => {
    for (const orgRole of [OrgRole.BOARD, OrgRole.STAFF]) {
      const reader = await server.factories.member({ orgRole });
      const [proposal] = (await proposalsAs(reader.token, 'SUBMITTED')).filter((p) => p.slug === 'ai-in-school-libraries');
      const [best, ...rest] = proposal!.similarCommunities;
      expect(best!.community.slug).toBe('digital-tools');
      expect(best!.reasons.length).toBeGreaterThan(0);
      expect(best!.reasons.every((reason) => /^(shares topics|description overlaps|recent discussions overlap|similar name): \S/.test(reason))).toBe(true);
      for (const other of rest) expect(other.score).toBeLessThanOrEqual(best!.score);
    }
  });

  it('leaves out the community an approved proposal founded', async () => {
    const staff = await server.factories.staff();
    const approved = await proposalsAs(staff.token, 'APPROVED');
    expect(approved.length).toBeGreaterThan(0);
    for (const proposal of approved) {
      expect(proposal.community).not.toBeNull();
      expect(proposal.similarCommunities.map((s) => s.community.id)).not.toContain(proposal.community!.id);
    }
  });

  it('is read only with the proposal: another member reaching it through node(id) is FORBIDDEN', async () => {
    const staff = await server.factories.staff();
    const [proposal] = await proposalsAs(staff.token, 'SUBMITTED');
    const member = await server.factories.member();
    const response = await server.gql(ProposalSimilarNodeDocument, { id: proposal!.id }, { token: member.token });
    expectError(response, 'FORBIDDEN');
    expect(response.data?.node ?? null).toBeNull();
  });
});
