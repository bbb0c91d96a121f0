import type { Context } from '../../../context';
import { parseId } from '../../../shared/ids';
import { CREATED_ORDER, cursorValues } from '../../../shared/loaders';
import { parsePage, toConnection, type ConnectionResult, type Edge } from '../../../shared/pagination';
import { requireMember } from '../../../shared/policy';
import { hasOrgAbility } from '../../members/organisation.policy';
import { Webhook } from '../webhook.entity';
import type { WebhooksArgs } from '../webhook.inputs';
import { authorizeWebhook, prospectiveWebhook } from '../webhook.policy';

/**
 * Webhooks newest first. With a community: its webhooks, for staff and its LEADs (others FORBIDDEN). Without: staff
 * see every webhook, anyone else those of the communities they lead (none for most members). Filtered in SQL.
 */
export async function listWebhooks(ctx: Context, args: WebhooksArgs): Promise<ConnectionResult<Edge<Webhook>>> {
  const viewer = requireMember(ctx.actor);
  const page = parsePage(args, CREATED_ORDER);
  let where: string;
  let params: unknown[];
  if (args.communityId) {
    const community = await ctx.actor.community(parseId(args.communityId, 'Community', 'communityId'));
    await authorizeWebhook(ctx.actor, 'read', prospectiveWebhook(community));
    [where, params] = ['t.community_id = ?', [community.id]];
  } else if (hasOrgAbility(viewer, 'manageAllWebhooks')) {
    [where, params] = ['true', []];
  } else {
    where =
      "t.community_id in (select m.community_id from membership m where m.member_id = ? and m.status = 'ACTIVE' and 'LEAD' = any(m.roles))";
    params = [viewer.id];
  }
  const seek = page.after ? ' and (t.created_at, t.id) < (?, ?)' : '';
  const rows = await ctx.em.execute<Record<string, unknown>[]>(
    `select t.* from webhook t where ${where}${seek} order by t.created_at desc, t.id desc limit ?`,
    [...params, ...(page.after ?? []), page.first + 1],
  );
  const webhooks = rows.map((row) => ctx.em.map(Webhook, row));
  return toConnection(webhooks, page, (webhook) => cursorValues(webhook, CREATED_ORDER), async () => {
    const [count] = await ctx.em.execute<{ n: string }[]>(`select count(*) as n from webhook t where ${where}`, params);
    return Number(count!.n);
  });
}
