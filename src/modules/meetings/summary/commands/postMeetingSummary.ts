import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { badField, conflict } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { Resource } from '../../../resources/resource.entity';
import { ORGANISE_REFUSAL } from '../../attendance/attendance.policy';
import type { Meeting } from '../../meeting/meeting.entity';
import { findMeeting, lockMeetingRow, refuseNotStarted } from '../../rsvp/lockMeetingRow';
import { postSummaryThread, summaryBody, summaryTitle } from '../summaryThread';

export interface PostMeetingSummaryProps {
  meetingId: string;
  summary: string;
  /** Database ids of resources of the meeting's community (order kept, duplicates dropped). */
  resourceIds: string[];
}

/**
 * The meeting's organisers (Meeting `organise`), once it has started (not started or cancelled: CONFLICT), post its
 * summary: an ANNOUNCEMENT thread in the community listing the summary and the resources shared (each a resource of
 * this community that is still there, else BAD_USER_INPUT on resourceIds), `Meeting.summary` set, and a
 * MeetingSummaryPosted event for MEETING_SUMMARY to attendees and answerers. Once per meeting: a second post is
 * CONFLICT (the thread is the summary's one home; its author corrects it by editing the thread).
 */
export async function postMeetingSummary(scope: CommandScope, props: PostMeetingSummaryProps): Promise<Meeting> {
  const member = requireMember(scope.actor);
  await authorize(scope.actor, 'organise', await findMeeting(scope, props.meetingId), ORGANISE_REFUSAL);
  const resourceIds = [...new Set(props.resourceIds)];
  return scope.em.transactional(async (em) => {
    const meeting = await lockMeetingRow(em, await findMeeting(scope, props.meetingId));
    refuseNotStarted(meeting);
    if (meeting.summaryPostedAt) throw conflict('This meeting already has its summary: edit its thread to change it');
    const found = resourceIds.length ? await em.find(Resource, { id: { $in: resourceIds }, community: meeting.community.id, removedAt: null }) : [];
    if (found.length !== resourceIds.length) throw badField('resourceIds', "must be resources shared in this meeting's community");
    const byId = new Map(found.map((resource) => [resource.id, resource]));
    const resources = resourceIds.map((id) => byId.get(id)!);

    const community = await scope.actor.community(meeting.community.id);
    const thread = await postSummaryThread(scope, em, community, { title: summaryTitle(meeting), body: summaryBody(props.summary, resources) });
    meeting.summary = props.summary.trim();
    meeting.summaryThread = thread;
    meeting.summaryPostedAt = new Date();
    await recordEvent(em, member.id, { type: 'MeetingSummaryPosted', communityId: community.id, meetingId: meeting.id, threadId: thread.id });
    return meeting;
  });
}
