import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';

@ObjectType('RateLimit', { description: "The caller's request budget: the viewer's account, or the client IP when anonymous" })
export class RateLimit {
  @Field(() => Int, { description: 'Points per window' })
  limit!: number;

  @Field(() => Int, { description: 'What this request cost (its query cost)' })
  cost!: number;

  @Field(() => Int, { description: 'Points left in this window, after this request' })
  remaining!: number;

  @Field(() => GraphQLDateTime, { description: 'When the window ends and the budget is full again' })
  resetAt!: Date;

  @Field(() => Int, { description: 'Points spent in this window, this request included' })
  used!: number;
}
