import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badField } from './errors';
import { hasControlCharacter } from './validation';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `How many items (1–${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE})` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page' })
  after?: string | null;
}

/** How a keyset column's cursor value must look; anything else in an `after` cursor is BAD_USER_INPUT. */
export type CursorValueKind = 'boolean' | 'timestamp' | 'uuid' | 'string' | 'integer';

/** One column of a keyset order: its SQL column (trusted, never user input), entity property and value kind. */
export interface KeysetColumn {
  column: string;
  property: string;
  kind: CursorValueKind;
}

const ISO_TIMESTAMP = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;

/**
 * A real instant PostgreSQL can hold: years 0001–9999 (PostgreSQL has no year 0) and no field that JavaScript
 * would roll over (February 30, 24:00): the value must read back as itself to the second.
 */
function isCursorTimestamp(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = ISO_TIMESTAMP.exec(value);
  if (!match || Number(match[1]) < 1) return false;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === value.slice(0, 19);
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const cursorValueIsValid: Record<CursorValueKind, (value: unknown) => boolean> = {
  boolean: (value) => typeof value === 'boolean',
  timestamp: isCursorTimestamp,
  uuid: (value) => typeof value === 'string' && UUID.test(value),
  // A crafted cursor is free text too: a NUL in it would fail in PostgreSQL rather than be refused.
  string: (value) => typeof value === 'string' && value.length <= 1000 && !hasControlCharacter(value),
  integer: (value) => typeof value === 'number' && Number.isSafeInteger(value),
};

export interface Page {
  first: number;
  /** Decoded keyset values of the `after` cursor, or null for the first page. */
  after: unknown[] | null;
}

/**
 * Validates `first`/`after` once for every connection; bad values are BAD_USER_INPUT. A cursor that decodes but
 * does not fit this connection's order (another connection's cursor, values of the wrong type) is refused too,
 * rather than becoming a silently empty page or a SQL error.
 */
export function parsePage(args: { first?: number | null; after?: string | null }, order: KeysetColumn[]): Page {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badField('first', `must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  const after = args.after ? decodeCursor(args.after) : null;
  if (after && (after.length !== order.length || !order.every((o, i) => cursorValueIsValid[o.kind](after[i])))) {
    throw badField('after', 'is not a valid cursor');
  }
  return { first, after };
}

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length > 0 && values.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) {
      return values;
    }
  } catch {
    // fall through: not one of our cursors
  }
  throw badField('after', 'is not a valid cursor');
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/**
 * A Relay connection. `totalCount` is a getter so its COUNT query runs only when a client asks for it.
 */
export class ConnectionResult<E> {
  constructor(
    readonly edges: E[],
    readonly pageInfo: PageInfo,
    private readonly count: () => Promise<number>,
  ) {}

  get totalCount(): Promise<number> {
    return this.count();
  }
}

/** Builds a connection from rows fetched with `first + 1` (the extra row only tells whether a next page exists). */
export function toConnection<T, E = Edge<T>>(
  rows: T[],
  page: Page,
  cursorOf: (row: T) => unknown[],
  count: () => Promise<number>,
  edgeOf: (row: T, cursor: string) => E = (node, cursor) => ({ node, cursor }) as E,
): ConnectionResult<E> {
  const hasNextPage = rows.length > page.first;
  const visible = hasNextPage ? rows.slice(0, page.first) : rows;
  const edges = visible.map((row) => {
    const cursor = encodeCursor(cursorOf(row));
    return { cursor, edge: edgeOf(row, cursor) };
  });
  return new ConnectionResult<E>(
    edges.map((e) => e.edge),
    { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    count,
  );
}

/** Declares the GraphQL types `<Name>Edge` and `<Name>Connection` for a node type. */
export function connectionType<T extends object>(name: string, nodeType: ClassType<T>, edgeType?: ClassType) {
  @ObjectType(`${name}Edge`)
  class DefaultEdge {
    @Field()
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class Connection {
    @Field(() => [edgeType ?? DefaultEdge])
    edges!: Edge<T>[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int)
    totalCount!: number;
  }
  return Connection;
}
