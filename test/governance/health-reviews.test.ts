import {
  AuditLogDocument,
  CommunityHealthDocument,
  CommunityReviewNodeDocument,
  CommunityReviewsDocument,
  DecideCommunityReviewDocument,
  StartCommunityReviewDocument,
} from '../generated/graphql';
import { CommunityRole, OrgRole } from '../support/factories';
import { badInputFields, countRows, expectData, expectError, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

/** This year in the organisation's zone (ORG_TIME_ZONE defaults to America/Chicago). */
const thisYear = () => Number(new Intl.DateTimeFormat('en-US', { timeZone: server.config.orgTimeZone, year: 'numeric' }).format(new Date()));

async function reviewedCommunity() {
  const community = await server.factories.community();
  const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
  const member = await server.factories.activeMember(community);
  await server.factories.thread(community, member);
  await server.em().execute(`update community set continuation_criteria = 'Ten active members a term' where id = ?`, [community.community.id]);
  return { wrapper: community, community: community.community, id: community.id, slug: community.community.slug, lead, member };
}

const reviewsWritten = (communityId: string) =>
  countRows(server, 'select count(*) as n from community_review where community_id = ?', communityId);
const auditWritten = (communityId: string) =>
  countRows(server, `select count(*) as n from audit_entry where community_id = ? and action like 'review.%'`, communityId);

describe('startCommunityReview', () => {
  it('is refused to anonymous viewers, members, the community LEAD and board (staff only), writing nothing', async () => {
    const { community, id, lead } = await reviewedCommunity();
    const input = { communityId: id, year: thisYear() };
    expectError(await server.gql(StartCommunityReviewDocument, { input }), 'UNAUTHENTICATED');
    const member = await server.factories.member();
    const board = await server.factories.member({ orgRole: OrgRole.BOARD });
    for (const who of [member, lead, board]) expectError(await server.gql(StartCommunityReviewDocument, { input }, { token: who.token }), 'FORBIDDEN');
    expect(await reviewsWritten(community.id)).toBe(0);
    expect(await auditWritten(community.id)).toBe(0);
  });

  it('refuses a future or implausible year and a retired community (BAD_USER_INPUT)', async () => {
    const { community, id } = await reviewedCommunity();
    const staff = await server.factories.staff();
    for (const year of [thisYear() + 1, 1999]) {
      expect(badInputFields(await server.gql(StartCommunityReviewDocument, { input: { communityId: id, year } }, { token: staff.token }))).toEqual(['year']);
    }
    await server.em().execute(`update community set status = 'RETIRED', retired_at = now() where id = ?`, [community.id]);
    const retired = await server.gql(StartCommunityReviewDocument, { input: { communityId: id, year: thisYear() } }, { token: staff.token });
    expect(badInputFields(retired)).toEqual(['communityId']);
    expect(await reviewsWritten(community.id)).toBe(0);
  });

  it('freezes the health and criteria, once per community and year (a second start is a CONFLICT that writes nothing)', async () => {
    const { wrapper, community, id, member, slug } = await reviewedCommunity();
    const staff = await server.factories.staff();
    const year = thisYear();
    const { startCommunityReview: review } = expectData(await server.gql(StartCommunityReviewDocument, { input: { communityId: id, year } }, { token: staff.token }));
    expect(review).toMatchObject({ year, status: 'OPEN', decision: null, startedBy: { id: staff.id }, community: { id } });
    expect(review.snapshot).toMatchObject({
      continuationCriteria: 'Ten active members a term',
      health: { threadsStarted: 1, activeMembers: 1, memberCount: 2, rolesFilled: 1, meetingsHeld: 0 },
    });
    expect(new Date(review.snapshot.periodStart).getTime()).toBeLessThan(Date.now());
    expect(review.snapshot.periodStart).toBe(new Date(`${year}-01-01T00:00:00${offsetOfJanuaryFirst()}`).toISOString());

    const again = await server.gql(StartCommunityReviewDocument, { input: { communityId: id, year } }, { token: staff.token });
    expectError(again, 'CONFLICT');
    expect(await reviewsWritten(community.id)).toBe(1);
    expect(await auditWritten(community.id)).toBe(1);

    // Later activity and a new criterion change the community's health, not the review.
    await server.factories.thread(wrapper, member);
    await server.em().execute(`update community set continuation_criteria = 'Changed later' where id = ?`, [community.id]);
    const { node } = expectData(await server.gql(CommunityReviewNodeDocument, { id: review.id }, { token: staff.token }));
    expect(node).toMatchObject({ __typename: 'CommunityReview', snapshot: review.snapshot });
    const { community: now } = expectData(await server.gql(CommunityHealthDocument, { slug, days: 30 }, { token: staff.token }));
    expect(now!.health!.threadsStarted).toBe(2);
  });

  it('records the start in the audit log with the snapshot', async () => {
    const { id, community } = await reviewedCommunity();
    const staff = await server.factories.staff();
    const { startCommunityReview: review } = expectData(await server.gql(StartCommunityReviewDocument, { input: { communityId: id, year: thisYear() - 1 } }, { token: staff.token }));
    // Last year: nothing happened then (everything here was made today).
    expect(review.snapshot.health).toMatchObject({ threadsStarted: 0, activeMembers: 0 });
    expect([365, 366]).toContain(review.snapshot.health.periodDays);
    const { auditLog } = expectData(await server.gql(AuditLogDocument, { communityId: id }, { token: staff.token }));
    expect(auditLog.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({
        action: 'review.started',
        actor: expect.objectContaining({ id: staff.id }),
        subject: { id: review.id, __typename: 'CommunityReview' },
        details: expect.objectContaining({ year: thisYear() - 1, snapshot: expect.objectContaining({ threadsStarted: 0 }) }),
      }),
    ]);
    const [event] = await server.em().execute<{ type: string; payload: Record<string, unknown> }[]>(
      `select type, payload from domain_event where type = 'CommunityReviewStarted' and payload->>'reviewId' = ?`,
      [(await server.em().execute<{ id: string }[]>('select id from community_review where year = ? and community_id = ?', [thisYear() - 1, community.id]))[0]!.id],
    );
    expect(event).toMatchObject({ type: 'CommunityReviewStarted', payload: { communityId: community.id, year: thisYear() - 1 } });
  });
});

