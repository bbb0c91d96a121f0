import { registerEventKinds } from '../../../events/registry';
import { communityTopic, threadTopic } from '../../../realtime/events';

declare module '../../../events/registry' {
  interface DomainEvents {
    /**
     * A member voted (or changed their vote) in a thread's poll. `voterId` is null for an anonymous poll: neither
     * the outbox nor the live log keeps who voted there (the event is recorded without an actor, too).
     */
    PollVoted: { communityId: string; threadId: string; pollId: string; voterId: string | null };
  }
}

// On the thread's stream (threadActivity shows it) and, like reactions, numbered in the community's stream too.
registerEventKinds({
  PollVoted: { topics: (event) => [threadTopic(event.threadId), communityTopic(event.communityId)] },
});
