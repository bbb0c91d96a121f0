import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { connectionType, type ConnectionResult, type Edge } from '../../../shared/pagination';
import { requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { BoardMeeting } from './boardMeeting.entity';
import { BoardMeetingsArgs, ScheduleBoardMeetingInput } from './boardMeeting.inputs';
import { scheduleBoardMeeting } from './commands/scheduleBoardMeeting';
import { listBoardMeetings } from './queries/listBoardMeetings';
import './boardMeeting.policy';

export const BoardMeetingConnection = connectionType('BoardMeeting', BoardMeeting);

@Resolver(() => BoardMeeting)
export class BoardMeetingResolver {
  @Query(() => BoardMeetingConnection, { description: 'Board meetings, earliest first: signed-in members (proposers see when they are reviewed)' })
  boardMeetings(@Args() args: BoardMeetingsArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<BoardMeeting>>> {
    return listBoardMeetings(ctx, args);
  }

  @Mutation(() => BoardMeeting, { description: 'Staff or board; startsAt in the future' })
  async scheduleBoardMeeting(@Arg('input') input: ScheduleBoardMeetingInput, @Ctx() ctx: Context): Promise<BoardMeeting> {
    requireMember(ctx.actor);
    return scheduleBoardMeeting(ctx, { startsAt: input.startsAt });
  }

  @FieldResolver(() => Member, { nullable: true, description: 'Null once that member is gone' })
  scheduledBy(@Root() meeting: BoardMeeting, @Ctx() ctx: Context): Promise<Member | null> | null {
    return meeting.scheduledBy ? ctx.loaders.byId(Member).load(meeting.scheduledBy.id) : null;
  }
}
