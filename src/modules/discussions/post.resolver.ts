import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { parseId } from '../../shared/ids';
import { requireMember } from '../../shared/policy';
import { Member } from '../members/member.entity';
import { reactionsLoader } from './discussion.loaders';
import { EditPostInput, ReactInput, ReplyInput } from './discussion.inputs';
import { ReactionCount } from './discussion.types';
import { Post } from './post.entity';
import { Thread } from './thread.entity';
import { deletePost } from './commands/deletePost';
import { editPost } from './commands/editPost';
import { react } from './commands/react';
import { replyToThread } from './commands/replyToThread';
import './discussion.policy';

@Resolver(() => Post)
export class PostResolver {
  @Mutation(() => Post, { description: 'ACTIVE members, on unlocked threads' })
  async replyToThread(@Arg('input') input: ReplyInput, @Ctx() ctx: Context): Promise<Post> {
    // Writing needs an account before anything else: an anonymous reply is UNAUTHENTICATED whatever the IDs.
    requireMember(ctx.actor);
    return replyToThread(ctx, {
      threadId: parseId(input.threadId, 'Thread', 'threadId'),
      body: input.body,
      parentPostId: input.parentPostId ? parseId(input.parentPostId, 'Post', 'parentPostId') : null,
    });
  }

  @Mutation(() => Post, { description: 'The author only' })
  async editPost(@Arg('input') input: EditPostInput, @Ctx() ctx: Context): Promise<Post> {
    requireMember(ctx.actor);
    return editPost(ctx, { postId: parseId(input.postId, 'Post', 'postId'), body: input.body });
  }

  @Mutation(() => Post, { description: 'Soft delete: the author, a discussion monitor, a lead or staff' })
  async deletePost(@Arg('postId', () => ID) postId: string, @Ctx() ctx: Context): Promise<Post> {
    requireMember(ctx.actor);
    return deletePost(ctx, { postId: parseId(postId, 'Post', 'postId') });
  }

  @Mutation(() => Post, { description: 'Toggles the emoji for the viewer' })
  async react(@Arg('input') input: ReactInput, @Ctx() ctx: Context): Promise<Post> {
    requireMember(ctx.actor);
    return react(ctx, { postId: parseId(input.postId, 'Post', 'postId'), emoji: input.emoji });
  }

  @FieldResolver(() => String, { nullable: true, description: 'Null once deleted' })
  body(@Root() post: Post): string | null {
    return post.deleted ? null : post.body;
  }

  @FieldResolver(() => Thread)
  thread(@Root() post: Post, @Ctx() ctx: Context): Promise<Thread> {
    return ctx.actor.thread(post.thread.id);
  }

  @FieldResolver(() => Member)
  author(@Root() post: Post, @Ctx() ctx: Context): Member | Promise<Member | null> {
    return ctx.loaders.read(Member, post.author.id);
  }

  @FieldResolver(() => Post, { nullable: true })
  parent(@Root() post: Post, @Ctx() ctx: Context): Promise<Post | null> | null {
    return post.parent ? ctx.loaders.byId(Post).load(post.parent.id) : null;
  }

  @FieldResolver(() => [ReactionCount])
  reactions(@Root() post: Post, @Ctx() ctx: Context): Promise<ReactionCount[]> {
    return reactionsLoader(ctx.loaders).load(post.id);
  }
}
