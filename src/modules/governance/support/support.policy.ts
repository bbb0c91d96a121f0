import { allow, authorize, can, refuse, type Actor } from '../../../shared/policy';
import type { Member } from '../../members/member.entity';
import { hasOrgAbility } from '../../members/organisation.policy';
import { Community } from '../../communities/community.entity';
import { CommunityRole } from '../../communities/membership.entity';
import { hasRole, isStaff, readOnlyRefusal } from '../../communities/community.policy';
import { SupportRequest, SupportRequestStatus } from './supportRequest.entity';

const decidesForStaff = (member: Member | null) => hasOrgAbility(member, 'decideSupportRequests');
const decidesForBoard = (member: Member | null) => hasOrgAbility(member, 'approveInPersonExpenses');

/** A community's ACTIVE LEADs, meeting and event coordinators, and staff ask for support, for an ACTIVE community. */
allow(Community, 'requestSupport', async (actor, community) => {
  const refusal = readOnlyRefusal(community);
  if (refusal) return refusal;
  return isStaff(actor.member) || hasRole(actor, community, CommunityRole.LEAD, CommunityRole.MEETING_COORDINATOR, CommunityRole.EVENT_COORDINATOR);
});

/** Requests are budget business: the community's LEADs, staff and the board see a community's list. */
allow(Community, 'readSupportRequests', async (actor, community) =>
  decidesForStaff(actor.member) || decidesForBoard(actor.member) || hasRole(actor, community, CommunityRole.LEAD),
);

/** One request (node(id), mutation results): whoever reads the community's list, and the member who asked for it. */
allow(SupportRequest, 'read', async (actor, request) => {
  if (actor.member && request.requestedBy?.id === actor.member.id) return true;
  return can(actor, 'readSupportRequests', await actor.community(request.community.id));
});

/**
 * Staff decide a REQUESTED request; an in-person meeting they approved waits for the board, and then only the board
 * decides it. Once decided, staff and board pass this rule and are told it is decided (CONFLICT), everyone else not.
 */
allow(SupportRequest, 'decide', (actor, request) => {
  switch (request.status) {
    case SupportRequestStatus.REQUESTED:
      return decidesForStaff(actor.member) || (decidesForBoard(actor.member) ? refuse('Staff decide a support request before the board') : false);
    case SupportRequestStatus.AWAITING_BOARD:
      return decidesForBoard(actor.member) || refuse("In-person meeting expenses need the board's approval: only the board decides this request now");
    default:
      return decidesForStaff(actor.member) || decidesForBoard(actor.member);
  }
});

export const READ_REFUSAL = "Only the community's leads, staff and the board can see its support requests";

export async function authorizeReadRequest(actor: Actor, request: SupportRequest): Promise<void> {
  await authorize(actor, 'read', request, READ_REFUSAL);
}
