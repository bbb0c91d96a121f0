import type { Em } from '../../../db/orm';
import { badUserInput, type FieldError } from '../../../shared/errors';
import { toGlobalId } from '../../../shared/ids';
import type { MeetingContentIds } from './moveMeetingContent';

/** What one part of a split lists of the original's meetings, time polls, rituals and surveys (database IDs). */
export type SplitMeetingLists = Partial<MeetingContentIds>;

const KINDS = [
  { key: 'meetingIds', table: 'meeting', type: 'Meeting', noun: 'meeting' },
  { key: 'timePollIds', table: 'time_poll', type: 'TimePoll', noun: 'time poll' },
  { key: 'ritualIds', table: 'ritual', type: 'Ritual', noun: 'ritual' },
  { key: 'surveyIds', table: 'survey', type: 'Survey', noun: 'survey' },
] as const;

type Row = { id: string; community_id: string; kind: string | null; meeting_id: string | null };

/**
 * Where a split sends the original's meetings, time polls, rituals and surveys: each to the part that lists it; what
 * no part lists stays in the original (which then winds down: see windDownMeetingContent). Rules, all checked before
 * anything is written (BAD_USER_INPUT on `parts.<i>.<list>` naming the object):
 * - an object of another community cannot be listed;
 * - the ANNUAL meeting cannot move: every part has its own from its founding (one per community and year);
 * - a time poll or survey about a meeting goes where its meeting goes: it need not be listed, and listing it for
 *   another part than its meeting's (or for any part while its meeting stays) is refused.
 * (An ID listed in two parts is refused before, by the split command.) Returns each part's IDs, in input order.
 */
export async function placeMeetingContent(em: Em, original: { id: string; name: string }, parts: SplitMeetingLists[]): Promise<MeetingContentIds[]> {
  const placed: MeetingContentIds[] = parts.map((part) => ({
    meetingIds: [...(part.meetingIds ?? [])],
    timePollIds: [...(part.timePollIds ?? [])],
    ritualIds: [...(part.ritualIds ?? [])],
    surveyIds: [...(part.surveyIds ?? [])],
  }));
  const errors: FieldError[] = [];
  const rows = new Map<string, Row>();
  for (const { key, table, type, noun } of KINDS) {
    const listed = placed.flatMap((part) => part[key]);
    if (listed.length) {
      const extra = table === 'meeting' ? 'kind::text as kind, null as meeting_id' : table === 'ritual' ? 'null as kind, null as meeting_id' : 'null as kind, meeting_id';
      const found = await em.execute<Row[]>(`select id, community_id, ${extra} from ${table} where id in (${listed.map(() => '?').join(', ')})`, listed);
      for (const row of found) rows.set(`${type}:${row.id}`, row);
    }
    placed.forEach((part, index) =>
      part[key].forEach((id) => {
        const row = rows.get(`${type}:${id}`);
        if (!row || row.community_id !== original.id) {
          errors.push({ field: `parts.${index}.${key}`, message: `${toGlobalId(type, id)} is not a ${noun} of "${original.name}"` });
        } else if (row.kind === 'ANNUAL') {
          errors.push({ field: `parts.${index}.${key}`, message: `${toGlobalId(type, id)} is the annual meeting: it stays, each part has its own` });
        }
      }),
    );
  }
  if (errors.length) throw badUserInput(errors);

  // Polls and surveys about a meeting follow it: the part listing the meeting, or the original (-1).
  const partOfMeeting = (meetingId: string) => placed.findIndex((part) => part.meetingIds.includes(meetingId));
  for (const { key, table, type, noun } of KINDS.filter((k) => k.key === 'timePollIds' || k.key === 'surveyIds')) {
    placed.forEach((part, index) =>
      part[key].forEach((id) => {
        const meetingId = rows.get(`${type}:${id}`)!.meeting_id;
        if (!meetingId) return;
        const target = partOfMeeting(meetingId);
        if (target === index) return;
        const where = target < 0 ? 'which stays in the original' : `which goes to parts.${target}`;
        errors.push({ field: `parts.${index}.${key}`, message: `${toGlobalId(type, id)} is about ${toGlobalId('Meeting', meetingId)}, ${where}: a ${noun} goes where its meeting goes` });
      }),
    );
    const moving = placed.flatMap((part) => part.meetingIds);
    if (!moving.length) continue;
    const following = await em.execute<{ id: string; meeting_id: string }[]>(
      `select id, meeting_id from ${table} where community_id = ? and meeting_id in (${moving.map(() => '?').join(', ')})`,
      [original.id, ...moving],
    );
    for (const row of following) {
      const list = placed[partOfMeeting(row.meeting_id)]![key];
      if (!list.includes(row.id)) list.push(row.id);
    }
  }
  if (errors.length) throw badUserInput(errors);
  return placed;
}
