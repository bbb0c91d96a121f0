import type { Em } from '../../../db/orm';
import { recordEvent } from '../../../events/record';
import './lifecycle.events';

/** Database IDs of one community's meetings, time polls, rituals and surveys that move together. */
export interface MeetingContentIds {
  meetingIds: string[];
  timePollIds: string[];
  ritualIds: string[];
  surveyIds: string[];
}

export interface MovedMeetingContent {
  meetings: number;
  timePolls: number;
  rituals: number;
  surveys: number;
}

export const NOTHING_MOVED: MovedMeetingContent = { meetings: 0, timePolls: 0, rituals: 0, surveys: 0 };

const list = (ids: readonly string[]) => ids.map(() => '?').join(', ');

/**
 * What a merge takes from a source: every meeting but its ANNUAL ones (the merged community has its own annual meeting
 * each year; the unique (community, year) key allows no second), every ritual, and every time poll and survey except
 * those about an ANNUAL meeting (a poll or survey goes where its meeting goes, so it stays with it in the archive).
 */
export async function mergeableContent(em: Em, communityId: string): Promise<MeetingContentIds> {
  const ids = async (sql: string) => (await em.execute<{ id: string }[]>(sql, [communityId])).map((row) => row.id);
  const notAboutAnnual = `and not exists (select 1 from meeting m where m.id = x.meeting_id and m.kind = 'ANNUAL')`;
  return {
    meetingIds: await ids(`select id from meeting where community_id = ? and kind <> 'ANNUAL' order by sort_at, id`),
    timePollIds: await ids(`select x.id from time_poll x where x.community_id = ? ${notAboutAnnual} order by x.created_at, x.id`),
    ritualIds: await ids('select id from ritual where community_id = ? order by created_at, id'),
    surveyIds: await ids(`select x.id from survey x where x.community_id = ? ${notAboutAnnual} order by x.created_at, x.id`),
  };
}

/**
 * Moves meetings, time polls, rituals and surveys of `from` into `to` inside the split's or merge's transaction,
 * keeping their IDs. What hangs on them follows by its foreign key: answers, attendance, reminders (their queued jobs
 * are keyed by the reminder and read the meeting's community when they fire, so they remind the new community's
 * members), time poll options and votes, ritual occurrences, survey questions and answers. A moved meeting's
 * `sequence` is bumped: calendars replace their copy, whose description and link name the community. Notifications
 * about the moved objects carry their new community (the inbox filters on it). Each move records its event
 * (MeetingMoved, TimePollMoved, RitualMoved, SurveyMoved). Rituals' hosts are memberships: `rehostRituals` says
 * how they follow (a split copies memberships, so each host becomes the same member's membership of `to`; a merge
 * keeps membership IDs and re-points its duplicates itself, see mergeMemberships).
 */
export async function moveMeetingContent(
  em: Em,
  actorId: string,
  props: { from: string; to: string; ids: MeetingContentIds; rehostRituals: boolean },
): Promise<MovedMeetingContent> {
  const { from, to, ids } = props;
  await em.flush();
  const move = (table: string, moved: string[], extra = '') =>
    moved.length
      ? em.execute<{ id: string; kind?: string }[]>(
          `update ${table} set community_id = ?${extra} where community_id = ? and id in (${list(moved)}) returning id${table === 'meeting' ? ', kind::text as kind' : ''}`,
          [to, from, ...moved],
        )
      : Promise.resolve([]);
  const meetings = await move('meeting', ids.meetingIds, ', sequence = sequence + 1');
  const polls = await move('time_poll', ids.timePollIds);
  const rituals = await move('ritual', ids.ritualIds);
  const surveys = await move('survey', ids.surveyIds);
  if (props.rehostRituals) await rehostRituals(em, rituals.map((r) => r.id), to);

  for (const [subjectType, rows] of [['Meeting', meetings], ['TimePoll', polls], ['Survey', surveys]] as const) {
    if (!rows.length) continue;
    await em.execute(`update notification set community_id = ? where subject_type = ? and subject_id in (${list(rows.map((r) => r.id))})`, [
      to,
      subjectType,
      ...rows.map((r) => r.id),
    ]);
  }

  const base = { communityId: to, fromCommunityId: from };
  for (const row of meetings) await recordEvent(em, actorId, { type: 'MeetingMoved', ...base, meetingId: row.id, kind: row.kind! });
  for (const row of polls) await recordEvent(em, actorId, { type: 'TimePollMoved', ...base, pollId: row.id });
  for (const row of rituals) await recordEvent(em, actorId, { type: 'RitualMoved', ...base, ritualId: row.id });
  for (const row of surveys) await recordEvent(em, actorId, { type: 'SurveyMoved', ...base, surveyId: row.id });
  return { meetings: meetings.length, timePolls: polls.length, rituals: rituals.length, surveys: surveys.length };
}

/**
 * A split's moved rituals: each host membership (of the original) becomes the same member's membership of `to`, in
 * rotation order; a host with none there (they had left the original, so the part did not copy them) drops out, and
 * the rotation index stays within the shorter list.
 */
async function rehostRituals(em: Em, ritualIds: string[], to: string): Promise<void> {
  if (!ritualIds.length) return;
  await em.execute(
    `update ritual r set host_membership_ids = h.ids, next_host_index = case when cardinality(h.ids) > 0 then r.next_host_index % cardinality(h.ids) else 0 end ` +
      `from (select r2.id, coalesce((select array_agg(n.id order by o.ord) from unnest(r2.host_membership_ids) with ordinality o(id, ord) ` +
      `join membership om on om.id = o.id join membership n on n.member_id = om.member_id and n.community_id = ?), '{}'::uuid[]) as ids ` +
      `from ritual r2 where r2.id in (${list(ritualIds)})) h where h.id = r.id`,
    [to, ...ritualIds],
  );
}
