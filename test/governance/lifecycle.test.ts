import {
  AuditLogDocument,
  ChangeCommunityFocusDocument,
  CommunitiesDocument,
  JoinCommunityDocument,
  LifecycleCommunityBySlugDocument,
  MergeCommunitiesDocument,
  RetireCommunityDocument,
  SplitCommunityDocument,
  StartThreadDocument,
  ThreadDocument,
} from '../generated/graphql';
import { OrgRole } from '../support/factories';
import { badInputFields, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { freshSlug, snapshot } from './lifecycleSupport';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const part = (name: string, threadIds: string[] = []) => ({ name, slug: freshSlug(name.toLowerCase().replace(/\W+/g, '-')), description: `The ${name} part`, topics: [], threadIds });
const into = (name = 'Merged community') => ({ name, slug: freshSlug('merged'), description: 'Both, together', topics: ['merged'] });

describe('lifecycle refusals', () => {
  it('refuses every lifecycle mutation to anonymous viewers (UNAUTHENTICATED) and to members, council and board (FORBIDDEN), writing nothing', async () => {
    const a = await server.factories.community();
    const b = await server.factories.community();
    const member = await server.factories.activeMember(a);
    const thread = await server.factories.thread(a, member);
    const before = await snapshot(server);
    const calls = [
      () => [ChangeCommunityFocusDocument, { input: { communityId: a.id, name: 'Renamed' } }] as const,
      () => [RetireCommunityDocument, { input: { communityId: a.id, reason: 'Quiet' } }] as const,
      () => [SplitCommunityDocument, { input: { communityId: a.id, parts: [part('One', [thread.id]), part('Two')] } }] as const,
      () => [MergeCommunitiesDocument, { input: { communityIds: [a.id, b.id], into: into() } }] as const,
    ];
    const outsiders = [member, await server.factories.member({ orgRole: OrgRole.COUNCIL }), await server.factories.member({ orgRole: OrgRole.BOARD })];
    for (const call of calls) {
      const [document, variables] = call();
      const anonymous = await server.gql(document as never, variables as never);
      expectError(anonymous, 'UNAUTHENTICATED');
      for (const outsider of outsiders) {
        const response = await server.gql(document as never, variables as never, { token: outsider.token });
        expectError(response, 'FORBIDDEN');
        expect(response.data).toBeNull();
      }
    }
    expect(await snapshot(server)).toEqual(before);
  });

  it('refuses a split with a thread of another community (BAD_USER_INPUT naming it), a thread in two parts and fewer than two parts; nothing changes', async () => {
    const staff = await server.factories.staff();
    const original = await server.factories.community();
    const other = await server.factories.community();
    const author = await server.factories.activeMember(original);
    const own = await server.factories.thread(original, author);
    const foreign = await server.factories.thread(other, author);
    const before = await snapshot(server);

    const stray = await server.gql(SplitCommunityDocument, { input: { communityId: original.id, parts: [part('One', [own.id]), part('Two', [foreign.id])] } }, { token: staff.token });
    const error = expectError(stray, 'BAD_USER_INPUT');
    expect(error.extensions?.fieldErrors).toEqual([{ field: 'parts.1.threadIds', message: expect.stringContaining(foreign.id) }]);

    const twice = await server.gql(SplitCommunityDocument, { input: { communityId: original.id, parts: [part('One', [own.id]), part('Two', [own.id])] } }, { token: staff.token });
    expect(badInputFields(twice)).toEqual(['parts.1.threadIds']);

    const single = await server.gql(SplitCommunityDocument, { input: { communityId: original.id, parts: [part('Alone', [own.id])] } }, { token: staff.token });
    expect(badInputFields(single)).toEqual(['parts']);

    const wrongType = await server.gql(SplitCommunityDocument, { input: { communityId: original.id, parts: [part('One', [original.id]), part('Two')] } }, { token: staff.token });
    expectError(wrongType, 'BAD_USER_INPUT');
    expect(await snapshot(server)).toEqual(before);
  });

  it('refuses to merge a community with itself, with a RETIRED one, or one alone (BAD_USER_INPUT); nothing is written', async () => {
    const staff = await server.factories.staff();
    const a = await server.factories.community();
    const retired = await server.factories.community();
    expectData(await server.gql(RetireCommunityDocument, { input: { communityId: retired.id, reason: 'Done' } }, { token: staff.token }));
    const before = await snapshot(server);

    const itself = await server.gql(MergeCommunitiesDocument, { input: { communityIds: [a.id, a.id], into: into() } }, { token: staff.token });
    expect(expectError(itself, 'BAD_USER_INPUT').extensions?.fieldErrors).toEqual([{ field: 'communityIds', message: expect.stringContaining('merge with itself') }]);
    const withRetired = await server.gql(MergeCommunitiesDocument, { input: { communityIds: [a.id, retired.id], into: into() } }, { token: staff.token });
    expect(expectError(withRetired, 'BAD_USER_INPUT').extensions?.fieldErrors).toEqual([{ field: 'communityIds', message: expect.stringContaining('retired') }]);
    expect(badInputFields(await server.gql(MergeCommunitiesDocument, { input: { communityIds: [a.id], into: into() } }, { token: staff.token }))).toEqual(['communityIds']);
    expect(await snapshot(server)).toEqual(before);
  });

  it('refuses a taken slug (CONFLICT) on split and merge, writing nothing', async () => {
    const staff = await server.factories.staff();
    const taken = await server.factories.community();
    const a = await server.factories.community();
    const b = await server.factories.community();
    const author = await server.factories.activeMember(a);
    const thread = await server.factories.thread(a, author);
    const before = await snapshot(server);
    const parts = [part('Fine', [thread.id]), { ...part('Clash'), slug: taken.community.slug }];
    expectError(await server.gql(SplitCommunityDocument, { input: { communityId: a.id, parts } }, { token: staff.token }), 'CONFLICT');
    expectError(await server.gql(MergeCommunitiesDocument, { input: { communityIds: [a.id, b.id], into: { ...into(), slug: taken.community.slug } } }, { token: staff.token }), 'CONFLICT');
    expect(await snapshot(server)).toEqual(before);
  });

  it('refuses to merge RESTRICTED content into an OPEN community without a visibilityRationale, and RESTRICTED without a membership rationale', async () => {
    const staff = await server.factories.staff();
    const restricted = await server.factories.restrictedCommunity();
    const open = await server.factories.community();
    const other = await server.factories.community();
    const before = await snapshot(server);
    const lowering = await server.gql(MergeCommunitiesDocument, { input: { communityIds: [restricted.id, open.id], into: { ...into(), visibility: 'OPEN' } } }, { token: staff.token });
    expect(badInputFields(lowering)).toEqual(['visibilityRationale']);
    const blank = await server.gql(
      MergeCommunitiesDocument,
      { input: { communityIds: [restricted.id, open.id], into: { ...into(), visibility: 'OPEN' }, visibilityRationale: '   ' } },
      { token: staff.token },
    );
    expect(badInputFields(blank)).toEqual(['visibilityRationale']);
    const noRationale = await server.gql(MergeCommunitiesDocument, { input: { communityIds: [open.id, other.id], into: { ...into(), visibility: 'RESTRICTED' } } }, { token: staff.token });
    expect(badInputFields(noRationale)).toEqual(['into.membershipRationale']);
    expect(await snapshot(server)).toEqual(before);
  });

  it('refuses a blank reason, retiring twice, changing a retired community and a focus change with nothing in it', async () => {
    const staff = await server.factories.staff();
    const community = await server.factories.community();
    expect(badInputFields(await server.gql(RetireCommunityDocument, { input: { communityId: community.id, reason: ' ' } }, { token: staff.token }))).toEqual(['reason']);
    expect(badInputFields(await server.gql(ChangeCommunityFocusDocument, { input: { communityId: community.id } }, { token: staff.token }))).toEqual([
      'name',
      'description',
      'topics',
    ]);
    expectData(await server.gql(RetireCommunityDocument, { input: { communityId: community.id, reason: 'Its work is done' } }, { token: staff.token }));
    const before = await snapshot(server);
    const again = await server.gql(RetireCommunityDocument, { input: { communityId: community.id, reason: 'Again' } }, { token: staff.token });
    expect(expectError(again, 'BAD_USER_INPUT').extensions?.fieldErrors).toEqual([{ field: 'communityId', message: expect.stringContaining('retired') }]);
    expect(badInputFields(await server.gql(ChangeCommunityFocusDocument, { input: { communityId: community.id, name: 'Revived' } }, { token: staff.token }))).toEqual([
      'communityId',
    ]);
    expect(await snapshot(server)).toEqual(before);
  });
});

describe('changeCommunityFocus', () => {
  it('changes the name, description and topics (slug, members and content stay), with the audit entry holding before and after', async () => {
    const staff = await server.factories.staff();
    const community = await server.factories.community({ name: 'Old focus', description: 'Old description', topics: ['old'] });
    await server.factories.activeMember(community);
    const { changeCommunityFocus } = expectData(
      await server.gql(
        ChangeCommunityFocusDocument,
        { input: { communityId: community.id, name: 'New focus', topics: ['New', 'second'] } },
        { token: staff.token },
      ),
    );
    expect(changeCommunityFocus).toMatchObject({
      id: community.id,
      slug: community.community.slug,
      name: 'New focus',
      description: 'Old description',
      topics: ['new', 'second'],
      status: 'ACTIVE',
      memberCount: 1,
      successors: [],
      retiredAt: null,
    });
    const { auditLog } = expectData(await server.gql(AuditLogDocument, { communityId: community.id }, { token: staff.token }));
    expect(auditLog.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({
        action: 'community.focusChanged',
        actor: expect.objectContaining({ id: staff.id }),
        details: { before: { name: 'Old focus', topics: ['old'] }, after: { name: 'New focus', topics: ['new', 'second'] } },
      }),
    ]);
  });
});

