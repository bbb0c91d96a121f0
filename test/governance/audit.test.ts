import { AuditEntryNodeDocument, AuditLogDocument, CreateCommunityDocument } from '../generated/graphql';
import { OrgRole } from '../support/factories';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const slug = () => `audited-${Math.random().toString(36).slice(2, 8)}`;

async function createdByStaff() {
  const staff = await server.factories.staff();
  const input = { name: 'Audited community', slug: slug(), description: 'Founded directly by staff', topics: ['audit'], joinAsLead: true };
  const { createCommunity } = expectData(await server.gql(CreateCommunityDocument, { input }, { token: staff.token }));
  return { staff, community: createCommunity };
}

describe('auditLog', () => {
  it('is refused to anonymous viewers (UNAUTHENTICATED) and to members and council members (FORBIDDEN)', async () => {
    expectError(await server.gql(AuditLogDocument, {}), 'UNAUTHENTICATED');
    for (const orgRole of [OrgRole.MEMBER, OrgRole.COUNCIL]) {
      const member = await server.factories.member({ orgRole });
      const response = await server.gql(AuditLogDocument, {}, { token: member.token });
      expectError(response, 'FORBIDDEN');
      expect(response.data).toBeNull();
    }
  });

  it('records who founded a community, when and with what, for staff and board (one community or all)', async () => {
    const { staff, community } = await createdByStaff();
    const other = await createdByStaff();
    const board = await server.factories.member({ orgRole: OrgRole.BOARD });
    for (const reader of [staff, board]) {
      const { auditLog } = expectData(await server.gql(AuditLogDocument, { communityId: community.id }, { token: reader.token }));
      expect(auditLog.totalCount).toBe(1);
      const entry = auditLog.edges[0]!.node;
      expect(entry).toMatchObject({
        action: 'community.created',
        actor: { id: staff.id },
        community: { id: community.id, slug: community.slug },
        subjectNodeId: community.id,
        subject: { id: community.id, __typename: 'Community' },
      });
      expect(entry.details).toMatchObject({ after: { slug: community.slug, visibility: 'OPEN', topics: ['audit'] } });
      expect(Date.parse(entry.at)).toBeGreaterThan(Date.now() - 60_000);
    }
    const { auditLog: all } = expectData(await server.gql(AuditLogDocument, { first: 1 }, { token: board.token }));
    expect(all.totalCount).toBeGreaterThanOrEqual(2);
    // Newest first, paged by cursor.
    expect(all.edges[0]!.node.community?.id).toBe(other.community.id);
    const { auditLog: next } = expectData(await server.gql(AuditLogDocument, { first: 1, after: all.pageInfo.endCursor }, { token: board.token }));
    expect(next.edges[0]!.node.community?.id).toBe(community.id);
  });

  it('keeps entries from members through node(id), and refuses a bad cursor', async () => {
    const { staff, community } = await createdByStaff();
    const { auditLog } = expectData(await server.gql(AuditLogDocument, { communityId: community.id }, { token: staff.token }));
    const id = auditLog.edges[0]!.node.id;
    const member = await server.factories.member();
    expectError(await server.gql(AuditEntryNodeDocument, { id }, { token: member.token }), 'FORBIDDEN');
    expectError(await server.gql(AuditEntryNodeDocument, { id }), 'FORBIDDEN');
    const { node } = expectData(await server.gql(AuditEntryNodeDocument, { id }, { token: staff.token }));
    expect(node).toMatchObject({ __typename: 'AuditEntry', action: 'community.created' });
    expectError(await server.gql(AuditLogDocument, { after: 'not-a-cursor' }, { token: staff.token }), 'BAD_USER_INPUT');
  });
});
