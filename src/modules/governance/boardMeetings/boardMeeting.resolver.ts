import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { IsDate, IsOptional } from 'class-validator';
import { GraphQLDateTime } from 'graphql-scalars';
import type { Context } from '../../../context';
import { PageArgs, connectionType, parsePage, toConnection, type ConnectionResult, type Edge } from '../../../shared/pagination';
import { requireMember } from '../../../shared/policy';
import { unauthenticated } from '../../../shared/errors';
import { cursorValues, type OrderColumn } from '../../../shared/loaders';
import { Member } from '../../members/member.entity';
import { BoardMeeting } from './boardMeeting.entity';
import { scheduleBoardMeeting } from './commands/scheduleBoardMeeting';
import './boardMeeting.policy';

export const BoardMeetingConnection = connectionType('BoardMeeting', BoardMeeting);

@InputType()
class ScheduleBoardMeetingInput {
  @Field(() => GraphQLDateTime, { description: 'When it starts; in the future' })
  @IsDate()
  startsAt!: Date;
}

@ArgsType()
class BoardMeetingsArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true, description: 'true: only meetings that have not started yet' })
  @IsOptional()
  upcoming?: boolean | null;
}

const STARTS_ORDER: OrderColumn[] = [
  { column: 'starts_at', property: 'startsAt', kind: 'timestamp' },
  { column: 'id', property: 'id', kind: 'uuid' },
];

@Resolver(() => BoardMeeting)
export class BoardMeetingResolver {
  @Query(() => BoardMeetingConnection, { description: 'Board meetings, earliest first: signed-in members (proposers see when they are reviewed)' })
  async boardMeetings(@Args() args: BoardMeetingsArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<BoardMeeting>>> {
    if (!ctx.actor.member) throw unauthenticated('Sign in to see board meetings');
    const page = parsePage(args, STARTS_ORDER);
    const where = args.upcoming ? 'b.starts_at > now()' : 'true';
    const seek = page.after ? ' and (b.starts_at, b.id) > (?, ?)' : '';
    const rows = await ctx.em.execute<Record<string, unknown>[]>(
      `select b.* from board_meeting b where ${where}${seek} order by b.starts_at, b.id limit ?`,
      [...(page.after ?? []), page.first + 1],
    );
    const meetings = rows.map((row) => ctx.em.map(BoardMeeting, row));
    return toConnection(meetings, page, (m) => cursorValues(m, STARTS_ORDER), async () => {
      const [count] = await ctx.em.execute<{ n: string }[]>(`select count(*) as n from board_meeting b where ${where}`);
      return Number(count!.n);
    });
  }

  @Mutation(() => BoardMeeting, { description: 'Staff or board; startsAt in the future' })
  async scheduleBoardMeeting(@Arg('input') input: ScheduleBoardMeetingInput, @Ctx() ctx: Context): Promise<BoardMeeting> {
    requireMember(ctx.actor);
    return scheduleBoardMeeting(ctx, { startsAt: input.startsAt });
  }

  @FieldResolver(() => Member, { nullable: true })
  scheduledBy(@Root() meeting: BoardMeeting, @Ctx() ctx: Context): Promise<Member | null> | null {
    return meeting.scheduledBy ? ctx.loaders.byId(Member).load(meeting.scheduledBy.id) : null;
  }
}
