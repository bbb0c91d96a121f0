import { registerEventKinds } from '../../../events/registry';

type RitualRef = { communityId: string; ritualId: string };

declare module '../../../events/registry' {
  interface DomainEvents {
    RitualCreated: RitualRef;
    /** `fields`: which of title, prompt, schedule (rrule, startsAt, timeZone) and hosts changed. */
    RitualUpdated: RitualRef & { fields: string[] };
    RitualPauseChanged: RitualRef & { paused: boolean };
    RitualDeleted: RitualRef & { title: string };
    /** An occurrence's PROMPT thread was posted (its own ThreadStarted is recorded too); the host is notified. */
    RitualPrompted: RitualRef & { occurrenceId: string; occurrenceAt: string; threadId: string; hostMemberId: string };
    /** An occurrence came and no host was an ACTIVE member: nothing was posted. */
    RitualOccurrenceSkipped: RitualRef & { occurrenceId: string; occurrenceAt: string };
  }
}

// A ritual's own events go to no live topic: its threads are announced by their ThreadStarted.
registerEventKinds({
  RitualCreated: {},
  RitualUpdated: {},
  RitualPauseChanged: {},
  RitualDeleted: {},
  RitualPrompted: {},
  RitualOccurrenceSkipped: {},
});
