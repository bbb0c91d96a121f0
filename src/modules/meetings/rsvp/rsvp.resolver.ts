import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { parseId } from '../../../shared/ids';
import { cursorValues } from '../../../shared/loaders';
import { PageArgs, parsePage, toConnection, type ConnectionResult } from '../../../shared/pagination';
import { authorize, requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { Meeting, MeetingStatus } from '../meeting/meeting.entity';
import { RsvpStatus } from '../meeting/meetingRsvp.entity';
import { rsvp, type RsvpAnswer } from './commands/rsvp';
import {
  ANSWER_ORDER,
  answerCountsLoader,
  ATTENDANCE_ORDER,
  attendancePageLoader,
  attendanceTotalLoader,
  goingPageLoader,
  goingTotalLoader,
  viewerRsvpLoader,
} from './rsvp.loaders';
import { READ_REFUSAL } from '../meeting/meeting.policy';
import { ATTENDEES_REFUSAL } from './rsvp.policy';
import { MeetingAttendeeConnection, RsvpInput, type MeetingAttendeeEdge } from './rsvp.types';

@Resolver(() => Meeting)
export class MeetingRsvpResolver {
  @Mutation(() => Meeting, {
    description:
      "The viewer's answer (ACTIVE members of the meeting's community, until it starts: cancelled, held or started is CONFLICT). " +
      'GOING beyond the capacity is WAITLISTED; leaving GOING gives the place to the earliest waitlisted member',
  })
  rsvp(@Arg('input') input: RsvpInput, @Ctx() ctx: Context): Promise<Meeting> {
    requireMember(ctx.actor);
    const meetingId = parseId(input.meetingId, 'Meeting', 'meetingId');
    return rsvp(ctx, { meetingId, status: input.status as unknown as RsvpAnswer });
  }

  @FieldResolver(() => Int, { description: 'Members who answered GOING (and have a place)' })
  async goingCount(@Root() meeting: Meeting, @Ctx() ctx: Context): Promise<number> {
    return (await answerCountsLoader(ctx.loaders).load(meeting.id)).going;
  }

  @FieldResolver(() => Int, { description: 'Members waiting for a place (answered GOING when it was full)' })
  async waitlistCount(@Root() meeting: Meeting, @Ctx() ctx: Context): Promise<number> {
    return (await answerCountsLoader(ctx.loaders).load(meeting.id)).waitlisted;
  }

  @FieldResolver(() => RsvpStatus, { nullable: true, description: "The viewer's answer (WAITLISTED: waiting for a place); null when none or anonymous" })
  viewerRsvp(@Root() meeting: Meeting, @Ctx() ctx: Context): Promise<RsvpStatus | null> | null {
    if (!ctx.viewer) return null;
    return viewerRsvpLoader(ctx.loaders).load(meeting.id);
  }

  @FieldResolver(() => MeetingAttendeeConnection, {
    nullable: true,
    description:
      'Who is coming: those who answered GOING, in the order they got their place; once attendance is recorded (HELD), who attended. ' +
      "Names are for the community's ACTIVE members and staff (others: null with FORBIDDEN; the counts stay public to readers)",
  })
  async attendees(@Root() meeting: Meeting, @Args() args: PageArgs, @Ctx() ctx: Context): Promise<ConnectionResult<MeetingAttendeeEdge>> {
    const held = meeting.status === MeetingStatus.HELD;
    const page = parsePage(args, held ? ATTENDANCE_ORDER : ANSWER_ORDER);
    await authorize(ctx.actor, 'read', meeting, READ_REFUSAL);
    await authorize(ctx.actor, 'readAttendees', meeting, ATTENDEES_REFUSAL);
    // The members came with the page (primed into byId): no statement per row. Rows go when their member does, so each has one.
    const members = ctx.loaders.byId(Member);
    if (held) {
      const rows = await attendancePageLoader(ctx.loaders, page).load(meeting.id);
      const withMembers = await Promise.all(rows.map(async (row) => ({ row, member: await members.load(row.member.id) })));
      return toConnection(
        withMembers,
        page,
        (entry) => cursorValues(entry.row, ATTENDANCE_ORDER),
        () => attendanceTotalLoader(ctx.loaders).load(meeting.id),
        (entry, cursor) => ({ cursor, node: entry.member!, attended: true, since: entry.row.createdAt }),
      );
    }
    const rows = await goingPageLoader(ctx.loaders, page).load(meeting.id);
    const withMembers = await Promise.all(rows.map(async (row) => ({ row, member: await members.load(row.member.id) })));
    return toConnection(
      withMembers,
      page,
      (entry) => cursorValues(entry.row, ANSWER_ORDER),
      () => goingTotalLoader(ctx.loaders).load(meeting.id),
      (entry, cursor) => ({ cursor, node: entry.member!, attended: false, since: entry.row.answeredAt }),
    );
  }
}
