import { registerEventKinds } from '../../events/registry';
import { communityTopic, threadTopic } from '../../realtime/events';

type PostRef = { communityId: string; threadId: string; postId: string };

declare module '../../events/registry' {
  interface DomainEvents {
    ThreadStarted: { communityId: string; threadId: string };
    PostAdded: PostRef & { parentPostId: string | null };
    PostEdited: PostRef;
    PostDeleted: PostRef;
    ReactionChanged: PostRef & { emoji: string; reacted: boolean };
    AnswerAccepted: PostRef;
    ThreadPinned: { communityId: string; threadId: string; pinned: boolean };
    ThreadLocked: { communityId: string; threadId: string; locked: boolean };
  }
}

const onThreadAndCommunity = (event: { threadId: string; communityId: string }) => [threadTopic(event.threadId), communityTopic(event.communityId)];

registerEventKinds({
  ThreadStarted: { topics: (event) => [communityTopic(event.communityId)], webhook: 'THREAD_STARTED' },
  PostAdded: { topics: onThreadAndCommunity, webhook: 'POST_ADDED' },
  PostEdited: { topics: onThreadAndCommunity, webhook: 'POST_EDITED' },
  PostDeleted: { topics: onThreadAndCommunity, webhook: 'POST_DELETED' },
  ReactionChanged: { topics: onThreadAndCommunity },
  AnswerAccepted: {},
  ThreadPinned: {},
  ThreadLocked: {},
});
