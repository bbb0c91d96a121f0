import { registerEventKinds } from '../../../events/registry';
import './summary.audiences';

declare module '../../../events/registry' {
  interface DomainEvents {
    /** Its summary was posted as the ANNOUNCEMENT thread `threadId` (its attendees and answerers hear: MEETING_SUMMARY). */
    MeetingSummaryPosted: { communityId: string; meetingId: string; threadId: string };
  }
}

registerEventKinds({
  MeetingSummaryPosted: {},
});
