import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { badField } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { cursorValues } from '../../../shared/loaders';
import { parsePage, toConnection, type ConnectionResult, type Edge } from '../../../shared/pagination';
import { authorize, requireMember } from '../../../shared/policy';
import { Community } from '../../communities/community.entity';
import { Member } from '../../members/member.entity';
import { Meeting } from './meeting.entity';
import { MeetingsArgs, ScheduleMeetingInput } from './meeting.inputs';
import { annualMeetingLoader, MEETING_ORDER, meetingCountLoader, meetingsPageLoader } from './meeting.loaders';
import { READ_REFUSAL } from './meeting.policy';
import { MeetingConnection } from './meeting.types';
import { scheduleMeeting } from './commands/scheduleMeeting';

@Resolver(() => Community)
export class CommunityMeetingsResolver {
  @FieldResolver(() => MeetingConnection, {
    description: 'Its meetings (see `upcoming`). A RESTRICTED community the viewer may not read: FORBIDDEN (the contract makes the list non-null)',
  })
  async meetings(@Root() community: Community, @Args() args: MeetingsArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<Meeting>>> {
    await authorize(ctx.actor, 'readContent', community, READ_REFUSAL);
    const page = parsePage(args, MEETING_ORDER);
    const upcoming = args.upcoming ?? null;
    const rows = await meetingsPageLoader(ctx.loaders, page, upcoming).load(community.id);
    return toConnection(rows, page, (row) => cursorValues(row, MEETING_ORDER), () => meetingCountLoader(ctx.loaders, upcoming).load(community.id));
  }

  @FieldResolver(() => Meeting, { nullable: true, description: "Its ANNUAL meeting of that year (held in the second week of July), if the year has one" })
  async annualMeeting(@Root() community: Community, @Arg('year', () => Int) year: number, @Ctx() ctx: Context): Promise<Meeting | null> {
    if (!Number.isInteger(year) || year < 2000 || year > 9999) throw badField('year', 'must be a year between 2000 and 9999');
    await authorize(ctx.actor, 'readContent', community, READ_REFUSAL);
    return annualMeetingLoader(ctx.loaders, year).load(community.id);
  }
}

@Resolver(() => Meeting)
export class MeetingResolver {
  @Mutation(() => Meeting, { description: "The community's meeting or event coordinator, LEAD or staff (an ANNUAL meeting: staff)" })
  scheduleMeeting(@Arg('input') input: ScheduleMeetingInput, @Ctx() ctx: Context): Promise<Meeting> {
    requireMember(ctx.actor);
    const communityId = parseId(input.communityId, 'Community', 'communityId');
    return scheduleMeeting(ctx, { ...input, communityId });
  }

  @FieldResolver(() => Community)
  community(@Root() meeting: Meeting, @Ctx() ctx: Context): Promise<Community> {
    return ctx.actor.community(meeting.community.id);
  }

  @FieldResolver(() => Member, { nullable: true, description: 'Who scheduled it; null for the annual meeting the API created, or a member who is gone' })
  createdBy(@Root() meeting: Meeting, @Ctx() ctx: Context): Promise<Member | null> | null {
    return meeting.createdBy ? ctx.loaders.byId(Member).load(meeting.createdBy.id) : null;
  }
}
