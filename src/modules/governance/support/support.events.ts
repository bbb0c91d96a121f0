import { registerEventKinds } from '../../../events/registry';

type SupportRequestRef = { communityId: string; requestId: string; kind: string };

declare module '../../../events/registry' {
  interface DomainEvents {
    SupportRequested: SupportRequestRef;
    /** `stage`: whose decision it was (STAFF, or BOARD for an in-person meeting's second step); `status`: the result. */
    SupportRequestDecided: SupportRequestRef & { stage: 'STAFF' | 'BOARD'; status: string };
  }
}

// Support requests are private to the community's leads, staff and board: never on a live community topic.
registerEventKinds({
  SupportRequested: {},
  SupportRequestDecided: {},
});
