import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { parseId } from '../../../shared/ids';
import { requireMember } from '../../../shared/policy';
import { readableThread } from '../../discussions/thread.resolver';
import { Thread } from '../../discussions/thread.entity';
import { Meeting } from '../meeting/meeting.entity';
import { postMeetingSummary } from './commands/postMeetingSummary';
import { PostMeetingSummaryInput } from './summary.inputs';

@Resolver(() => Meeting)
export class MeetingSummaryResolver {
  @Mutation(() => Meeting, {
    description:
      "The meeting's organisers, once it has started: posts its summary as an ANNOUNCEMENT thread (with the resources shared) and tells attendees " +
      'and those who answered (MEETING_SUMMARY). Once per meeting (again: CONFLICT)',
  })
  postMeetingSummary(@Arg('input') input: PostMeetingSummaryInput, @Ctx() ctx: Context): Promise<Meeting> {
    requireMember(ctx.actor);
    const meetingId = parseId(input.meetingId, 'Meeting', 'meetingId');
    const resourceIds = input.resourceIds.map((id) => parseId(id, 'Resource', 'resourceIds'));
    return postMeetingSummary(ctx, { meetingId, summary: input.summary, resourceIds });
  }

  @FieldResolver(() => Thread, { nullable: true, description: 'The ANNOUNCEMENT thread its summary was posted in (null until then)' })
  summaryThread(@Root() meeting: Meeting, @Ctx() ctx: Context): Promise<Thread | null> | null {
    return meeting.summaryThread ? readableThread(ctx, meeting.summaryThread.id) : null;
  }
}
