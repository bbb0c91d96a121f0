import { createUnionType, Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Post } from '../modules/discussions/post.entity';
import { Thread } from '../modules/discussions/thread.entity';
import { Membership } from '../modules/communities/membership.entity';
import { Member } from '../modules/members/member.entity';
import { Resource } from '../modules/resources/resource.entity';
import { CommunityLifecycleChanged } from '../modules/governance/lifecycle/lifecycle.live';
import { PollVoted } from '../modules/discussions/polls/poll.live';

/** Every live event carries its cursor (for resuming later) and when it happened. */
@ObjectType('LiveEventBase')
abstract class LiveEventBase {
  @Field({ description: 'Opaque, increasing: the position of this event in its stream' })
  cursor!: string;

  @Field(() => GraphQLDateTime)
  at!: Date;
}

@ObjectType({ description: 'A reply was added to the thread' })
export class PostAdded extends LiveEventBase {
  @Field(() => Post)
  post!: Post;
}

@ObjectType({ description: 'A reply was edited by its author' })
export class PostEdited extends LiveEventBase {
  @Field(() => Post)
  post!: Post;
}

@ObjectType({ description: 'A reply was deleted; only its ID travels, never its body' })
export class PostDeleted extends LiveEventBase {
  @Field(() => ID)
  postId!: string;

  @Field(() => ID)
  threadId!: string;
}

@ObjectType({ description: "A reply's reactions changed; `post.reactions` has the new counts" })
export class ReactionChanged extends LiveEventBase {
  @Field(() => Post)
  post!: Post;
}

@ObjectType({ description: 'A thread was started in the community' })
export class ThreadStarted extends LiveEventBase {
  @Field(() => Thread)
  thread!: Thread;
}

@ObjectType({ description: 'A member joined the community (or was approved)' })
export class MemberJoined extends LiveEventBase {
  @Field(() => Membership)
  membership!: Membership;
}

@ObjectType({ description: 'A member shared a resource with the community' })
export class ResourceShared extends LiveEventBase {
  @Field(() => Resource)
  resource!: Resource;
}

@ObjectType({ description: 'A member started or stopped typing a reply (a start expires by itself after 15 s)' })
export class TypingChanged extends LiveEventBase {
  @Field(() => ID)
  threadId!: string;

  @Field(() => Member)
  member!: Member;

  @Field()
  typing!: boolean;
}

export const ThreadEvent = createUnionType({
  name: 'ThreadEvent',
  types: () => [PostAdded, PostEdited, PostDeleted, ReactionChanged, TypingChanged, PollVoted] as const,
});

@ObjectType({ description: 'Who is here on a community or thread: everyone counts once; `here` omits members who chose to be only counted' })
export class PresenceSnapshot {
  @Field(() => ID)
  topicId!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => [Member])
  here!: Member[];
}

export const CommunityEvent = createUnionType({
  name: 'CommunityEvent',
  types: () => [ThreadStarted, MemberJoined, ResourceShared, CommunityLifecycleChanged] as const,
});
