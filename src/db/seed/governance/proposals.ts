import type { Em } from '../../orm';
import { CommunityVisibility, type Community } from '../../../modules/communities/community.entity';
import { foundCommunity } from '../../../modules/communities/commands/foundCommunity';
import type { Member } from '../../../modules/members/member.entity';
import { BoardMeeting } from '../../../modules/governance/boardMeetings/boardMeeting.entity';
import { CommunityProposal, ProposalDecision, ProposalStatus } from '../../../modules/governance/proposals/communityProposal.entity';
import { recordAudit } from '../../../modules/governance/audit/recordAudit';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Spec = Pick<
  CommunityProposal,
  'name' | 'slug' | 'description' | 'topics' | 'statementOfNeed' | 'plannedActivities' | 'intendedImpact' | 'continuationCriteria'
> &
  Partial<Pick<CommunityProposal, 'resourcesRequested' | 'additionalStandards' | 'standardsRationale' | 'visibility' | 'membershipRationale'>> & {
    proposer: string;
    receivedDaysAgo: number;
  };

/** One proposal per state. The first plainly overlaps Digital and Technology Tools (what similarCommunities is for). */
const SUBMITTED: Spec = {
  proposer: 'Aisha Rahman',
  receivedDaysAgo: 2,
  name: 'AI in the School Library',
  slug: 'ai-in-school-libraries',
  description: 'Generative AI tools in school libraries: choosing them, teaching students to use them well, and AI policies for schools.',
  topics: ['ai literacy', 'edtech', 'digital citizenship', 'student data privacy'],
  statementOfNeed:
    'Every school is writing an AI policy and librarians are asked to lead AI literacy, often with no training. We need a place to ' +
    'compare tools, lesson plans and policies for generative AI in the library.',
  plannedActivities: 'A monthly tool review, a shared folder of AI literacy lessons, and a termly online session on school AI policies.',
  intendedImpact: 'Librarians confident to teach AI literacy and to advise their schools on AI tools and student privacy.',
  continuationCriteria: 'At least 30 active members and 10 shared lesson plans in the first year.',
};

const UNDER_REVIEW: Spec = {
  proposer: 'Jordan Avery',
  receivedDaysAgo: 18,
  name: 'Library Advocacy and Budgets',
  slug: 'library-advocacy',
  description: 'Making the case for the school library: budgets, staffing, impact data and talking to principals and boards.',
  topics: ['advocacy', 'budgets', 'impact data'],
  statementOfNeed: 'Library budgets and posts are being cut across the region, and each of us argues for them alone.',
  plannedActivities: 'A shared bank of impact evidence, budget templates, and a yearly workshop before budget season.',
  intendedImpact: 'Fewer library posts cut; librarians who can show their impact in the terms their schools use.',
  continuationCriteria: 'Members report using the shared evidence in at least five budget rounds a year.',
  resourcesRequested: 'A facilitator for the yearly workshop.',
};

const APPROVED: Spec = {
  proposer: 'Hiroshi Tanaka',
  receivedDaysAgo: 40,
  name: 'Early Years Storytime',
  slug: 'early-years-storytime',
  description: 'Storytime, rhymes and early literacy for the youngest students: session plans, picture books and working with families.',
  topics: ['early literacy', 'storytime', 'picture books', 'families'],
  statementOfNeed: 'Primary librarians running storytime have nowhere to share session plans or ask about early literacy practice.',
  plannedActivities: 'A session plan exchange, a picture book of the month, and an annual storytime showcase.',
  intendedImpact: 'Better early literacy sessions in more primary schools.',
  continuationCriteria: 'Twenty session plans shared and an annual showcase held.',
  additionalStandards: ['Photos and videos of children are never posted, even with faces hidden.', 'Shared session plans are licensed CC BY.'],
  standardsRationale: 'Storytime involves very young children, and the plans are meant to be reused freely.',
};

const DECLINED: Spec = {
  proposer: 'Owen Pritchard',
  receivedDaysAgo: 35,
  name: 'Library Chess Clubs',
  slug: 'library-chess-clubs',
  description: 'Running chess clubs in the school library.',
  topics: ['chess', 'clubs'],
  statementOfNeed: 'Several of us run lunchtime chess clubs and would like to share how.',
  plannedActivities: 'An inter-school online tournament each term.',
  intendedImpact: 'More students using the library at lunchtime.',
  continuationCriteria: 'Four schools taking part in the tournament.',
};

const WITHDRAWN: Spec = {
  proposer: 'Fiona MacLeod',
  receivedDaysAgo: 30,
  name: 'Graphic Novels in the Curriculum',
  slug: 'graphic-novels',
  description: 'Teaching with graphic novels across subjects.',
  topics: ['graphic novels', 'curriculum'],
  statementOfNeed: 'Teachers ask us for graphic novels that fit their units.',
  plannedActivities: 'Curated lists by subject and year level.',
  intendedImpact: 'Graphic novels used in more subjects.',
  continuationCriteria: 'Lists for five subjects.',
};

function proposalOf(spec: Spec, members: Map<string, Member>, now: number): CommunityProposal {
  const { proposer, receivedDaysAgo, ...fields } = spec;
  const proposal = new CommunityProposal();
  Object.assign(proposal, { resourcesRequested: null, additionalStandards: [], standardsRationale: null, visibility: CommunityVisibility.OPEN, membershipRationale: null }, fields);
  proposal.proposer = members.get(proposer)!;
  proposal.receivedAt = new Date(now - receivedDaysAgo * DAY);
  proposal.createdAt = proposal.receivedAt;
  return proposal;
}

