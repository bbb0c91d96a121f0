import type { Context } from '../../../../context';
import { CREATED_ORDER, cursorValues } from '../../../../shared/loaders';
import { parsePage, toConnection, type ConnectionResult, type Edge } from '../../../../shared/pagination';
import { forbidden } from '../../../../shared/errors';
import { requireMember } from '../../../../shared/policy';
import { hasOrgAbility } from '../../../members/organisation.policy';
import { SupportRequest, type SupportRequestStatus } from '../supportRequest.entity';

/**
 * Every community's support requests, newest first, for the people who decide them: staff and the board (whose
 * queue is `status: AWAITING_BOARD`). A community's LEADs read theirs through Community.supportRequests.
 */
export async function listSupportRequests(
  ctx: Context,
  args: { status?: SupportRequestStatus | null; first?: number | null; after?: string | null },
): Promise<ConnectionResult<Edge<SupportRequest>>> {
  const member = requireMember(ctx.actor);
  if (!hasOrgAbility(member, 'decideSupportRequests') && !hasOrgAbility(member, 'approveInPersonExpenses')) {
    throw forbidden('Only staff and board members can list every support request');
  }
  const page = parsePage(args, CREATED_ORDER);
  const [where, params]: [string, unknown[]] = args.status ? ['r.status = ?', [args.status]] : ['true', []];
  const seek = page.after ? ' and (r.created_at, r.id) < (?, ?)' : '';
  const rows = await ctx.em.execute<Record<string, unknown>[]>(
    `select r.* from support_request r where ${where}${seek} order by r.created_at desc, r.id desc limit ?`,
    [...params, ...(page.after ?? []), page.first + 1],
  );
  const requests = rows.map((row) => ctx.em.map(SupportRequest, row));
  return toConnection(requests, page, (request) => cursorValues(request, CREATED_ORDER), async () => {
    const [count] = await ctx.em.execute<{ n: string }[]>(`select count(*) as n from support_request r where ${where}`, params);
    return Number(count!.n);
  });
}
