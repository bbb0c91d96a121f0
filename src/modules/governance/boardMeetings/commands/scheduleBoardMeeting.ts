import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { badField, conflict } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { Member } from '../../../members/member.entity';
import { ORGANISATION } from '../../../members/organisation.policy';
import { recordAudit } from '../../audit/recordAudit';
import { BoardMeeting } from '../boardMeeting.entity';

/** How far ahead a meeting may be scheduled: a typo in the year should not set every review deadline. */
const MAX_YEARS_AHEAD = 5;

/**
 * Staff or board schedule a board meeting, in the future (a meeting in the past would silently put proposals
 * under review or past their deadline). Two meetings at the same instant would be one meeting: CONFLICT.
 */
export async function scheduleBoardMeeting(scope: CommandScope, props: { startsAt: Date }): Promise<BoardMeeting> {
  const actor = requireMember(scope.actor);
  await authorize(scope.actor, 'scheduleBoardMeeting', ORGANISATION, 'Only board members and staff schedule board meetings');
  const now = Date.now();
  if (Number.isNaN(props.startsAt.getTime()) || props.startsAt.getTime() <= now) throw badField('startsAt', 'must be in the future');
  if (props.startsAt.getTime() > now + MAX_YEARS_AHEAD * 366 * 24 * 3600_000) throw badField('startsAt', `must be within ${MAX_YEARS_AHEAD} years`);
  return scope.em.transactional(async (em) => {
    if (await em.count(BoardMeeting, { startsAt: props.startsAt })) throw conflict('A board meeting is already scheduled at that time');
    const meeting = new BoardMeeting();
    meeting.startsAt = props.startsAt;
    meeting.scheduledBy = em.getReference(Member, actor.id);
    em.persist(meeting);
    const startsAt = meeting.startsAt.toISOString();
    await recordEvent(em, actor.id, { type: 'BoardMeetingScheduled', boardMeetingId: meeting.id, startsAt });
    recordAudit(em, actor.id, { action: 'boardMeeting.scheduled', subject: { type: 'BoardMeeting', id: meeting.id }, details: { after: { startsAt } } });
    return meeting;
  });
}