/** The audit log's record of what the demo says happened, dated when it happened. */
function audited(em: Em, at: Date, actorId: string | null, action: string, subject: { type: string; id: string }, details: Record<string, unknown>): void {
  recordAudit(em, actorId, { action, subject, details }).createdAt = at;
}

const ref = (proposal: CommunityProposal) => ({ type: 'CommunityProposal', id: proposal.id });

/** A proposal's history up to its present state, in the audit log. */
function history(em: Em, proposal: CommunityProposal): void {
  audited(em, proposal.receivedAt, proposal.proposer.id, 'proposal.submitted', ref(proposal), { after: { name: proposal.name, slug: proposal.slug } });
  if (proposal.reviewStartedAt) {
    const details = { before: { status: ProposalStatus.SUBMITTED }, after: { status: ProposalStatus.UNDER_REVIEW } };
    audited(em, proposal.reviewStartedAt, null, 'proposal.reviewStarted', ref(proposal), details);
  }
  if (proposal.decidedAt) {
    const details = { decision: proposal.decision, note: proposal.decisionNote, before: { status: ProposalStatus.UNDER_REVIEW }, after: { status: proposal.recordedStatus } };
    audited(em, proposal.decidedAt, proposal.decidedBy!.id, 'proposal.decided', ref(proposal), details);
  }
  if (proposal.withdrawnAt) {
    const details = { before: { status: ProposalStatus.SUBMITTED }, after: { status: ProposalStatus.WITHDRAWN } };
    audited(em, proposal.withdrawnAt, proposal.proposer.id, 'proposal.withdrawn', ref(proposal), details);
  }
}

/**
 * Demo governance: a board meeting ten days ago and one in twenty days, and five proposals around them — SUBMITTED
 * (after the last meeting), UNDER_REVIEW (received before it), APPROVED at it (its community founded as
 * decideProposal would, with two additional standards), DECLINED at it, and WITHDRAWN. Runs in the seed's transaction.
 */
export async function buildProposals(em: Em, members: Member[], communities: Community[], now: number): Promise<void> {
  const byName = new Map(members.map((member) => [member.displayName, member]));
  const staff = byName.get('Priya Raman')!;
  const board = byName.get('Margaret Okonkwo')!;
  if (communities.some((community) => community.slug === APPROVED.slug)) throw new Error('demo seed: the approved proposal’s slug is taken');
  const lastMeeting = new Date(Math.floor((now - 10 * DAY) / HOUR) * HOUR);
  for (const startsAt of [lastMeeting, new Date(Math.floor((now + 20 * DAY) / HOUR) * HOUR)]) {
    const meeting = new BoardMeeting();
    meeting.startsAt = startsAt;
    meeting.scheduledBy = staff;
    meeting.createdAt = new Date(now - 45 * DAY);
    em.persist(meeting);
    audited(em, meeting.createdAt, staff.id, 'boardMeeting.scheduled', { type: 'BoardMeeting', id: meeting.id }, { after: { startsAt: startsAt.toISOString() } });
  }
  const decided = (proposal: CommunityProposal, decision: ProposalDecision, note: string | null) => {
    proposal.decision = decision;
    proposal.decisionNote = note;
    proposal.decidedAt = new Date(lastMeeting.getTime() + HOUR);
    proposal.decidedBy = board;
    proposal.reviewStartedAt = lastMeeting;
    proposal.recordedStatus = decision === ProposalDecision.APPROVE ? ProposalStatus.APPROVED : ProposalStatus.DECLINED;
  };

  const submitted = proposalOf(SUBMITTED, byName, now);
  em.persist(submitted);

  const underReview = proposalOf(UNDER_REVIEW, byName, now);
  underReview.recordedStatus = ProposalStatus.UNDER_REVIEW;
  underReview.reviewStartedAt = lastMeeting;
  em.persist(underReview);

  const approved = proposalOf(APPROVED, byName, now);
  decided(approved, ProposalDecision.APPROVE, 'Approved: a clear need, and the standards on photos of children are right.');
  em.persist(approved);
  const community = await foundCommunity(em, { mailFrom: 'no-reply@practicehub.localhost', orgTimeZone: process.env.ORG_TIME_ZONE?.trim() || 'America/Chicago' }, board.id, {
    ...approved,
    leadId: approved.proposer.id,
    origin: { proposal: approved.nodeId },
  });
  community.createdAt = approved.decidedAt!;
  approved.community = community;

  const declined = proposalOf(DECLINED, byName, now);
  decided(
    declined,
    ProposalDecision.DECLINE,
    'Chess clubs are a fine library programme, but not a community of practice in school librarianship. Share how you run ' +
      "them in Literature and Reading Promotion's programme threads.",
  );
  em.persist(declined);

  const withdrawn = proposalOf(WITHDRAWN, byName, now);
  withdrawn.recordedStatus = ProposalStatus.WITHDRAWN;
  withdrawn.withdrawnAt = new Date(now - 26 * DAY);
  em.persist(withdrawn);

  for (const proposal of [submitted, underReview, approved, declined, withdrawn]) history(em, proposal);
}
