import { registerEventKinds } from '../../../events/registry';
import './roles.audiences';

type TermRef = { communityId: string; membershipId: string; memberId: string; role: string; termId: string };

declare module '../../../events/registry' {
  interface DomainEvents {
    /** The warning ROLE_TERM_WARNING_DAYS before a term ends (recorded once per term and end date). */
    RoleTermEnding: TermRef & { termEndsAt: string };
    /** A term's end passed: the role lapsed (removed from the membership). */
    RoleTermEnded: TermRef;
    /** Nobody in the community holds `role` any more; it was added to the open roles. */
    RoleVacant: { communityId: string; role: string };
    OpenRolesChanged: { communityId: string; roles: string[] };
  }
}

// Not live, not webhook event types: notifications (see roles.audiences) and the audit log are their readers.
registerEventKinds({
  RoleTermEnding: {},
  RoleTermEnded: {},
  RoleVacant: {},
  OpenRolesChanged: {},
});
