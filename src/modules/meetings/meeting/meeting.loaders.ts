import DataLoader from 'dataloader';
import { childCountLoader, childPageLoader, type LoaderRegistry, type OrderColumn } from '../../../shared/loaders';
import type { Page } from '../../../shared/pagination';
import { Meeting } from './meeting.entity';

/** Meetings in time order: `sort_at` is the start (a TENTATIVE annual meeting: its July week), `id` breaks ties. */
export const MEETING_ORDER: OrderColumn[] = [
  { column: 'sort_at', property: 'sortAt', kind: 'timestamp' },
  { column: 'id', property: 'id', kind: 'uuid' },
];

/** Over: it has ended (or, without an end, started). A TENTATIVE meeting is never over. */
const OVER = 't.starts_at is not null and coalesce(t.ends_at, t.starts_at) <= now()';

function filterOf(upcoming: boolean | null) {
  if (upcoming === null) return { name: 'all', where: undefined, direction: 'asc' as const };
  return upcoming ? { name: 'upcoming', where: `not (${OVER})`, direction: 'asc' as const } : { name: 'past', where: OVER, direction: 'desc' as const };
}

/** One page of meetings for many communities, one statement per batch. */
export function meetingsPageLoader(registry: LoaderRegistry, page: Page, upcoming: boolean | null) {
  const filter = filterOf(upcoming);
  return childPageLoader<Meeting>(
    registry,
    `meetings:${filter.name}`,
    { entity: Meeting, table: 'meeting', parentColumn: 'community_id', order: MEETING_ORDER, direction: filter.direction, where: filter.where },
    page,
  );
}

export function meetingCountLoader(registry: LoaderRegistry, upcoming: boolean | null) {
  const filter = filterOf(upcoming);
  return childCountLoader(registry, `meetings:${filter.name}`, 'meeting', 'community_id', filter.where);
}

/** Each community's ANNUAL meeting of one year, for many communities in one statement. */
export function annualMeetingLoader(registry: LoaderRegistry, year: number) {
  return registry.get<Meeting | null>(`annualMeeting:${year}`, () =>
    new DataLoader<string, Meeting | null>(async (communityIds) => {
      const rows = await registry.em.find(Meeting, { community: { $in: [...communityIds] }, annualYear: year });
      const byCommunity = new Map(rows.map((row) => [row.community.id, row]));
      return communityIds.map((id) => byCommunity.get(id) ?? null);
    }),
  );
}
