import { CommunityResourcesDocument, RemoveResourceDocument, ResourceNodeDocument, ShareResourceDocument } from '../generated/graphql';
import type { ShareResourceInput } from '../generated/graphql';
import { expectData, expectError, startTestServer, type TestServer, badInputFields as fieldsOf } from '../support/server';
import { CommunityRole, MembershipStatus } from '../support/factories';
import { toGlobalId } from '../../src/shared/ids';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const share = (input: Partial<ShareResourceInput> & { communityId: string }, token?: string) =>
  server.gql(ShareResourceDocument, { input: { title: 'A good read', url: 'https://example.org/read', ...input } }, { token });

async function storedCount(communityId: string): Promise<number> {
  const [row] = await server.em().execute<{ n: string }[]>('select count(*) as n from resource where community_id = ?', [communityId]);
  return Number(row!.n);
}

describe('shareResource', () => {
  it('refuses an anonymous viewer as UNAUTHENTICATED', async () => {
    const community = await server.factories.community();
    expectError(await share({ communityId: community.id }), 'UNAUTHENTICATED');
    expect(await storedCount(community.community.id)).toBe(0);
  });

  it.each([
    ['a member who never joined', null],
    ['a PENDING member', MembershipStatus.PENDING],
    ['a member who LEFT', MembershipStatus.LEFT],
  ])('is FORBIDDEN to %s', async (_name, status) => {
    const community = await server.factories.community();
    const member = await server.factories.member();
    if (status) await server.factories.membership(member, community, { status });
    expectError(await share({ communityId: community.id }, member.token), 'FORBIDDEN');
    expect(await storedCount(community.community.id)).toBe(0);
  });

  it('is FORBIDDEN in a RESTRICTED community to a non-member, even staff who may read it', async () => {
    const community = await server.factories.restrictedCommunity();
    const outsider = await server.factories.member();
    const staff = await server.factories.staff();
    expectError(await share({ communityId: community.id }, outsider.token), 'FORBIDDEN');
    expectError(await share({ communityId: community.id }, staff.token), 'FORBIDDEN');
    expect(await storedCount(community.community.id)).toBe(0);
  });

  it('stores what an ACTIVE member shares: normalised URL and tags, trimmed text, kind', async () => {
    const community = await server.factories.restrictedCommunity();
    const member = await server.factories.activeMember(community);
    const { shareResource } = expectData(
      await share(
        {
          communityId: community.id,
          title: '  Fact-checking lesson plans  ',
          url: '  HTTPS://Example.ORG:443/Lessons?unit=2#top ',
          description: ' Ready to use. ',
          kind: 'DOCUMENT',
          tags: ['  Information Literacy ', 'information   literacy', 'K-12'],
        },
        member.token,
      ),
    );
    expect(shareResource).toMatchObject({
      title: 'Fact-checking lesson plans',
      url: 'https://example.org/Lessons?unit=2#top',
      description: 'Ready to use.',
      kind: 'DOCUMENT',
      tags: ['information literacy', 'k-12'],
      endorsementCount: 0,
      viewerEndorsed: false,
      community: { id: community.id },
      sharedBy: { id: member.id },
    });
    expect(Date.parse(shareResource.createdAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('defaults kind to LINK and description to empty', async () => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    const { shareResource } = expectData(await share({ communityId: community.id, url: 'http://example.org' }, member.token));
    expect(shareResource).toMatchObject({ kind: 'LINK', description: '', tags: [], url: 'http://example.org/' });
  });

  it.each([
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['JavaScript: with odd case and spaces', ' JaVaScRiPt:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['ftp:', 'ftp://files.example.org/a.pdf'],
    ['file:', 'file:///etc/passwd'],
    ['mailto:', 'mailto:someone@example.org'],
    ['a relative path', '/lessons/1'],
    ['a bare host', 'example.org'],
    ['protocol-relative', '//example.org/a'],
    ['a scheme without slashes', 'http:example.org'],
    ['no host', 'https://'],
    ['embedded credentials', 'https://trusted.example.org@evil.example/'],
    ['a space inside', 'https://exa mple.org/'],
    ['a control character', 'https://example.org/\u0000a'],
    ['empty', ''],
    ['too long', `https://example.org/${'a'.repeat(2100)}`],
  ])('refuses %s as a URL: BAD_USER_INPUT on url, nothing stored', async (_name, url) => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    expect(fieldsOf(await share({ communityId: community.id, url }, member.token))).toContain('url');
    expect(await storedCount(community.community.id)).toBe(0);
  });

  it('bounds tags, title and description', async () => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    expect(fieldsOf(await share({ communityId: community.id, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, member.token))).toContain('tags');
    expect(fieldsOf(await share({ communityId: community.id, tags: ['x'.repeat(41)] }, member.token))).toContain('tags');
    expect(fieldsOf(await share({ communityId: community.id, tags: ['   '] }, member.token))).toContain('tags');
    expect(fieldsOf(await share({ communityId: community.id, title: '   ' }, member.token))).toContain('title');
    expect(fieldsOf(await share({ communityId: community.id, title: 'x'.repeat(201) }, member.token))).toContain('title');
    expect(fieldsOf(await share({ communityId: community.id, description: 'x'.repeat(5001) }, member.token))).toContain('description');
    expect(fieldsOf(await share({ communityId: 'not-an-id' }, member.token))).toContain('communityId');
    expect(await storedCount(community.community.id)).toBe(0);
  });

  it.each([
    ['a NUL in the title', { title: 'Lesson\u0000plans' }, 'title'],
    ['a NUL in the description', { description: 'Ready\u0000to use' }, 'description'],
    ['a NUL in a tag', { tags: ['ok', 'k-\u000012'] }, 'tags'],
    ['another control character in the title', { title: 'Bell\u0007' }, 'title'],
  ])('refuses %s as BAD_USER_INPUT on that field (PostgreSQL text cannot hold NUL), nothing stored', async (_name, input, field) => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    expect(fieldsOf(await share({ communityId: community.id, ...input }, member.token))).toEqual([field]);
    expect(await storedCount(community.community.id)).toBe(0);
    expect(server.unexpectedErrors).toEqual([]);
  });

  it('keeps line breaks and tabs in a description', async () => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    const { shareResource } = expectData(await share({ communityId: community.id, description: 'Step 1\n\tStep 2' }, member.token));
    expect(shareResource.description).toBe('Step 1\n\tStep 2');
  });
});

describe('removeResource', () => {
  async function world() {
    const community = await server.factories.community();
    const sharer = await server.factories.activeMember(community);
    const { resource, id } = await server.factories.resource(community, sharer, { title: 'To be removed' });
    return { community, sharer, resource, id };
  }
  const remove = (id: string, token?: string) => server.gql(RemoveResourceDocument, { resourceId: id }, { token });
  const listed = async (slug: string) =>
    expectData(await server.gql(CommunityResourcesDocument, { slug })).community!.resources!.edges.map((e) => e.node.id);

  it('refuses anonymous (UNAUTHENTICATED), other members and discussion monitors (FORBIDDEN)', async () => {
    const { community, id } = await world();
    const other = await server.factories.activeMember(community);
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    expectError(await remove(id), 'UNAUTHENTICATED');
    expectError(await remove(id, other.token), 'FORBIDDEN');
    expectError(await remove(id, monitor.token), 'FORBIDDEN');
    expect(await listed(community.community.slug)).toEqual([id]);
  });

  it('is FORBIDDEN in a RESTRICTED community to a non-member, and NOT_FOUND for an unknown resource', async () => {
    const community = await server.factories.restrictedCommunity();
    const sharer = await server.factories.activeMember(community);
    const { id } = await server.factories.resource(community, sharer);
    const outsider = await server.factories.member();
    expectError(await remove(id, outsider.token), 'FORBIDDEN');
    expectError(await remove(toGlobalId('Resource', '00000000-0000-4000-8000-000000000000'), sharer.token), 'NOT_FOUND');
    expect(fieldsOf(await remove(toGlobalId('Thread', '00000000-0000-4000-8000-000000000000'), sharer.token))).toEqual(['resourceId']);
  });

  it.each([
    ['the sharer', 'sharer'],
    ['a community LEAD', 'lead'],
    ['staff', 'staff'],
  ])('lets %s remove it: gone from the list and from node(id); removing again changes nothing', async (_name, who) => {
    const { community, sharer, resource, id } = await world();
    const token =
      who === 'sharer'
        ? sharer.token
        : who === 'lead'
          ? (await server.factories.activeMember(community, [CommunityRole.LEAD])).token
          : (await server.factories.staff()).token;
    expect(expectData(await remove(id, token)).removeResource).toEqual({ id, title: 'To be removed' });
    expect(await listed(community.community.slug)).toEqual([]);
    expect(expectData(await server.gql(ResourceNodeDocument, { id })).node).toBeNull();
    expect(expectData(await remove(id, token)).removeResource.id).toBe(id);
    const [row] = await server.em().execute<{ removed_at: string | null }[]>('select removed_at from resource where id = ?', [resource.id]);
    expect(row!.removed_at).not.toBeNull();
  });

  it('lets a sharer who has since left an OPEN community still remove what they shared', async () => {
    const { community, sharer, id } = await world();
    await server.em().execute("update membership set status = 'LEFT' where member_id = ? and community_id = ?", [sharer.member.id, community.community.id]);
    expectData(await remove(id, sharer.token));
    expect(await listed(community.community.slug)).toEqual([]);
  });
});

describe('node(id) for a Resource', () => {
  it('reads an OPEN community resource anonymously and refuses a RESTRICTED one to non-members (FORBIDDEN)', async () => {
    const open = await server.factories.community();
    const restricted = await server.factories.restrictedCommunity();
    const sharer = await server.factories.activeMember(open);
    await server.factories.membership(sharer, restricted);
    const visible = await server.factories.resource(open, sharer, { title: 'Open resource' });
    const hidden = await server.factories.resource(restricted, sharer, { title: 'Members only' });

    expect(expectData(await server.gql(ResourceNodeDocument, { id: visible.id })).node).toMatchObject({ __typename: 'Resource', title: 'Open resource' });
    const anonymous = await server.gql(ResourceNodeDocument, { id: hidden.id });
    expectError(anonymous, 'FORBIDDEN');
    expect(JSON.stringify(anonymous)).not.toContain('Members only');
    const outsider = await server.factories.member();
    expectError(await server.gql(ResourceNodeDocument, { id: hidden.id }, { token: outsider.token }), 'FORBIDDEN');
    expect(expectData(await server.gql(ResourceNodeDocument, { id: hidden.id }, { token: sharer.token })).node).toMatchObject({ title: 'Members only' });
  });
});
