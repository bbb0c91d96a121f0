import {
  ApproveMembershipDocument,
  CommunityDocument,
  DeclineMembershipDocument,
  GrantCommunityRoleDocument,
  JoinCommunityDocument,
  LeaveCommunityDocument,
  NodeDocument,
  PendingMembershipsDocument,
  RevokeCommunityRoleDocument,
  UpdateMembershipDocument,
} from '../generated/graphql';
import { CommunityRole, MembershipStatus } from '../support/factories';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('joinCommunity', () => {
  it('needs a signed-in member', async () => {
    const community = await server.factories.community();
    expectError(await server.gql(JoinCommunityDocument, { input: { communityId: community.id } }), 'UNAUTHENTICATED');
  });

  it('makes a member ACTIVE in an OPEN community at once, with their notification choice', async () => {
    const community = await server.factories.community();
    const member = await server.factories.member();
    const { joinCommunity } = expectData(
      await server.gql(JoinCommunityDocument, { input: { communityId: community.id, notificationPreference: 'WEEKLY_DIGEST' } }, { token: member.token }),
    );
    expect(joinCommunity).toMatchObject({ status: 'ACTIVE', roles: [], notificationPreference: 'WEEKLY_DIGEST', member: { id: member.id } });
    expect(joinCommunity.joinedAt).toEqual(expect.any(String));
    expect(joinCommunity.community.memberCount).toBe(1);
  });

  it('is idempotent: joining twice returns the same membership and counts once', async () => {
    const community = await server.factories.community();
    const member = await server.factories.member();
    const first = expectData(await server.gql(JoinCommunityDocument, { input: { communityId: community.id } }, { token: member.token }));
    const second = expectData(await server.gql(JoinCommunityDocument, { input: { communityId: community.id } }, { token: member.token }));
    expect(second.joinCommunity.id).toBe(first.joinCommunity.id);
    expect(second.joinCommunity.community.memberCount).toBe(1);
  });

  it('stays single under concurrent joins by the same member', async () => {
    const community = await server.factories.community();
    const member = await server.factories.member();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => server.gql(JoinCommunityDocument, { input: { communityId: community.id } }, { token: member.token })),
    );
    const ids = new Set(responses.map((r) => expectData(r).joinCommunity.id));
    expect(ids.size).toBe(1);
    expect(expectData(await server.gql(CommunityDocument, { slug: community.community.slug })).community?.memberCount).toBe(1);
  });

  it('makes a join of a RESTRICTED community PENDING, not counted until approved', async () => {
    const community = await server.factories.restrictedCommunity();
    const member = await server.factories.member();
    const { joinCommunity } = expectData(await server.gql(JoinCommunityDocument, { input: { communityId: community.id } }, { token: member.token }));
    expect(joinCommunity.status).toBe('PENDING');
    expect(joinCommunity.joinedAt).toBeNull();
    expect(joinCommunity.community.memberCount).toBe(0);
  });

  it('rejects an ID that is not a community, and an unknown community', async () => {
    const member = await server.factories.member();
    const thread = await server.factories.member();
    const wrongType = await server.gql(JoinCommunityDocument, { input: { communityId: thread.id } }, { token: member.token });
    expect(expectError(wrongType, 'BAD_USER_INPUT').extensions?.fieldErrors).toEqual([expect.objectContaining({ field: 'communityId' })]);
    const unknown = Buffer.from('Community:00000000-0000-4000-8000-000000000000').toString('base64url');
    expectError(await server.gql(JoinCommunityDocument, { input: { communityId: unknown } }, { token: member.token }), 'NOT_FOUND');
  });
});

