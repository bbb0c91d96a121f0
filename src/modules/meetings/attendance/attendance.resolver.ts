import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../../context';
import { parseId } from '../../../shared/ids';
import { requireMember } from '../../../shared/policy';
import { Meeting } from '../meeting/meeting.entity';
import { RecordAttendanceInput } from './attendance.inputs';
import { recordAttendance } from './commands/recordAttendance';

@Resolver(() => Meeting)
export class MeetingAttendanceResolver {
  @Mutation(() => Meeting, {
    description:
      "The meeting's organisers, once it has started: who attended (ACTIVE members of the community), replacing what was recorded; the meeting becomes HELD",
  })
  recordAttendance(@Arg('input') input: RecordAttendanceInput, @Ctx() ctx: Context): Promise<Meeting> {
    requireMember(ctx.actor);
    const meetingId = parseId(input.meetingId, 'Meeting', 'meetingId');
    const memberIds = input.memberIds.map((id) => parseId(id, 'Member', 'memberIds'));
    return recordAttendance(ctx, { meetingId, memberIds });
  }
}