describe('retireCommunity', () => {
  it('makes the community RETIRED, unlisted and read-only, still found by slug with its content readable, audited with the reason', async () => {
    const staff = await server.factories.staff();
    const community = await server.factories.community({ name: 'Soon retired' });
    const member = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, member, { title: 'Archived thread' });
    const listed = async () => expectData(await server.gql(CommunitiesDocument, { first: 100 })).communities.edges.map((e) => e.node.slug);
    expect(await listed()).toContain(community.community.slug);

    const { retireCommunity } = expectData(await server.gql(RetireCommunityDocument, { input: { communityId: community.id, reason: '  Nobody came  ' } }, { token: staff.token }));
    expect(retireCommunity).toMatchObject({ id: community.id, status: 'RETIRED', successors: [], mergedInto: null });
    expect(Date.parse(retireCommunity.retiredAt!)).toBeGreaterThan(Date.now() - 60_000);
    const [row] = await server.em().execute<{ listed: boolean }[]>('select listed from community where id = ?', [community.community.id]);
    expect(row!.listed).toBe(false);

    // Not listed (and not counted), still found by slug, its thread still readable; writes refused.
    expect(await listed()).not.toContain(community.community.slug);
    const { communities } = expectData(await server.gql(CommunitiesDocument, { first: 100 }));
    expect(communities.totalCount).toBe(communities.edges.length);
    expect(expectData(await server.gql(LifecycleCommunityBySlugDocument, { slug: community.community.slug })).community).toMatchObject({ status: 'RETIRED' });
    expect(expectData(await server.gql(ThreadDocument, { id: thread.id })).thread).toMatchObject({ title: 'Archived thread' });
    expectError(await server.gql(StartThreadDocument, { input: { communityId: community.id, title: 'Late', body: 'Anyone?' } }, { token: member.token }), 'FORBIDDEN');
    const newcomer = await server.factories.member();
    expectError(await server.gql(JoinCommunityDocument, { input: { communityId: community.id } }, { token: newcomer.token }), 'FORBIDDEN');

    const { auditLog } = expectData(await server.gql(AuditLogDocument, { communityId: community.id }, { token: staff.token }));
    expect(auditLog.edges[0]!.node).toMatchObject({
      action: 'community.retired',
      subject: { id: community.id },
      details: {
        before: { status: 'ACTIVE', listed: true, retiredAt: null },
        after: { status: 'RETIRED', listed: false, retiredAt: retireCommunity.retiredAt },
        reason: 'Nobody came',
        successors: [],
      },
    });
    const [event] = await server.em().execute<{ payload: Record<string, unknown> }[]>("select payload from domain_event where type = 'CommunityRetired' and community_id = ?", [
      community.community.id,
    ]);
    expect(event!.payload).toEqual({ type: 'CommunityRetired', communityId: community.community.id, change: 'RETIRED', reason: 'Nobody came', successorIds: [] });
  });
});
