import type { Context } from '../../../context';
import { Community } from '../community.entity';
import { activeMemberCountLoader } from '../community.loaders';
import { MembershipStatus } from '../membership.entity';

/**
 * `community(slug)`: the community and its ACTIVE member count in one statement (the count is primed into its
 * loader), since nearly every screen that opens a community shows how many members it has.
 */
export async function findCommunityBySlug(ctx: Context, slug: string): Promise<Community | null> {
  const [row] = await ctx.em.execute<Record<string, unknown>[]>(
    `select c.*, (select count(*) from membership m where m.community_id = c.id and m.status = ?) as active_member_count ` +
      `from community c where c.slug = ?`,
    [MembershipStatus.ACTIVE, slug],
  );
  if (!row) return null;
  const count = Number(row.active_member_count);
  delete row.active_member_count;
  const community = ctx.em.map(Community, row);
  activeMemberCountLoader(ctx.loaders).prime(community.id, count);
  ctx.loaders.byId(Community).prime(community.id, community);
  return community;
}