describe('approveMembership', () => {
  async function pendingSetup() {
    const community = await server.factories.restrictedCommunity();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const applicant = await server.factories.member();
    const pending = await server.factories.membership(applicant, community, { status: MembershipStatus.PENDING });
    return { community, lead, applicant, pending };
  }

  it('is refused to anonymous viewers, the applicant, plain members and monitors', async () => {
    const { community, applicant, pending } = await pendingSetup();
    expectError(await server.gql(ApproveMembershipDocument, { membershipId: pending.id }), 'UNAUTHENTICATED');
    const plain = await server.factories.activeMember(community);
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    for (const token of [applicant.token, plain.token, monitor.token]) {
      expectError(await server.gql(ApproveMembershipDocument, { membershipId: pending.id }, { token }), 'FORBIDDEN');
    }
    const otherLead = await server.factories.activeMember(await server.factories.restrictedCommunity(), [CommunityRole.LEAD]);
    expectError(await server.gql(ApproveMembershipDocument, { membershipId: pending.id }, { token: otherLead.token }), 'FORBIDDEN');
  });

  it('lets a community lead approve: the member becomes ACTIVE and counted', async () => {
    const { lead, pending } = await pendingSetup();
    const { approveMembership } = expectData(await server.gql(ApproveMembershipDocument, { membershipId: pending.id }, { token: lead.token }));
    expect(approveMembership.status).toBe('ACTIVE');
    expect(approveMembership.joinedAt).toEqual(expect.any(String));
    expect(approveMembership.community.memberCount).toBe(2);
  });

  it('lets staff approve without being members', async () => {
    const { pending } = await pendingSetup();
    const staff = await server.factories.staff();
    expect(expectData(await server.gql(ApproveMembershipDocument, { membershipId: pending.id }, { token: staff.token })).approveMembership.status).toBe('ACTIVE');
  });

  it('does not let a LEAD whose membership has lapsed approve', async () => {
    const community = await server.factories.restrictedCommunity();
    const former = await server.factories.member();
    await server.factories.membership(former, community, { status: MembershipStatus.LEFT, roles: [CommunityRole.LEAD] });
    const pending = await server.factories.membership(await server.factories.member(), community, { status: MembershipStatus.PENDING });
    expectError(await server.gql(ApproveMembershipDocument, { membershipId: pending.id }, { token: former.token }), 'FORBIDDEN');
  });

  it('refuses to approve a membership that was withdrawn', async () => {
    const { lead, applicant, community, pending } = await pendingSetup();
    expectData(await server.gql(LeaveCommunityDocument, { communityId: community.id }, { token: applicant.token }));
    expectError(await server.gql(ApproveMembershipDocument, { membershipId: pending.id }, { token: lead.token }), 'CONFLICT');
  });
});

describe('requests to join: pendingMemberships and declineMembership', () => {
  it('shows pending requests, oldest first and paged, to the lead and staff only', async () => {
    const community = await server.factories.restrictedCommunity();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const applicants = [];
    for (let i = 0; i < 3; i++) {
      const applicant = await server.factories.member();
      applicants.push((await server.factories.membership(applicant, community, { status: MembershipStatus.PENDING })).id);
    }
    const slug = community.community.slug;
    const first = expectData(await server.gql(PendingMembershipsDocument, { slug, first: 2 }, { token: lead.token }));
    const page1 = first.community!.pendingMemberships;
    expect(page1!.totalCount).toBe(3);
    expect(page1!.pageInfo.hasNextPage).toBe(true);
    const second = expectData(await server.gql(PendingMembershipsDocument, { slug, first: 2, after: page1!.pageInfo.endCursor }, { token: lead.token }));
    expect([...page1!.edges, ...second.community!.pendingMemberships!.edges].map((e) => e.node.id)).toEqual(applicants);

    const plain = await server.factories.activeMember(community);
    expectError(await server.gql(PendingMembershipsDocument, { slug }, { token: plain.token }), 'FORBIDDEN');
    expectError(await server.gql(PendingMembershipsDocument, { slug }), 'UNAUTHENTICATED');
    const staff = await server.factories.staff();
    expect(expectData(await server.gql(PendingMembershipsDocument, { slug }, { token: staff.token })).community!.pendingMemberships!.totalCount).toBe(3);
  });

  it('lets the lead decline a request; the applicant may ask again later', async () => {
    const community = await server.factories.restrictedCommunity();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const applicant = await server.factories.member();
    const pending = await server.factories.membership(applicant, community, { status: MembershipStatus.PENDING });
    expectError(await server.gql(DeclineMembershipDocument, { membershipId: pending.id }), 'UNAUTHENTICATED');
    expectError(await server.gql(DeclineMembershipDocument, { membershipId: pending.id }, { token: applicant.token }), 'FORBIDDEN');
    const { declineMembership } = expectData(await server.gql(DeclineMembershipDocument, { membershipId: pending.id }, { token: lead.token }));
    expect(declineMembership.status).toBe('DECLINED');
    expectError(await server.gql(ApproveMembershipDocument, { membershipId: pending.id }, { token: lead.token }), 'CONFLICT');
    const again = expectData(await server.gql(JoinCommunityDocument, { input: { communityId: community.id } }, { token: applicant.token }));
    expect(again.joinCommunity).toMatchObject({ id: pending.id, status: 'PENDING' });
  });

  it('refuses to decline an ACTIVE membership', async () => {
    const community = await server.factories.community();
    const staff = await server.factories.staff();
    const member = await server.factories.activeMember(community);
    expectError(await server.gql(DeclineMembershipDocument, { membershipId: member.membershipId }, { token: staff.token }), 'CONFLICT');
  });
});

