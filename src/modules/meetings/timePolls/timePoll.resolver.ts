import { Args, Arg, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { fromGlobalId, parseId } from '../../../shared/ids';
import { CREATED_ORDER, cursorValues } from '../../../shared/loaders';
import { PageArgs, parsePage, toConnection, type ConnectionResult, type Edge } from '../../../shared/pagination';
import { authorize, requireMember } from '../../../shared/policy';
import { Community } from '../../communities/community.entity';
import { Member } from '../../members/member.entity';
import { Meeting } from '../meeting/meeting.entity';
import { TimePoll } from './timePoll.entity';
import { TimePollOption } from './timePollOption.entity';
import { AnswerTimePollInput, CloseTimePollInput, CreateTimePollInput } from './timePoll.inputs';
import { pollOptionsLoader, respondentCountLoader, timePollCountLoader, timePollsPageLoader } from './timePoll.loaders';
import { READ_REFUSAL } from './timePoll.policy';
import { TimePollConnection } from './timePoll.types';
import { createTimePoll } from './commands/createTimePoll';
import { answerTimePoll } from './commands/answerTimePoll';
import { closeTimePoll } from './commands/closeTimePoll';

/** An option ID of a poll, or null when it is not one at all (the command reports it with the poll's other problems). */
const optionIdOf = (globalId: string | null | undefined): string | null => {
  const decoded = globalId ? fromGlobalId(globalId) : null;
  return decoded?.type === 'TimePollOption' ? decoded.id : null;
};

@Resolver(() => Community)
export class CommunityTimePollsResolver {
  @FieldResolver(() => TimePollConnection, {
    description: 'Its time polls, newest first. A RESTRICTED community the viewer may not read: FORBIDDEN (the contract makes the list non-null)',
  })
  async timePolls(@Root() community: Community, @Args() args: PageArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<TimePoll>>> {
    await authorize(ctx.actor, 'readContent', community, READ_REFUSAL);
    const page = parsePage(args, CREATED_ORDER);
    const rows = await timePollsPageLoader(ctx.loaders, page).load(community.id);
    return toConnection(rows, page, (row) => cursorValues(row, CREATED_ORDER), () => timePollCountLoader(ctx.loaders).load(community.id));
  }
}

@Resolver(() => TimePoll)
export class TimePollResolver {
  @Mutation(() => TimePoll, { description: "The community's meeting or event coordinator, LEAD or staff; 2–20 times in the future" })
  createTimePoll(@Arg('input') input: CreateTimePollInput, @Ctx() ctx: Context): Promise<TimePoll> {
    requireMember(ctx.actor);
    const communityId = parseId(input.communityId, 'Community', 'communityId');
    return createTimePoll(ctx, {
      communityId,
      title: input.title,
      options: input.options.map(({ startsAt, durationMinutes }) => ({ startsAt, durationMinutes })),
      closesAt: input.closesAt,
      timeZone: input.timeZone,
    });
  }

  @Mutation(() => TimePoll, {
    description: 'ACTIVE members, while it is OPEN (a closed poll, or one past closesAt, is CONFLICT); answering an option again replaces the answer',
  })
  answerTimePoll(@Arg('input') input: AnswerTimePollInput, @Ctx() ctx: Context): Promise<TimePoll> {
    requireMember(ctx.actor);
    const pollId = parseId(input.pollId, 'TimePoll', 'pollId');
    return answerTimePoll(ctx, { pollId, answers: input.answers.map(({ optionId, answer }) => ({ optionId: optionIdOf(optionId), answer })) });
  }

  @Mutation(() => TimePoll, {
    description:
      "Its creator, the community's meeting or event coordinator, LEAD or staff. Records the chosen option (given, or the best) " +
      'and closes it for good (again: CONFLICT); `schedule: true` also schedules the meeting (with scheduleMeeting\'s rules)',
  })
  closeTimePoll(@Arg('input') input: CloseTimePollInput, @Ctx() ctx: Context): Promise<TimePoll> {
    requireMember(ctx.actor);
    const pollId = parseId(input.pollId, 'TimePoll', 'pollId');
    const optionId = input.optionId == null ? null : parseId(input.optionId, 'TimePollOption', 'optionId');
    const { kind, description, url, venue, capacity, timeZone } = input;
    return closeTimePoll(ctx, { pollId, optionId, schedule: input.schedule, meeting: { kind, description, url, venue, capacity, timeZone } });
  }

  @FieldResolver(() => [TimePollOption], { description: 'Its times, earliest first' })
  options(@Root() poll: TimePoll, @Ctx() ctx: Context): Promise<TimePollOption[]> {
    return pollOptionsLoader(ctx.loaders).load(poll.id);
  }

  @FieldResolver(() => TimePollOption, { nullable: true, description: 'The option closeTimePoll chose; null until then' })
  chosenOption(@Root() poll: TimePoll, @Ctx() ctx: Context): Promise<TimePollOption | null> | null {
    return poll.chosenOption ? ctx.loaders.byId(TimePollOption).load(poll.chosenOption.id) : null;
  }

  @FieldResolver(() => Meeting, { nullable: true, description: 'The meeting closing it scheduled (schedule: true)' })
  meeting(@Root() poll: TimePoll, @Ctx() ctx: Context): Promise<Meeting | null> | null {
    return poll.meeting ? ctx.loaders.byId(Meeting).load(poll.meeting.id) : null;
  }

  @FieldResolver(() => Int, { description: 'How many members answered at least one option' })
  respondentCount(@Root() poll: TimePoll, @Ctx() ctx: Context): Promise<number> {
    return respondentCountLoader(ctx.loaders).load(poll.id);
  }

  @FieldResolver(() => Community)
  community(@Root() poll: TimePoll, @Ctx() ctx: Context): Promise<Community> {
    return ctx.actor.community(poll.community.id);
  }

  @FieldResolver(() => Member, { nullable: true, description: 'Who created it; null when that member is gone' })
  createdBy(@Root() poll: TimePoll, @Ctx() ctx: Context): Promise<Member | null> | null {
    return poll.createdBy ? ctx.loaders.byId(Member).load(poll.createdBy.id) : null;
  }
}
