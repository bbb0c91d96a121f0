import DataLoader from 'dataloader';
import type { Em } from '../../../db/orm';
import type { LoaderRegistry } from '../../../shared/loaders';
import { ProposalStatus } from './communityProposal.entity';

/*
 * A proposal's place in the board's calendar, as SQL over `community_proposal <p>` and `board_meeting`, evaluated
 * at the database's `now()`. The `status` field, the `proposals(status:)` filter, the refusal to edit and the
 * timeline job all use these expressions, so they always agree, whenever the job last ran.
 */

/** Meetings starting after the proposal was received: the ones it is reviewed at. */
const meetingsAfterReceipt = (p: string) => `from board_meeting b where b.starts_at > ${p}.received_at`;

/** SUBMITTED becomes UNDER_REVIEW once the first board meeting after receipt has started (any one started will do: the first started before it). */
export const effectiveStatusSql = (p: string) =>
  `(case when ${p}.status = '${ProposalStatus.SUBMITTED}' and exists (select 1 ${meetingsAfterReceipt(p)} and b.starts_at <= now()) ` +
  `then '${ProposalStatus.UNDER_REVIEW}' else ${p}.status end)`;

/** The start of the first board meeting after receipt (null until one is scheduled). */
export const reviewStartSql = (p: string) => `(select min(b.starts_at) ${meetingsAfterReceipt(p)})`;

/** The start of the second board meeting after receipt (null until two are scheduled). */
export const reviewDeadlineSql = (p: string) => `(select b.starts_at ${meetingsAfterReceipt(p)} order by b.starts_at, b.id offset 1 limit 1)`;

/** The deadline passed with no decision, and the proposer did not withdraw it. */
export const overdueSql = (p: string) =>
  `(${p}.decided_at is null and ${p}.status <> '${ProposalStatus.WITHDRAWN}' and coalesce(${reviewDeadlineSql(p)} <= now(), false))`;

/** The timeline columns for a select list over `<p>`. */
export const timelineColumnsSql = (p: string) =>
  `${effectiveStatusSql(p)} as effective_status, ${reviewDeadlineSql(p)} as review_deadline, ${overdueSql(p)} as overdue`;

export interface ProposalTimeline {
  status: ProposalStatus;
  reviewDeadline: Date | null;
  overdue: boolean;
}

type TimelineRow = { id: string; effective_status: ProposalStatus; review_deadline: string | Date | null; overdue: boolean };

export function toTimeline(row: Omit<TimelineRow, 'id'>): ProposalTimeline {
  return { status: row.effective_status, reviewDeadline: row.review_deadline ? new Date(row.review_deadline) : null, overdue: !!row.overdue };
}

/** The timelines of some proposals, one statement. */
export async function readTimelines(em: Em, ids: readonly string[]): Promise<Map<string, ProposalTimeline>> {
  if (!ids.length) return new Map();
  const rows = await em.execute<TimelineRow[]>(`select p.id, ${timelineColumnsSql('p')} from community_proposal p where p.id = any(?::uuid[])`, [`{${ids.join(',')}}`]);
  return new Map(rows.map((row) => [row.id, toTimeline(row)]));
}

/** Per request: status, reviewDeadline and overdue of each proposal asked for, batched (lists prime it). */
export function timelineLoader(loaders: LoaderRegistry): DataLoader<string, ProposalTimeline | null> {
  return loaders.get('proposalTimeline', () =>
    new DataLoader<string, ProposalTimeline | null>(async (ids) => {
      const timelines = await readTimelines(loaders.em, ids);
      return ids.map((id) => timelines.get(id) ?? null);
    }),
  );
}
