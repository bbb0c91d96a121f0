import { registerEventKinds } from '../../../events/registry';

/** `communityId`: where it is now; `fromCommunityId`: the retired community it came from (a split or a merge). */
type Moved = { communityId: string; fromCommunityId: string };

declare module '../../../events/registry' {
  interface DomainEvents {
    /** A meeting (never an ANNUAL one), with its answers, attendance and reminders, moved to a split's part or a merge. */
    MeetingMoved: Moved & { meetingId: string; kind: string };
    TimePollMoved: Moved & { pollId: string };
    /** A ritual moved; its hosts are the same members, through their memberships of the new community. */
    RitualMoved: Moved & { ritualId: string };
    SurveyMoved: Moved & { surveyId: string };
  }
}

// No live topic and no webhook: the split or merge itself is announced (CommunityRetired, CommunityCreated); these
// record, per object, where it went, in the transaction that moved it.
registerEventKinds({
  MeetingMoved: {},
  TimePollMoved: {},
  RitualMoved: {},
  SurveyMoved: {},
});
