import { registerEventKinds } from '../../events/registry';
import { communityTopic } from '../../realtime/events';

type MembershipRef = { communityId: string; membershipId: string; memberId: string };

declare module '../../events/registry' {
  interface DomainEvents {
    CommunityCreated: { communityId: string };
    /** A membership became ACTIVE (joined an OPEN community, or was approved). */
    MemberJoined: MembershipRef;
    /** A RESTRICTED community's join request, waiting for approval. */
    MembershipRequested: MembershipRef;
    MembershipApproved: MembershipRef;
    MembershipDeclined: MembershipRef;
    MemberLeft: MembershipRef;
    MembershipUpdated: MembershipRef & { notificationPreference: string };
    RoleGranted: MembershipRef & { role: string };
    RoleRevoked: MembershipRef & { role: string };
  }
}

registerEventKinds({
  CommunityCreated: { webhook: 'COMMUNITY_CREATED' },
  MemberJoined: { topics: (event) => [communityTopic(event.communityId)], webhook: 'MEMBER_JOINED' },
  MembershipRequested: {},
  MembershipApproved: {},
  MembershipDeclined: {},
  MemberLeft: { webhook: 'MEMBER_LEFT' },
  MembershipUpdated: {},
  RoleGranted: {},
  RoleRevoked: {},
});
