import DataLoader from 'dataloader';
import type { Em } from '../../../db/orm';
import type { LoaderRegistry } from '../../../shared/loaders';

/** Members' calendar versions (0 without a row), many in one statement. */
export async function calendarVersions(em: Em, memberIds: readonly string[], loggerContext?: { label: string }): Promise<number[]> {
  const rows = await em.execute<{ member_id: string; version: number }[]>(
    'select member_id, version from calendar_feed where member_id = any(?::uuid[])',
    [`{${memberIds.join(',')}}`],
    'all',
    loggerContext,
  );
  const byMember = new Map(rows.map((row) => [row.member_id, Number(row.version)]));
  return memberIds.map((id) => byMember.get(id) ?? 0);
}

/** The calendar version per member for one request (the viewer's, for every icsUrl of a list: one statement). */
export function calendarVersionLoader(registry: LoaderRegistry) {
  return registry.get<number>('calendarVersion', () => new DataLoader<string, number>((memberIds) => calendarVersions(registry.em, memberIds)));
}
