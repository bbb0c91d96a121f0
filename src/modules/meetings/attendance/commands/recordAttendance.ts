import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { badField } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { Meeting, MeetingStatus } from '../../meeting/meeting.entity';
import { ORGANISE_REFUSAL } from '../attendance.policy';
import { findMeeting, lockMeetingRow, refuseNotStarted } from '../../rsvp/lockMeetingRow';

export interface RecordAttendanceProps {
  meetingId: string;
  /** Database ids of members (duplicates are ignored). */
  memberIds: string[];
}

/**
 * The meeting's organisers (Meeting `organise`) record who attended, once it has started (not started, or
 * cancelled: CONFLICT): the set replaces what was recorded before, and the meeting is HELD (answers close, health
 * counts it). Every attendee must be an ACTIVE member of the community, else BAD_USER_INPUT on memberIds and nothing
 * is written.
 */
export async function recordAttendance(scope: CommandScope, props: RecordAttendanceProps): Promise<Meeting> {
  const member = requireMember(scope.actor);
  await authorize(scope.actor, 'organise', await findMeeting(scope, props.meetingId), ORGANISE_REFUSAL);
  const memberIds = [...new Set(props.memberIds)];
  return scope.em.transactional(async (em) => {
    const meeting = await lockMeetingRow(em, await findMeeting(scope, props.meetingId));
    refuseNotStarted(meeting);
    const communityId = meeting.community.id;
    if (memberIds.length) {
      const [row] = await em.execute<{ n: string | number }[]>(
        "select count(*) as n from membership where community_id = ? and status = 'ACTIVE' and member_id = any(?::uuid[])",
        [communityId, `{${memberIds.join(',')}}`],
      );
      const strangers = memberIds.length - Number(row!.n);
      if (strangers > 0) throw badField('memberIds', `${strangers} of them ${strangers === 1 ? 'is not an ACTIVE member' : 'are not ACTIVE members'} of this community`);
    }
    const ids = `{${memberIds.join(',')}}`;
    await em.execute('delete from meeting_attendance where meeting_id = ? and not (member_id = any(?::uuid[]))', [meeting.id, ids]);
    await em.execute(
      'insert into meeting_attendance (id, created_at, meeting_id, member_id) select gen_random_uuid(), now(), ?, m from unnest(?::uuid[]) as m ' +
        'on conflict (meeting_id, member_id) do nothing',
      [meeting.id, ids],
    );
    meeting.status = MeetingStatus.HELD;
    await recordEvent(em, member.id, { type: 'AttendanceRecorded', communityId, meetingId: meeting.id, attendeeCount: memberIds.length });
    return meeting;
  });
}
