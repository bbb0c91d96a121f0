import { registerEventKinds } from '../../../events/registry';

declare module '../../../events/registry' {
  interface DomainEvents {
    /** Its organisers recorded who attended (the whole set, `attendeeCount` members); the meeting is HELD. */
    AttendanceRecorded: { communityId: string; meetingId: string; attendeeCount: number };
  }
}

registerEventKinds({
  AttendanceRecorded: {},
});
