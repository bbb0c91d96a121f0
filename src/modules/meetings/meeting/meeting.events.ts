import { registerEventKinds } from '../../../events/registry';

type MeetingRef = { communityId: string; meetingId: string; kind: string };

declare module '../../../events/registry' {
  interface DomainEvents {
    /** A meeting was put on the calendar (by a member, a closed time poll, or the API for an annual meeting). */
    MeetingScheduled: MeetingRef;
  }
}

registerEventKinds({
  MeetingScheduled: {},
});
