import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { fromGlobalId, parseId, toGlobalId } from '../../../shared/ids';
import { authorize, requireMember } from '../../../shared/policy';
import { CommunityStatus } from '../../communities/community.entity';
import { Thread } from '../thread.entity';
import { Poll } from './poll.entity';
import { PollOption } from './pollOption.entity';
import { VotePollInput } from './poll.inputs';
import { pollCountsLoader, pollOfThreadLoader, pollOptionsLoader, viewerPollVotesLoader } from './poll.loaders';
import { pollClosedReason, READ_REFUSAL } from './poll.policy';
import { votePoll } from './commands/votePoll';

@Resolver(() => Thread)
export class ThreadPollResolver {
  @FieldResolver(() => Poll, { nullable: true, description: 'The poll opened with the thread, if any; live on threadActivity (PollVoted)' })
  async poll(@Root() thread: Thread, @Ctx() ctx: Context): Promise<Poll | null> {
    // Every root that yields a thread checked it already; checking here too keeps any other root honest (cached).
    await authorize(ctx.actor, 'read', thread, READ_REFUSAL);
    // `closed` reads the thread (locked) by ID: the feed's rows are that thread already, no need to read it again.
    ctx.loaders.primeRead(Thread, thread);
    return pollOfThreadLoader(ctx.loaders).load(thread.id);
  }
}

@Resolver(() => Poll)
export class PollResolver {
  @Mutation(() => Poll, {
    description:
      'ACTIVE members of the thread\'s community, while the poll is open: replaces the viewer\'s previous votes. One option ' +
      'unless the poll is `multiple`; a closed poll (closing time passed, thread locked) is CONFLICT',
  })
  votePoll(@Arg('input') input: VotePollInput, @Ctx() ctx: Context): Promise<Poll> {
    requireMember(ctx.actor);
    const pollId = parseId(input.pollId, 'Poll', 'pollId');
    // Option IDs are judged by the command, after the rights checks: a stranger learns nothing from a wrong one.
    const optionIds = input.optionIds.map((id) => {
      const decoded = fromGlobalId(id);
      return decoded?.type === 'PollOption' ? decoded.id : null;
    });
    return votePoll(ctx, { pollId, optionIds });
  }

  @FieldResolver(() => Thread)
  async thread(@Root() poll: Poll, @Ctx() ctx: Context): Promise<Thread> {
    return (await ctx.loaders.read(Thread, poll.thread.id)) ?? ctx.actor.thread(poll.thread.id);
  }

  @FieldResolver(() => [PollOption], { description: 'In the order they were given' })
  options(@Root() poll: Poll, @Ctx() ctx: Context): Promise<PollOption[]> {
    return pollOptionsLoader(ctx.loaders).load(poll.id);
  }

  @FieldResolver(() => Boolean, { description: 'No more votes: the closing time passed, the thread is locked or the community is read-only' })
  async closed(@Root() poll: Poll, @Ctx() ctx: Context): Promise<boolean> {
    const thread = (await ctx.loaders.read(Thread, poll.thread.id)) ?? (await ctx.actor.thread(poll.thread.id));
    if (pollClosedReason(poll, thread)) return true;
    return (await ctx.actor.community(thread.community.id)).status !== CommunityStatus.ACTIVE;
  }

  @FieldResolver(() => Int, { description: 'How many members voted (a voter choosing several options counts once)' })
  async voterCount(@Root() poll: Poll, @Ctx() ctx: Context): Promise<number> {
    return (await pollCountsLoader(ctx.loaders).load(poll.id)).voterCount;
  }

  @FieldResolver(() => [ID], { description: "The viewer's own chosen option IDs (empty when they have not voted); nobody else's" })
  async viewerVotes(@Root() poll: Poll, @Ctx() ctx: Context): Promise<string[]> {
    return (await viewerPollVotesLoader(ctx.loaders).load(poll.id)).map((id) => toGlobalId('PollOption', id));
  }
}

@Resolver(() => PollOption)
export class PollOptionResolver {
  @FieldResolver(() => Poll)
  async poll(@Root() option: PollOption, @Ctx() ctx: Context): Promise<Poll> {
    return (await ctx.loaders.byId(Poll).load(option.poll.id))!;
  }

  @FieldResolver(() => Int, { description: 'How many voters chose it' })
  async votes(@Root() option: PollOption, @Ctx() ctx: Context): Promise<number> {
    return (await pollCountsLoader(ctx.loaders).load(option.poll.id)).votes.get(option.id) ?? 0;
  }
}
