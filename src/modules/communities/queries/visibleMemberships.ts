import type { Context } from '../../../context';
import { childCountLoader } from '../../../shared/loaders';
import { hasOrgAbility } from '../../members/organisation.policy';
import type { SqlFilter } from '../community.loaders';

/**
 * Which of a member's memberships the viewer may see, as SQL on the membership row `t` (filtered in SQL so pages
 * stay full and counts leak nothing): their own, all of them for staff, otherwise ACTIVE memberships of OPEN
 * communities and of RESTRICTED ones the viewer is an ACTIVE member of.
 */
export function visibleMembershipsFilter(ctx: Context): SqlFilter & { count(memberId: string): Promise<number> } {
  const viewerId = ctx.viewer?.id ?? null;
  const filter: SqlFilter =
    hasOrgAbility(ctx.viewer, 'superviseCommunities')
      ? { where: 'true', params: [] }
      : {
          where:
            `t.member_id = ? or (t.status = 'ACTIVE' and exists (select 1 from community c where c.id = t.community_id ` +
            `and (c.visibility = 'OPEN' or exists (select 1 from membership v where v.community_id = c.id ` +
            `and v.member_id = ? and v.status = 'ACTIVE'))))`,
          params: [viewerId, viewerId],
        };
  return {
    ...filter,
    count: (memberId: string) =>
      childCountLoader(ctx.loaders, 'visibleMembershipsOfMember', 'membership', 'member_id', filter.where, filter.params).load(
        memberId,
      ),
  };
}
