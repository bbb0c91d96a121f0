import { registerEventKinds } from '../../../events/registry';

type MeetingRef = { communityId: string; meetingId: string; kind: string };

declare module '../../../events/registry' {
  interface DomainEvents {
    /** A meeting was put on the calendar (by a member, a closed time poll, or the API for an annual meeting). */
    MeetingScheduled: MeetingRef;
    /**
     * Its details changed (`changed`: the fields, e.g. `startsAt`, `venue`, `status`); `previousStartsAt`: its start
     * before (ISO, null when it had none); `scheduled`: a TENTATIVE meeting got its time (TENTATIVE → SCHEDULED).
     */
    MeetingUpdated: MeetingRef & { changed: string[]; previousStartsAt: string | null; scheduled: boolean };
    /** It was cancelled: by an organiser (never the ANNUAL meeting), or because its community retired (any meeting ahead). */
    MeetingCancelled: MeetingRef;
    /** One of its reminders (`minutesBefore` its start) went out to those who answered GOING or INTERESTED. */
    MeetingReminderSent: MeetingRef & { reminderId: string; minutesBefore: number };
  }
}

registerEventKinds({
  MeetingScheduled: { webhook: 'MEETING_SCHEDULED' },
  MeetingUpdated: { webhook: 'MEETING_UPDATED' },
  // The contract has no MEETING_CANCELLED webhook: a cancellation is delivered as MEETING_UPDATED (status CANCELLED).
  MeetingCancelled: { webhook: 'MEETING_UPDATED' },
  MeetingReminderSent: {},
});
