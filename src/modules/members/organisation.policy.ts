import { allow, type Actor } from '../../shared/policy';
import { OrgRole, type Member } from './member.entity';

/**
 * What the organisation's roles may do, declared once (Outline's policies/index): every staff or board rule in the
 * API is one of these abilities, checked with `hasOrgAbility(member, …)` or `authorize(actor, ability,
 * ORGANISATION)`, never by comparing `orgRole` inline. Community roles (LEAD, monitor, …) live in the community policy.
 */
export const ORG_ABILITIES = {
  /** Found communities directly (proposals are for everyone). */
  createCommunity: [OrgRole.STAFF, OrgRole.BOARD],
  /** Change a member's organisation role. */
  setOrgRole: [OrgRole.STAFF],
  /** Read every community's content and memberships, moderate and manage every community (staff moderate). */
  superviseCommunities: [OrgRole.STAFF],
  /** Read any member's email address. */
  readMemberEmails: [OrgRole.STAFF],
  /** Webhooks for any community or all of them. */
  manageAllWebhooks: [OrgRole.STAFF],
  /** Close any mentoring group. */
  superviseMentoring: [OrgRole.STAFF],
  /** Board business: schedule board meetings, decide proposals (governance). */
  scheduleBoardMeeting: [OrgRole.STAFF, OrgRole.BOARD],
  decideProposal: [OrgRole.STAFF, OrgRole.BOARD],
  /** Read every community proposal (members read their own). */
  readProposals: [OrgRole.STAFF, OrgRole.BOARD],
  /** Publish the code of conduct, review and change communities (governance). */
  governCommunities: [OrgRole.STAFF],
  /** Read the governance audit log. */
  readAuditLog: [OrgRole.STAFF, OrgRole.BOARD],
  /** Any community's health figures and the health ranking (governance). */
  readCommunityHealth: [OrgRole.STAFF, OrgRole.BOARD],
  /** The duplicate-need check: communities similar to a proposed one (governance). */
  checkSimilarCommunities: [OrgRole.STAFF, OrgRole.BOARD],
  /** Read every community's annual reviews (governance; starting and deciding them is governCommunities). */
  readCommunityReviews: [OrgRole.STAFF, OrgRole.BOARD],
  /** Decide communities' support requests (more help than the standard support is at staff's discretion). */
  decideSupportRequests: [OrgRole.STAFF],
  /** Approve or decline in-person meeting expenses, after staff approved them (governance/support). */
  approveInPersonExpenses: [OrgRole.BOARD],
} as const satisfies Record<string, readonly OrgRole[]>;

export type OrgAbility = keyof typeof ORG_ABILITIES;

/** The organisation as a policy subject: `authorize(actor, 'createCommunity', ORGANISATION)`. */
export class Organisation {}
export const ORGANISATION = new Organisation();

export function hasOrgAbility(member: Pick<Member, 'orgRole'> | null | undefined, ability: OrgAbility): boolean {
  return !!member && (ORG_ABILITIES[ability] as readonly OrgRole[]).includes(member.orgRole);
}

for (const ability of Object.keys(ORG_ABILITIES) as OrgAbility[]) {
  allow(Organisation, ability, (actor: Actor) => hasOrgAbility(actor.member, ability));
}
