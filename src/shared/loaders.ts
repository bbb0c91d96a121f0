import DataLoader from 'dataloader';
import { ReferenceKind, type EntityClass } from '@mikro-orm/core';
import type { Em } from '../db/orm';
import type { KeysetColumn, Page } from './pagination';
import { isReadView, readView } from './readViews';

/**
 * Per-request DataLoaders, created lazily and memoised by name (and page arguments), so that any field on any
 * number of parents costs one SQL statement per batch. Long-lived sockets get a fresh set per event.
 */
export class LoaderRegistry {
  private readonly loaders = new Map<string, DataLoader<string, unknown>>();
  /** Read-only views this request already read (see readViews), by entity name and id; never handed to commands. */
  private readonly views = new Map<string, Map<string, unknown>>();
  private readonly viewer: string | null;

  constructor(
    readonly em: Em,
    viewerId: string | null,
    /**
     * Entity reads shared with other registries (live events: every subscriber of one event reads the same post
     * once). Only viewer-independent `byId` loads go there; viewer-specific loaders stay in this registry.
     */
    private readonly shared?: LoaderRegistry,
    /** Told whenever something reads `viewerId`, i.e. computes something viewer-specific (see live/sharedExecution). */
    private readonly onViewerRead?: () => void,
  ) {
    this.viewer = viewerId;
  }

  /** Whose loaders these are; viewer-specific loaders read it (at creation or when they batch). */
  get viewerId(): string | null {
    this.onViewerRead?.();
    return this.viewer;
  }

  get<V>(name: string, create: () => DataLoader<string, V>): DataLoader<string, V> {
    let loader = this.loaders.get(name);
    if (!loader) {
      loader = create() as DataLoader<string, unknown>;
      this.loaders.set(name, loader);
    }
    return loader as DataLoader<string, V>;
  }

  /**
   * A loader shared with every registry that shares this one's entity reads (one live event's subscribers), for
   * loaders whose keys say everything (e.g. a viewer and a community): many viewers' reads then batch together.
   */
  sharedGet<V>(name: string, create: () => DataLoader<string, V>): DataLoader<string, V> {
    return (this.shared ?? this).get(name, create);
  }

