import { createUnionType, Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Post } from '../discussions/post.entity';
import { Thread } from '../discussions/thread.entity';
import { Membership } from '../communities/membership.entity';

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

export const ThreadEvent = createUnionType({
  name: 'ThreadEvent',
  types: () => [PostAdded, PostEdited, PostDeleted, ReactionChanged] as const,
});

export const CommunityEvent = createUnionType({
  name: 'CommunityEvent',
  types: () => [ThreadStarted, MemberJoined] as const,
});
