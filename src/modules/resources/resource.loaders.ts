import DataLoader from 'dataloader';
import { childCountLoader, childPageLoader, type LoaderRegistry, type OrderColumn, CREATED_ORDER } from '../../shared/loaders';
import type { Page } from '../../shared/pagination';
import { Member } from '../members/member.entity';
import { ResourceOrder } from './resource.inputs';
import { Resource, type ResourceKind } from './resource.entity';

/**
 * Keyset orders, every column descending so one row comparison seeks past a cursor; each walks its partial index
 * (community, ..., created_at, id) WHERE removed_at IS NULL. `id` breaks ties, so no two rows share a position.
 */
export const RESOURCE_ORDERS: Record<ResourceOrder, OrderColumn[]> = {
  [ResourceOrder.NEWEST]: CREATED_ORDER,
  [ResourceOrder.ENDORSEMENTS]: [
    { column: 'endorsement_count', property: 'endorsementCount', kind: 'integer' },
    ...CREATED_ORDER,
  ],
};

export interface ResourceFilter {
  tag: string | null;
  kind: ResourceKind | null;
}

/** SQL for the listing filter on the resource row `t`; removed resources never appear. */
function filterSql(filter: ResourceFilter): { where: string; params: unknown[]; key: string } {
  const clauses = ['t.removed_at is null'];
  const params: unknown[] = [];
  if (filter.kind) {
    clauses.push('t.kind = ?');
    params.push(filter.kind);
  }
  if (filter.tag !== null) {
    clauses.push('? = any(t.tags)');
    params.push(filter.tag);
  }
  return { where: clauses.join(' and '), params, key: JSON.stringify([filter.kind, filter.tag]) };
}

/** One page of resources for many communities in one statement; sharers come along (primed into the Member loader). */
export function resourcesPageLoader(registry: LoaderRegistry, page: Page, order: ResourceOrder, filter: ResourceFilter) {
  const { where, params, key } = filterSql(filter);
  return childPageLoader<Resource>(
    registry,
    `resourcesOfCommunity:${order}:${key}`,
    {
      entity: Resource,
      table: 'resource',
      parentColumn: 'community_id',
      order: RESOURCE_ORDERS[order],
      direction: 'desc',
      where,
      whereParams: params,
      include: { column: 'shared_by_id', table: 'member', entity: Member },
    },
    page,
  );
}

export function resourceCountLoader(registry: LoaderRegistry, filter: ResourceFilter) {
  const { where, params, key } = filterSql(filter);
  return childCountLoader(registry, `resourcesOfCommunity:${key}`, 'resource', 'community_id', where, params);
}

/** Whether the viewer endorsed each resource: one statement per batch, false for anonymous viewers. */
export function viewerEndorsedLoader(registry: LoaderRegistry) {
  return registry.get<boolean>('viewerEndorsed', () =>
    new DataLoader<string, boolean>(async (resourceIds) => {
      if (!registry.viewerId) return resourceIds.map(() => false);
      const rows = await registry.em.execute<{ resource_id: string }[]>(
        'select resource_id from resource_endorsement where member_id = ? and resource_id in (?)',
        [registry.viewerId, [...resourceIds]],
      );
      const endorsed = new Set(rows.map((row) => row.resource_id));
      return resourceIds.map((id) => endorsed.has(id));
    }),
  );
}
