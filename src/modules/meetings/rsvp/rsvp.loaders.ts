import DataLoader from 'dataloader';
import { childCountLoader, childPageLoader, type LoaderRegistry, type OrderColumn } from '../../../shared/loaders';
import type { Page } from '../../../shared/pagination';
import { Member } from '../../members/member.entity';
import { MeetingAttendance } from '../attendance/meetingAttendance.entity';
import { MeetingRsvp, RsvpStatus } from '../meeting/meetingRsvp.entity';

export interface AnswerCounts {
  going: number;
  waitlisted: number;
}

/** GOING and WAITLISTED counts of many meetings in one GROUP BY statement. */
export function answerCountsLoader(registry: LoaderRegistry) {
  return registry.get<AnswerCounts>('meetingAnswerCounts', () =>
    new DataLoader<string, AnswerCounts>(async (meetingIds) => {
      const rows = await registry.em.execute<{ meeting_id: string; going: string | number; waitlisted: string | number }[]>(
        `select meeting_id, count(*) filter (where status = 'GOING') as going, count(*) filter (where status = 'WAITLISTED') as waitlisted ` +
          `from meeting_rsvp where meeting_id in (?) and status in ('GOING', 'WAITLISTED') group by meeting_id`,
        [[...meetingIds]],
      );
      const byMeeting = new Map(rows.map((row) => [row.meeting_id, { going: Number(row.going), waitlisted: Number(row.waitlisted) }]));
      return meetingIds.map((id) => byMeeting.get(id) ?? { going: 0, waitlisted: 0 });
    }),
  );
}

/** The viewer's own answer to many meetings in one statement; anonymous viewers have none (no statement). */
export function viewerRsvpLoader(registry: LoaderRegistry) {
  return registry.get<RsvpStatus | null>('viewerRsvp', () => {
    const viewerId = registry.viewerId;
    return new DataLoader<string, RsvpStatus | null>(async (meetingIds) => {
      if (!viewerId) return meetingIds.map(() => null);
      const rows = await registry.em.execute<{ meeting_id: string; status: RsvpStatus }[]>(
        'select meeting_id, status::text as status from meeting_rsvp where member_id = ? and meeting_id in (?)',
        [viewerId, [...meetingIds]],
      );
      const byMeeting = new Map(rows.map((row) => [row.meeting_id, row.status]));
      return meetingIds.map((id) => byMeeting.get(id) ?? null);
    });
  });
}

/** GOING answers in the order they got their place; attendance in the order it was recorded. */
export const ANSWER_ORDER: OrderColumn[] = [
  { column: 'answered_at', property: 'answeredAt', kind: 'timestamp' },
  { column: 'id', property: 'id', kind: 'uuid' },
];
export const ATTENDANCE_ORDER: OrderColumn[] = [
  { column: 'created_at', property: 'createdAt', kind: 'timestamp' },
  { column: 'id', property: 'id', kind: 'uuid' },
];

const member = { column: 'member_id', table: 'member', entity: Member };

/** One page of GOING answers for many meetings in one statement, their members primed. */
export const goingPageLoader = (registry: LoaderRegistry, page: Page) =>
  childPageLoader<MeetingRsvp>(
    registry,
    'meetingGoing',
    { entity: MeetingRsvp, table: 'meeting_rsvp', parentColumn: 'meeting_id', order: ANSWER_ORDER, direction: 'asc', where: `t.status = '${RsvpStatus.GOING}'`, include: member },
    page,
  );

export const goingTotalLoader = (registry: LoaderRegistry) => childCountLoader(registry, 'meetingGoing', 'meeting_rsvp', 'meeting_id', `t.status = '${RsvpStatus.GOING}'`);

/** One page of recorded attendance for many meetings in one statement, their members primed. */
export const attendancePageLoader = (registry: LoaderRegistry, page: Page) =>
  childPageLoader<MeetingAttendance>(
    registry,
    'meetingAttendance',
    { entity: MeetingAttendance, table: 'meeting_attendance', parentColumn: 'meeting_id', order: ATTENDANCE_ORDER, direction: 'asc', include: member },
    page,
  );

export const attendanceTotalLoader = (registry: LoaderRegistry) => childCountLoader(registry, 'meetingAttendance', 'meeting_attendance', 'meeting_id');
