import { registerEventKinds } from '../../../events/registry';
import './rsvp.audiences';

type AnswerRef = { communityId: string; meetingId: string; memberId: string };

declare module '../../../events/registry' {
  interface DomainEvents {
    /**
     * A member's answer changed (`status`: GOING, INTERESTED, NOT_GOING or WAITLISTED; `previousStatus` null for a
     * first answer). `reason` LEFT_COMMUNITY: their answers to meetings ahead were withdrawn when they left.
     */
    RsvpChanged: AnswerRef & { status: string; previousStatus: string | null; reason?: 'LEFT_COMMUNITY' };
    /** A place freed up and this waitlisted member now has it (GOING); they are told (WAITLIST_PROMOTED). */
    WaitlistPromoted: AnswerRef;
  }
}

registerEventKinds({
  RsvpChanged: {},
  WaitlistPromoted: {},
});