  /** Loads entities by primary key; missing ones are null. */
  byId<T extends { id: string }>(entity: EntityClass<T>): DataLoader<string, T | null> {
    if (this.shared) return this.shared.byId(entity);
    return this.get(`byId:${entity.name}`, () =>
      new DataLoader<string, T | null>(async (ids) => {
        const rows = await this.em.find(entity, { id: { $in: [...ids] } } as never);
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
    );
  }

  /**
   * For showing an entity or checking a right on it, never for changing it: a read-only view this request already
   * read with a page (returned as is, no promise), else the managed entity from `byId`.
   */
  read<T extends { id: string }>(entity: EntityClass<T>, id: string): T | Promise<T | null> {
    const view = this.views.get(entity.name)?.get(id) as T | undefined;
    return view ?? this.byId(entity).load(id);
  }

  /** Remembers an entity for `read`: a read-only view stays out of `byId` (whose entities commands may change). */
  primeRead<T extends { id: string }>(entity: EntityClass<T>, value: T): void {
    if (!isReadView(value)) {
      this.byId(entity).prime(value.id, value);
      return;
    }
    let views = this.views.get(entity.name);
    if (!views) this.views.set(entity.name, (views = new Map()));
    if (!views.has(value.id)) views.set(value.id, value);
  }
}

/** A keyset order column (see pagination). */
export type OrderColumn = KeysetColumn;

/** Oldest or newest first (the direction is the query's); `id` breaks ties, so no two rows share a position. */
export const CREATED_ORDER: OrderColumn[] = [
  { column: 'created_at', property: 'createdAt', kind: 'timestamp' },
  { column: 'id', property: 'id', kind: 'uuid' },
];

export interface ChildPageQuery {
  entity: EntityClass<object>;
  table: string;
  parentColumn: string;
  /** Keyset order; every column in one direction so a row comparison can seek past the cursor. */
  order: OrderColumn[];
  direction: 'asc' | 'desc';
  /** Extra SQL condition on the child row `t` (trusted text; values go in `whereParams`). */
  where?: string;
  whereParams?: unknown[];
  /**
   * A to-one relation to fetch in the same statement (e.g. each post's author): its rows are mapped and primed
   * into that entity's `byId` loader, so resolving it later costs no query.
   */
  include?: { column: string; table: string; entity: EntityClass<{ id: string }> };
  /**
   * Rows (and included rows) as read-only views instead of managed entities: for pages that are only shown. The
   * included rows then go to `registry.read`, not `byId`.
   */
  readOnly?: boolean;
}

/**
 * The columns an entity maps, as `t."col"` SQL: what em.find would read. Lazy columns (full-text search vectors)
 * stay in the table; `t.*` would ship them with every page row.
 */
function mappedColumns(registry: LoaderRegistry, entity: EntityClass<object>): string {
  const meta = registry.em.getMetadata().find(entity);
  if (!meta) return 't.*';
  const owning = (kind: ReferenceKind, owner?: boolean) =>
    kind === ReferenceKind.SCALAR || kind === ReferenceKind.MANY_TO_ONE || (kind === ReferenceKind.ONE_TO_ONE && owner);
  return meta.props
    .filter((prop) => prop.persist !== false && !prop.lazy && prop.fieldNames?.length && owning(prop.kind, prop.owner))
    .flatMap((prop) => prop.fieldNames)
    .map((column) => `t."${column}"`)
    .join(', ');
}

/**
 * Loads one page of children for many parents in one statement: a LATERAL subquery per parent walks the
 * (parent, order...) index and stops after `first + 1` rows, however many children a parent has.
 */
export function childPageLoader<T extends object>(registry: LoaderRegistry, name: string, query: ChildPageQuery, page: Page) {
  const key = `page:${name}:${page.first}:${JSON.stringify(page.after)}`;
  return registry.get<T[]>(key, () =>
    new DataLoader<string, T[]>(async (parentIds) => {
      const { table, parentColumn, order, direction, include } = query;
      const columns = order.map((o) => `t.${o.column}`);
      const orderSql = columns.map((column) => `${column} ${direction}`).join(', ');
      const seek = page.after ? ` and (${columns.join(', ')}) ${direction === 'asc' ? '>' : '<'} (${order.map(() => '?').join(', ')})` : '';
      const where = query.where ? ` and (${query.where})` : '';
      const sql =
        `select p.id as page_parent, page_rows.*${include ? ', row_to_json(inc.*) as included_row' : ''} ` +
        `from (values ${parentIds.map(() => '(?::uuid)').join(', ')}) as p(id) ` +
        `cross join lateral (select ${mappedColumns(registry, query.entity)} from "${table}" t where t.${parentColumn} = p.id${where}${seek} ` +
        `order by ${orderSql} limit ?) page_rows` +
        `${include ? ` left join "${include.table}" inc on inc.id = page_rows.${include.column}` : ''} ` +
        `order by p.id, ${order.map((o) => `page_rows.${o.column} ${direction}`).join(', ')}`;
      const params = [...parentIds, ...(query.whereParams ?? []), ...(page.after ?? []), page.first + 1];
      const rows = await registry.em.execute<Record<string, unknown>[]>(sql, params);
      const byParent = new Map<string, T[]>();
      for (const { page_parent: parentId, included_row: included, ...row } of rows) {
        if (include && included) {
          if (query.readOnly) registry.primeRead(include.entity, readView(registry.em, include.entity, included as Record<string, unknown>));
          else {
            const related = registry.em.map(include.entity, included as Record<string, unknown>);
            registry.byId(include.entity).prime(related.id, related);
          }
        }
        const entity = (query.readOnly ? readView(registry.em, query.entity, row) : registry.em.map(query.entity, row)) as T;
        const list = byParent.get(parentId as string) ?? [];
        list.push(entity);
        byParent.set(parentId as string, list);
      }
      return parentIds.map((id) => byParent.get(id) ?? []);
    }),
  );
}

/** Counts children per parent in one GROUP BY statement; `where` may refer to the child row as `t`. */
export function childCountLoader(
  registry: LoaderRegistry,
  name: string,
  table: string,
  parentColumn: string,
  where?: string,
  whereParams: unknown[] = [],
) {
  return registry.get<number>(`count:${name}`, () =>
    new DataLoader<string, number>(async (parentIds) => {
      const rows = await registry.em.execute<{ parent: string; total: string | number }[]>(
        `select t.${parentColumn} as parent, count(*) as total from "${table}" t where t.${parentColumn} in (?)` +
          `${where ? ` and (${where})` : ''} group by t.${parentColumn}`,
        [[...parentIds], ...whereParams],
      );
      const counts = new Map(rows.map((r) => [r.parent, Number(r.total)]));
      return parentIds.map((id) => counts.get(id) ?? 0);
    }),
  );
}

/** The cursor values of an entity for a keyset order (dates as ISO strings so they survive JSON). */
export function cursorValues(entity: object, order: OrderColumn[]): unknown[] {
  return order.map(({ property }) => {
    const value = (entity as Record<string, unknown>)[property];
    return value instanceof Date ? value.toISOString() : value;
  });
}
