import { registerEventKinds } from '../../../events/registry';
import './timePoll.audiences';

type TimePollRef = { communityId: string; pollId: string };

declare module '../../../events/registry' {
  interface DomainEvents {
    /** A community organiser asked its members when to meet. */
    TimePollCreated: TimePollRef & { optionIds: string[]; closesAt: string };
    /** A member answered (or re-answered) some of a poll's options; the answers themselves stay in time_poll_vote. */
    TimePollAnswered: TimePollRef & { optionIds: string[] };
    /**
     * The poll was closed on an option; `meetingId` when closing scheduled the meeting. `chosenBy` NONE: closed on no
     * option because its community retired (`optionId` null).
     */
    TimePollClosed: TimePollRef & { optionId: string | null; chosenBy: 'GIVEN' | 'BEST' | 'NONE'; meetingId: string | null };
  }
}

registerEventKinds({
  TimePollCreated: {},
  TimePollAnswered: {},
  TimePollClosed: {},
});