describe('leaveCommunity', () => {
  it('needs a signed-in member, and a membership to leave', async () => {
    const community = await server.factories.community();
    expectError(await server.gql(LeaveCommunityDocument, { communityId: community.id }), 'UNAUTHENTICATED');
    const stranger = await server.factories.member();
    expectError(await server.gql(LeaveCommunityDocument, { communityId: community.id }, { token: stranger.token }), 'NOT_FOUND');
  });

  it('marks the membership LEFT, drops roles and the count; joining again starts afresh', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const { leaveCommunity } = expectData(await server.gql(LeaveCommunityDocument, { communityId: community.id }, { token: lead.token }));
    expect(leaveCommunity).toMatchObject({ status: 'LEFT', roles: [], joinedAt: null, community: { memberCount: 0 } });
    expectError(await server.gql(LeaveCommunityDocument, { communityId: community.id }, { token: lead.token }), 'NOT_FOUND');
    const { joinCommunity } = expectData(await server.gql(JoinCommunityDocument, { input: { communityId: community.id } }, { token: lead.token }));
    expect(joinCommunity).toMatchObject({ id: leaveCommunity.id, status: 'ACTIVE', roles: [] });
  });
});

describe('updateMembership', () => {
  it('changes only the viewer\'s own notification preference', async () => {
    const community = await server.factories.community();
    expectError(await server.gql(UpdateMembershipDocument, { input: { communityId: community.id, notificationPreference: 'NONE' } }), 'UNAUTHENTICATED');
    const member = await server.factories.activeMember(community);
    const { updateMembership } = expectData(
      await server.gql(UpdateMembershipDocument, { input: { communityId: community.id, notificationPreference: 'DAILY_DIGEST' } }, { token: member.token }),
    );
    expect(updateMembership).toMatchObject({ notificationPreference: 'DAILY_DIGEST', member: { id: member.id } });
    const stranger = await server.factories.member();
    expectError(
      await server.gql(UpdateMembershipDocument, { input: { communityId: community.id, notificationPreference: 'NONE' } }, { token: stranger.token }),
      'NOT_FOUND',
    );
  });

  it('rejects an unknown preference as a validation error', async () => {
    const community = await server.factories.community();
    const member = await server.factories.activeMember(community);
    const response = await server.raw(
      { query: `mutation { updateMembership(input: { communityId: "${community.id}", notificationPreference: HOURLY }) { id } }` },
      { token: member.token },
    );
    expectError(response, 'GRAPHQL_VALIDATION_FAILED');
  });
});

