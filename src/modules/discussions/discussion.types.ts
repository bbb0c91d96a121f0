import { Field, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../../shared/pagination';
import { Post } from './post.entity';
import { Thread } from './thread.entity';

export const ThreadConnection = connectionType('Thread', Thread);
export const PostConnection = connectionType('Post', Post);

@ObjectType({ description: 'One emoji on a post: how many members used it and whether the viewer did' })
export class ReactionCount {
  @Field()
  emoji!: string;

  @Field(() => Int)
  count!: number;

  @Field()
  viewerReacted!: boolean;
}
