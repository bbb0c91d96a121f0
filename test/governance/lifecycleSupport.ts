import { fromGlobalId } from '../../src/shared/ids';
import type { TestServer } from '../support/server';

export const dbId = (globalId: string) => fromGlobalId(globalId)!.id;

let sequence = 0;
export const freshSlug = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++sequence}`;

/** Rows of the tables a lifecycle change touches, for "nothing written" and "nothing lost or duplicated". */
export async function snapshot(server: TestServer) {
  const count = async (table: string) => Number((await server.em().execute<{ n: string }[]>(`select count(*) as n from ${table}`))[0]!.n);
  const [community, membership, thread, post, resource, communityStandard, domainEvent, auditEntry] = await Promise.all(
    ['community', 'membership', 'thread', 'post', 'resource', 'community_standard', 'domain_event', 'audit_entry'].map(count),
  );
  const statuses = await server.em().execute<{ id: string; status: string }[]>('select id, status from community order by id');
  return { community, membership, thread, post, resource, communityStandard, domainEvent, auditEntry, statuses };
}

/** Where threads, posts and resources are, by ID. */
export async function placeOf(server: TestServer, table: 'thread' | 'post' | 'resource', ids: string[]): Promise<Record<string, string>> {
  const rows = await server.em().execute<{ id: string; community_id: string }[]>(
    `select id, community_id from ${table} where id in (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  return Object.fromEntries(rows.map((row) => [row.id, row.community_id]));
}
