import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { TimePollOption } from './timePollOption.entity';
import { TimePollAnswer } from './timePollVote.entity';
import { answerCountsLoader, viewerAnswerLoader } from './timePoll.loaders';

/** Counts and the viewer's answer, batched across every option of every poll in the response. */
@Resolver(() => TimePollOption)
export class TimePollOptionResolver {
  @FieldResolver(() => Int, { description: 'How many members answered YES' })
  async yes(@Root() option: TimePollOption, @Ctx() ctx: Context): Promise<number> {
    return (await answerCountsLoader(ctx.loaders).load(option.id)).yes;
  }

  @FieldResolver(() => Int, { description: 'How many members answered IF_NEEDED' })
  async ifNeeded(@Root() option: TimePollOption, @Ctx() ctx: Context): Promise<number> {
    return (await answerCountsLoader(ctx.loaders).load(option.id)).ifNeeded;
  }

  @FieldResolver(() => Int, { description: 'How many members answered NO' })
  async no(@Root() option: TimePollOption, @Ctx() ctx: Context): Promise<number> {
    return (await answerCountsLoader(ctx.loaders).load(option.id)).no;
  }

  @FieldResolver(() => TimePollAnswer, { nullable: true, description: "The viewer's answer; null when they have not answered it (or are anonymous)" })
  viewerAnswer(@Root() option: TimePollOption, @Ctx() ctx: Context): Promise<TimePollAnswer | null> {
    return viewerAnswerLoader(ctx.loaders).load(option.id);
  }
}
