import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { cursorValues } from '../../shared/loaders';
import { PageArgs, parsePage, toConnection, type ConnectionResult, type Edge } from '../../shared/pagination';
import { authorize } from '../../shared/policy';
import { refuseControlCharacters } from '../../shared/validation';
import { Member } from '../members/member.entity';
import { Community } from './community.entity';
import { CommunitiesArgs, CreateCommunityInput } from './community.inputs';
import {
  activeMemberCountLoader,
  activeMembershipsPageLoader,
  MEMBERS_ORDER,
  PENDING_ORDER,
  pendingCountLoader,
  pendingMembershipsPageLoader,
  viewerMembershipLoader,
} from './community.loaders';
import { CommunityConnection, CommunityMemberConnection, CommunityMemberEdge, MembershipConnection } from './community.types';
import { Membership } from './membership.entity';
import { createCommunity } from './commands/createCommunity';
import { findCommunityBySlug } from './queries/findCommunity';
import { listCommunities } from './queries/listCommunities';
import './community.policy';

@Resolver(() => Community)
export class CommunityResolver {
  @Query(() => CommunityConnection, { description: 'All communities by name; search their name and description, or filter by topic' })
  communities(@Args() args: CommunitiesArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<Community>>> {
    return listCommunities(ctx, args);
  }

  @Query(() => Community, { nullable: true })
  community(@Arg('slug') slug: string, @Ctx() ctx: Context): Promise<Community | null> {
    // A plain argument gets no class-validator run; a NUL here would otherwise fail in PostgreSQL.
    refuseControlCharacters(slug, 'slug');
    return findCommunityBySlug(ctx, slug);
  }

  @Mutation(() => Community, { description: 'Staff or board only; RESTRICTED requires membershipRationale' })
  createCommunity(@Arg('input') input: CreateCommunityInput, @Ctx() ctx: Context): Promise<Community> {
    return createCommunity(ctx, input);
  }

  @FieldResolver(() => Int, { description: 'ACTIVE members' })
  memberCount(@Root() community: Community, @Ctx() ctx: Context): Promise<number> {
    return activeMemberCountLoader(ctx.loaders).load(community.id);
  }

  @FieldResolver(() => Membership, { nullable: true, description: "The viewer's membership in any status, or null" })
  viewerMembership(@Root() community: Community, @Ctx() ctx: Context): Promise<Membership | null> {
    return viewerMembershipLoader(ctx.loaders).load(community.id);
  }

  @FieldResolver(() => CommunityMemberConnection, {
    nullable: true,
    description: 'ACTIVE members, longest-standing first. Null (with a FORBIDDEN error) for a RESTRICTED community the viewer may not read',
  })
  async members(
    @Root() community: Community,
    @Args() args: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionResult<CommunityMemberEdge>> {
    await authorize(ctx.actor, 'readContent', community, 'Only members can see who belongs to this community');
    const page = parsePage(args, MEMBERS_ORDER);
    const memberships = await activeMembershipsPageLoader(ctx.loaders, page).load(community.id);
    const members = await ctx.loaders.byId(Member).loadMany(memberships.map((m) => m.member.id));
    const rows = memberships.map((membership, i) => ({ membership, member: members[i] as Member }));
    const connection = toConnection(
      rows,
      page,
      (row) => cursorValues(row.membership, MEMBERS_ORDER),
      () => activeMemberCountLoader(ctx.loaders).load(community.id),
      (row, cursor) => ({ cursor, node: row.member, membership: row.membership }),
    );
    return connection;
  }

  @FieldResolver(() => MembershipConnection, {
    nullable: true,
    description: 'Requests to join (PENDING), oldest first; for the community LEAD and staff, who approve them',
  })
  async pendingMemberships(
    @Root() community: Community,
    @Args() args: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionResult<Edge<Membership>>> {
    await authorize(ctx.actor, 'manage', community, 'Only a community lead or staff can see requests to join');
    const page = parsePage(args, PENDING_ORDER);
    const rows = await pendingMembershipsPageLoader(ctx.loaders, page).load(community.id);
    return toConnection(rows, page, (m) => cursorValues(m, PENDING_ORDER), () => pendingCountLoader(ctx.loaders).load(community.id));
  }
}
