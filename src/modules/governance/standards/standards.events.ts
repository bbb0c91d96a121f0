import { registerEventKinds } from '../../../events/registry';

declare module '../../../events/registry' {
  interface DomainEvents {
    /** The organisation published a new version of its code of conduct (every community's standards version changes). */
    CodeOfConductPublished: { codeOfConductId: string; version: number; previousVersion: number };
    /** A community added a standard to the code (its standards version changes). */
    CommunityStandardAdded: { communityId: string; standardId: string; version: string };
    /** A member accepted the current version of a community's standards. */
    CommunityStandardsAccepted: { communityId: string; membershipId: string; memberId: string; version: string };
  }
}

// Not live, not webhook event types (the contract lists none for standards).
registerEventKinds({
  CodeOfConductPublished: {},
  CommunityStandardAdded: {},
  CommunityStandardsAccepted: {},
});
