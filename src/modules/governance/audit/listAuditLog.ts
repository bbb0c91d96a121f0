import type { Context } from '../../../context';
import { parseId } from '../../../shared/ids';
import { CREATED_ORDER, cursorValues } from '../../../shared/loaders';
import { parsePage, toConnection, type ConnectionResult, type Edge } from '../../../shared/pagination';
import { authorize, requireMember } from '../../../shared/policy';
import { ORGANISATION } from '../../members/organisation.policy';
import { AuditEntry } from './auditEntry.entity';

/** The governance log newest first, for staff and board; optionally one community's entries. */
export async function listAuditLog(
  ctx: Context,
  args: { communityId?: string | null; first?: number | null; after?: string | null },
): Promise<ConnectionResult<Edge<AuditEntry>>> {
  requireMember(ctx.actor);
  await authorize(ctx.actor, 'readAuditLog', ORGANISATION, 'Only staff and board members can read the audit log');
  const page = parsePage(args, CREATED_ORDER);
  const [where, params]: [string, unknown[]] = args.communityId
    ? ['a.community_id = ?', [(await ctx.actor.community(parseId(args.communityId, 'Community', 'communityId'))).id]]
    : ['true', []];
  const seek = page.after ? ' and (a.created_at, a.id) < (?, ?)' : '';
  const rows = await ctx.em.execute<Record<string, unknown>[]>(
    `select a.* from audit_entry a where ${where}${seek} order by a.created_at desc, a.id desc limit ?`,
    [...params, ...(page.after ?? []), page.first + 1],
  );
  const entries = rows.map((row) => ctx.em.map(AuditEntry, row));
  return toConnection(entries, page, (entry) => cursorValues(entry, CREATED_ORDER), async () => {
    const [count] = await ctx.em.execute<{ n: string }[]>(`select count(*) as n from audit_entry a where ${where}`, params);
    return Number(count!.n);
  });
}
