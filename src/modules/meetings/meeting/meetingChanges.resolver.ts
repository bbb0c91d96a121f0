import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../../context';
import { parseId } from '../../../shared/ids';
import { requireMember } from '../../../shared/policy';
import { Meeting } from './meeting.entity';
import { UpdateMeetingInput } from './meeting.inputs';
import { cancelMeeting } from './commands/cancelMeeting';
import { updateMeeting } from './commands/updateMeeting';

@Resolver(() => Meeting)
export class MeetingChangesResolver {
  @Mutation(() => Meeting, {
    description:
      "Changes a meeting (its community's meeting or event coordinator, LEAD or staff; the ANNUAL meeting: staff). A TENTATIVE meeting given startsAt becomes SCHEDULED; a cancelled or held meeting is CONFLICT",
  })
  updateMeeting(@Arg('input') input: UpdateMeetingInput, @Ctx() ctx: Context): Promise<Meeting> {
    requireMember(ctx.actor);
    const meetingId = parseId(input.meetingId, 'Meeting', 'meetingId');
    return updateMeeting(ctx, { ...input, meetingId });
  }

  @Mutation(() => Meeting, { description: 'Cancels a meeting and tells those who answered; the ANNUAL meeting cannot be cancelled (CONFLICT)' })
  cancelMeeting(@Arg('meetingId', () => ID) meetingId: string, @Ctx() ctx: Context): Promise<Meeting> {
    requireMember(ctx.actor);
    return cancelMeeting(ctx, { meetingId: parseId(meetingId, 'Meeting', 'meetingId') });
  }
}