describe('grantCommunityRole and revokeCommunityRole', () => {
  it('are refused to anonymous viewers, plain members and monitors', async () => {
    const community = await server.factories.community();
    const target = await server.factories.activeMember(community);
    const input = { membershipId: target.membershipId, role: 'DISCUSSION_MONITOR' as const };
    expectError(await server.gql(GrantCommunityRoleDocument, { input }), 'UNAUTHENTICATED');
    const plain = await server.factories.activeMember(community);
    const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
    for (const token of [plain.token, monitor.token, target.token]) {
      expectError(await server.gql(GrantCommunityRoleDocument, { input }, { token }), 'FORBIDDEN');
      expectError(await server.gql(RevokeCommunityRoleDocument, { input }, { token }), 'FORBIDDEN');
    }
  });

  it('let a lead grant and revoke volunteer roles, idempotently', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const target = await server.factories.activeMember(community);
    const grant = (role: 'MEETING_COORDINATOR' | 'DISCUSSION_MONITOR') =>
      server.gql(GrantCommunityRoleDocument, { input: { membershipId: target.membershipId, role } }, { token: lead.token });
    expectData(await grant('MEETING_COORDINATOR'));
    expectData(await grant('DISCUSSION_MONITOR'));
    const again = expectData(await grant('DISCUSSION_MONITOR'));
    expect(again.grantCommunityRole.roles).toEqual(['MEETING_COORDINATOR', 'DISCUSSION_MONITOR']);
    const { revokeCommunityRole } = expectData(
      await server.gql(RevokeCommunityRoleDocument, { input: { membershipId: target.membershipId, role: 'MEETING_COORDINATOR' } }, { token: lead.token }),
    );
    expect(revokeCommunityRole.roles).toEqual(['DISCUSSION_MONITOR']);
  });

  it('let staff grant LEAD, after which the new lead can approve members', async () => {
    const community = await server.factories.restrictedCommunity();
    const staff = await server.factories.staff();
    const future = await server.factories.activeMember(community);
    expectData(await server.gql(GrantCommunityRoleDocument, { input: { membershipId: future.membershipId, role: 'LEAD' } }, { token: staff.token }));
    const pending = await server.factories.membership(await server.factories.member(), community, { status: MembershipStatus.PENDING });
    expect(expectData(await server.gql(ApproveMembershipDocument, { membershipId: pending.id }, { token: future.token })).approveMembership.status).toBe('ACTIVE');
  });

  it('stay correct under many concurrent grants by one lead (more than the connection pool)', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const targets = await Promise.all(Array.from({ length: 25 }, () => server.factories.activeMember(community)));
    const responses = await Promise.all(
      targets.map((target) =>
        server.gql(GrantCommunityRoleDocument, { input: { membershipId: target.membershipId, role: 'EVENT_COORDINATOR' } }, { token: lead.token }),
      ),
    );
    for (const response of responses) expect(expectData(response).grantCommunityRole.roles).toEqual(['EVENT_COORDINATOR']);
  });

  it('grants roles to ACTIVE members only', async () => {
    const community = await server.factories.restrictedCommunity();
    const staff = await server.factories.staff();
    const pending = await server.factories.membership(await server.factories.member(), community, { status: MembershipStatus.PENDING });
    expectError(await server.gql(GrantCommunityRoleDocument, { input: { membershipId: pending.id, role: 'LEAD' } }, { token: staff.token }), 'CONFLICT');
  });
});

describe('node(id) for a membership', () => {
  it('shows a RESTRICTED community membership to fellow members, not to outsiders', async () => {
    const community = await server.factories.restrictedCommunity();
    const member = await server.factories.activeMember(community);
    const fellow = await server.factories.activeMember(community);
    const outsider = await server.factories.member();
    expect(expectData(await server.gql(NodeDocument, { id: member.membershipId }, { token: fellow.token })).node).toMatchObject({ __typename: 'Membership', status: 'ACTIVE' });
    expectError(await server.gql(NodeDocument, { id: member.membershipId }, { token: outsider.token }), 'FORBIDDEN');
    expectError(await server.gql(NodeDocument, { id: member.membershipId }), 'FORBIDDEN');
  });
});
