import { useEmbeddedApp } from '../support/embedded';
import {
  AddCommunityStandardDocument,
  AuditLogDocument,
  CommunitiesDocument,
  CommunityStandardsDocument,
  CommunitySupportSummaryDocument,
  CommunityThreadsDocument,
  DecideSupportRequestDocument,
  LogInDocument,
  MergeCommunitiesDocument,
  RequestSupportDocument,
  RetireCommunityDocument,
  SplitCommunityDocument,
} from '../generated/graphql';
import { STAFF_EMAIL } from '../../src/db/seed/demo';
import { runRoleTerms } from '../../src/modules/governance/roles/roleTerms.background';

/** The zero-setup default (embedded PGlite, seeded): standards, support, role terms and the lifecycle end to end. */
describe('governance on the embedded PGlite database', () => {
  const embedded = useEmbeddedApp('practicehub-governance-pglite-', { PROPOSAL_TIMELINE_CRON: '0 0 1 1 *', ROLE_TERMS_CRON: '0 0 1 1 *' });
  async function gql(document: Parameters<typeof embedded.gql>[0], variables: unknown, token?: string) {
    const json = await embedded.gql(document, variables, token);
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data;
  }

  it('adds a standard, decides a support request, runs the role-term job, splits, merges and retires', async () => {
    const staff = (await gql(LogInDocument, { input: { email: STAFF_EMAIL, password: embedded.demo!.password } })).logIn.token as string;

    // Standards and support on the demo's Digital and Technology Tools (two additional standards in the seed).
    const before = (await gql(CommunityStandardsDocument, { slug: 'digital-tools' }, staff)).community;
    expect(before.standards.additions).toHaveLength(2);
    const community = (await gql(AddCommunityStandardDocument, { input: { communityId: before.id, text: 'Test apps before recommending them', rationale: 'Trust' } }, staff))
      .addCommunityStandard;
    const after = (await gql(CommunityStandardsDocument, { slug: 'digital-tools' }, staff)).community;
    expect(community.id).toBe(before.id);
    expect(after.standards.additions).toHaveLength(3);
    expect(after.standards.version).not.toBe(before.standards.version);
    const support = (await gql(CommunitySupportSummaryDocument, { slug: 'digital-tools' })).community.support;
    expect(support).toMatchObject({ listed: true, mailingListAddress: 'digital-tools@lists.practicehub.localhost', hostedMeetings: true, announcements: true });
    const request = (await gql(RequestSupportDocument, { input: { communityId: before.id, kind: 'PRACTICE_SESSION', details: 'A practice session on app reviews', estimatedCost: '120.50' } }, staff))
      .requestSupport;
    expect(request).toMatchObject({ status: 'REQUESTED', estimatedCostCents: 12050 });
    expect((await gql(DecideSupportRequestDocument, { input: { requestId: request.id, approve: true, note: 'Yes' } }, staff)).decideSupportRequest.status).toBe('APPROVED');

    // The role-term job's SQL (warnings, lapses) on PGlite: the seed has a term ending within 14 days.
    const { warned } = await runRoleTerms(embedded.app.services, new Date());
    expect(warned).toBeGreaterThanOrEqual(1);

    // Split Teacher Collaboration in two, merge the parts again, retire the result.
    const original = (await gql(CommunityThreadsDocument, { slug: 'teacher-collaboration', first: 100 }, staff)).community;
    const threadIds = original.threads.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(threadIds.length).toBeGreaterThan(1);
    const half = Math.ceil(threadIds.length / 2);
    const parts = [
      { name: 'Co-teaching', slug: 'co-teaching', description: 'Planning lessons together', topics: ['co-teaching'], threadIds: threadIds.slice(0, half) },
      { name: 'Curriculum mapping', slug: 'curriculum-mapping', description: 'Mapping the library to the curriculum', topics: ['curriculum'], threadIds: threadIds.slice(half) },
    ];
    const split = (await gql(SplitCommunityDocument, { input: { communityId: original.id, parts } }, staff)).splitCommunity;
    expect(split.map((c: { slug: string }) => c.slug).sort()).toEqual(['co-teaching', 'curriculum-mapping']);
    const merged = (
      await gql(MergeCommunitiesDocument, { input: { communityIds: split.map((c: { id: string }) => c.id), into: { name: 'Teaching together', slug: 'teaching-together', description: 'Again one', topics: ['collaboration'] } } }, staff)
    ).mergeCommunities;
    const mergedThreads = (await gql(CommunityThreadsDocument, { slug: 'teaching-together', first: 100 }, staff)).community.threads;
    expect(mergedThreads.totalCount).toBe(threadIds.length);
    expect(mergedThreads.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual([...threadIds].sort());
    const retired = (await gql(RetireCommunityDocument, { input: { communityId: merged.id, reason: 'Folded into the curriculum team' } }, staff)).retireCommunity;
    expect(retired).toMatchObject({ status: 'RETIRED' });
    const listed = (await gql(CommunitiesDocument, { first: 100 })).communities.edges.map((e: { node: { slug: string } }) => e.node.slug);
    for (const slug of ['teacher-collaboration', 'co-teaching', 'curriculum-mapping', 'teaching-together']) expect(listed).not.toContain(slug);

    const actions = (await gql(AuditLogDocument, { first: 100 }, staff)).auditLog.edges.map((e: { node: { action: string } }) => e.node.action);
    expect(actions).toEqual(expect.arrayContaining(['standard.added', 'supportRequest.decided', 'community.split', 'community.merged', 'community.retired']));
  }, 90_000);
});