function offsetOfJanuaryFirst(): string {
  // America/Chicago (the default) is UTC−6 in January; other zones: read it from Intl.
  const name = new Intl.DateTimeFormat('en-US', { timeZone: server.config.orgTimeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(Date.UTC(thisYear(), 0, 1, 12)))
    .find((p) => p.type === 'timeZoneName')!.value;
  return name === 'GMT' ? 'Z' : name.replace('GMT', '');
}

describe('decideCommunityReview', () => {
  async function openReview() {
    const built = await reviewedCommunity();
    const staff = await server.factories.staff();
    const { startCommunityReview: review } = expectData(
      await server.gql(StartCommunityReviewDocument, { input: { communityId: built.id, year: thisYear() } }, { token: staff.token }),
    );
    return { ...built, staff, review };
  }

  it('is refused to anonymous viewers, members, the LEAD and board; a note is required unless CONTINUE', async () => {
    const { review, lead, staff } = await openReview();
    const input = { reviewId: review.id, decision: 'CONTINUE' as const, note: 'Fine' };
    expectError(await server.gql(DecideCommunityReviewDocument, { input }), 'UNAUTHENTICATED');
    const board = await server.factories.member({ orgRole: OrgRole.BOARD });
    for (const who of [lead, board]) expectError(await server.gql(DecideCommunityReviewDocument, { input }, { token: who.token }), 'FORBIDDEN');
    for (const note of [undefined, '   ']) {
      const response = await server.gql(DecideCommunityReviewDocument, { input: { reviewId: review.id, decision: 'MERGE', note } }, { token: staff.token });
      expect(badInputFields(response)).toEqual(['note']);
    }
    expect(await countRows(server, `select count(*) as n from community_review where status = 'DECIDED'`)).toBe(0);
  });

  it('records the decision once (a second decision is a CONFLICT), with the audit entry', async () => {
    const { review, staff, id } = await openReview();
    const { decideCommunityReview: decided } = expectData(
      await server.gql(DecideCommunityReviewDocument, { input: { reviewId: review.id, decision: 'CHANGE_FOCUS', note: 'Narrow to primary schools' } }, { token: staff.token }),
    );
    expect(decided).toMatchObject({ status: 'DECIDED', decision: 'CHANGE_FOCUS', decisionNote: 'Narrow to primary schools', decidedBy: { id: staff.id } });
    expect(decided.snapshot).toEqual(review.snapshot);
    const again = await server.gql(DecideCommunityReviewDocument, { input: { reviewId: review.id, decision: 'CONTINUE' } }, { token: staff.token });
    expectError(again, 'CONFLICT');
    const { auditLog } = expectData(await server.gql(AuditLogDocument, { communityId: id }, { token: staff.token }));
    expect(auditLog.edges[0]!.node).toMatchObject({
      action: 'review.decided',
      details: { before: { status: 'OPEN' }, after: { status: 'DECIDED', decision: 'CHANGE_FOCUS' }, note: 'Narrow to primary schools' },
    });
    expect(await countRows(server, `select count(*) as n from domain_event where type = 'CommunityReviewDecided' and payload->>'reviewId' is not null`)).toBe(1);
    // CONTINUE needs no note.
    const other = await openReview();
    const { decideCommunityReview: kept } = expectData(
      await server.gql(DecideCommunityReviewDocument, { input: { reviewId: other.review.id, decision: 'CONTINUE' } }, { token: other.staff.token }),
    );
    expect(kept).toMatchObject({ decision: 'CONTINUE', decisionNote: null });
    expectError(await server.gql(DecideCommunityReviewDocument, { input: { reviewId: 'nope', decision: 'CONTINUE' } }, { token: staff.token }), 'BAD_USER_INPUT');
  });
});

describe('Community.reviews and node(id)', () => {
  it('are for staff, board and the community LEADs; members and outsiders are FORBIDDEN', async () => {
    const { review, lead, member, slug, staff } = await (async () => {
      const built = await reviewedCommunity();
      const staffMember = await server.factories.staff();
      const started = expectData(
        await server.gql(StartCommunityReviewDocument, { input: { communityId: built.id, year: thisYear() - 1 } }, { token: staffMember.token }),
      ).startCommunityReview;
      await server.gql(StartCommunityReviewDocument, { input: { communityId: built.id, year: thisYear() } }, { token: staffMember.token });
      return { ...built, review: started, staff: staffMember };
    })();
    const outsider = await server.factories.member();
    for (const token of [undefined, outsider.token, member.token]) {
      const response = await server.gql(CommunityReviewsDocument, { slug }, { token });
      expectError(response, 'FORBIDDEN');
      expect(response.data?.community?.reviews).toBeNull();
      expectError(await server.gql(CommunityReviewNodeDocument, { id: review.id }, { token }), 'FORBIDDEN');
    }
    const board = await server.factories.member({ orgRole: OrgRole.BOARD });
    for (const reader of [staff, board, lead]) {
      const { community } = expectData(await server.gql(CommunityReviewsDocument, { slug, first: 1 }, { token: reader.token }));
      expect(community!.reviews!.totalCount).toBe(2);
      // Newest year first, paged.
      expect(community!.reviews!.edges.map((e) => e.node.year)).toEqual([thisYear()]);
      const { community: next } = expectData(
        await server.gql(CommunityReviewsDocument, { slug, first: 1, after: community!.reviews!.pageInfo.endCursor }, { token: reader.token }),
      );
      expect(next!.reviews!.edges.map((e) => e.node.id)).toEqual([review.id]);
      expect(expectData(await server.gql(CommunityReviewNodeDocument, { id: review.id }, { token: reader.token })).node).toMatchObject({ year: thisYear() - 1 });
    }
  });
});
