/**
 * Demo governance data for standards and support: the Digital Tools community's two additions to the code of conduct
 * (with why), one support request in each state (the in-person meeting waiting for the board), and every ACTIVE
 * membership's accepted standards version, as if each member had accepted the current standards.
 */
import { Community } from '../../../modules/communities/community.entity';
import { CommunityRole, Membership, MembershipStatus } from '../../../modules/communities/membership.entity';
import { Member, OrgRole } from '../../../modules/members/member.entity';
import { CommunityStandard } from '../../../modules/governance/standards/communityStandard.entity';
import { SupportKind, SupportRequest, SupportRequestStatus } from '../../../modules/governance/support/supportRequest.entity';
import type { Em } from '../../orm';

const DAY = 86_400_000;
const DEMO_COMMUNITY = 'digital-tools';

const STANDARDS = [
  {
    text: 'Never post screenshots of the library system, student devices or dashboards without blurring names, barcodes and usernames.',
    rationale: 'Screenshots are the most common way student data leaks out of tech help threads; blurring takes seconds.',
  },
  {
    text: 'Say whether you are paid by, or work for, a vendor whose product you recommend.',
    rationale: 'Members choose tools with public money on the strength of what they read here, so they need to know who is talking.',
  },
];

interface RequestSpec {
  kind: SupportKind;
  status: SupportRequestStatus;
  details: string;
  cents: number;
  daysAgo: number;
  staffNote?: string;
  boardNote?: string;
}

const REQUESTS: RequestSpec[] = [
  {
    kind: SupportKind.PRACTICE_SESSION,
    status: SupportRequestStatus.REQUESTED,
    details: 'A hands-on practice session on managing Chromebook carts with the admin console, for up to 25 members, online.',
    cents: 0,
    daysAgo: 2,
  },
  {
    kind: SupportKind.IN_PERSON_MEETING,
    status: SupportRequestStatus.AWAITING_BOARD,
    details: 'A one-day in-person "tech petting zoo" at the association office in March: room hire, lunch and travel for two presenters.',
    cents: 184_000,
    daysAgo: 9,
    staffNote: 'Supported by staff: it fits the spring programme. Over to the board for the expenses.',
  },
  {
    kind: SupportKind.MEETING_FACILITATION,
    status: SupportRequestStatus.APPROVED,
    details: 'A facilitator for our AI policy working session, so the lead can take part rather than chair.',
    cents: 35_000,
    daysAgo: 20,
    staffNote: 'Approved: Priya facilitates; the session runs on the association video account.',
  },
  {
    kind: SupportKind.OTHER,
    status: SupportRequestStatus.DECLINED,
    details: 'Licences for a paid screen-recording tool for the members who make how-to videos.',
    cents: 120_000,
    daysAgo: 30,
    staffNote: 'Declined: the association cannot buy licences for individual members. The free recorder in the video account does the same job.',
  },
];

export async function seedStandardsAndSupport(em: Em, built: { communities: Map<string, Community>; members: Map<unknown, Member> }, now: number): Promise<void> {
  const community = built.communities.get(DEMO_COMMUNITY);
  if (!community) throw new Error(`demo seed: no ${DEMO_COMMUNITY} community`);
  const people = [...built.members.values()];
  const staff = people.find((m) => m.orgRole === OrgRole.STAFF);
  const board = people.find((m) => m.orgRole === OrgRole.BOARD);
  await em.flush(); // memberships are written, so the lead can be found by role
  const leads = await em.find(Membership, { community, status: MembershipStatus.ACTIVE, roles: { $contains: [CommunityRole.LEAD] } });
  const lead = leads[0]?.member;
  if (!staff || !board || !lead) throw new Error('demo seed: standards need a staff member, a board member and a lead');

  STANDARDS.forEach((spec, i) => {
    const standard = new CommunityStandard();
    standard.community = community;
    standard.text = spec.text;
    standard.rationale = spec.rationale;
    standard.addedBy = lead;
    standard.createdAt = new Date(community.createdAt.getTime() + (i + 1) * DAY);
    em.persist(standard);
  });

  for (const spec of REQUESTS) {
    const request = new SupportRequest();
    request.community = community;
    request.requestedBy = lead;
    request.kind = spec.kind;
    request.details = spec.details;
    request.estimatedCostCents = spec.cents;
    request.status = spec.status;
    request.createdAt = new Date(now - spec.daysAgo * DAY);
    if (spec.status !== SupportRequestStatus.REQUESTED) {
      request.staffDecidedBy = staff;
      request.staffDecidedAt = new Date(now - (spec.daysAgo - 1) * DAY);
      request.staffNote = spec.staffNote ?? null;
    }
    if (spec.boardNote) {
      request.boardDecidedBy = board;
      request.boardDecidedAt = new Date(now - (spec.daysAgo - 2) * DAY);
      request.boardNote = spec.boardNote;
    }
    em.persist(request);
  }
  await em.flush();
  // Every ACTIVE member accepted their community's current standards (see standardsVersion.ts for the format).
  await em.execute(
    `update membership m set accepted_standards_version = (select max(version) from code_of_conduct) || '.' ||
       (select count(*) from community_standard s where s.community_id = m.community_id) where m.status = 'ACTIVE'`,
  );
}
