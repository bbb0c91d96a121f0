import { childCountLoader, childPageLoader, CREATED_ORDER, type LoaderRegistry, type OrderColumn } from '../../../shared/loaders';
import type { Page } from '../../../shared/pagination';
import { Ritual, RitualOccurrence } from './ritual.entity';

/** Rituals oldest first (the order they were set up); occurrences newest first. */
export const RITUAL_ORDER = CREATED_ORDER;
export const OCCURRENCE_ORDER: OrderColumn[] = [
  { column: 'occurrence_at', property: 'occurrenceAt', kind: 'timestamp' },
  { column: 'id', property: 'id', kind: 'uuid' },
];

/** One page of rituals for many communities, one statement per batch. */
export function ritualsPageLoader(registry: LoaderRegistry, page: Page) {
  return childPageLoader<Ritual>(registry, 'rituals', { entity: Ritual, table: 'ritual', parentColumn: 'community_id', order: RITUAL_ORDER, direction: 'asc' }, page);
}

export const ritualCountLoader = (registry: LoaderRegistry) => childCountLoader(registry, 'rituals', 'ritual', 'community_id');

/** One page of occurrences for many rituals, one statement per batch. */
export function occurrencesPageLoader(registry: LoaderRegistry, page: Page) {
  return childPageLoader<RitualOccurrence>(
    registry,
    'ritualOccurrences',
    { entity: RitualOccurrence, table: 'ritual_occurrence', parentColumn: 'ritual_id', order: OCCURRENCE_ORDER, direction: 'desc' },
    page,
  );
}

export const occurrenceCountLoader = (registry: LoaderRegistry) => childCountLoader(registry, 'ritualOccurrences', 'ritual_occurrence', 'ritual_id');
