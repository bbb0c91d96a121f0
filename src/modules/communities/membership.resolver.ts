import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { cursorValues } from '../../shared/loaders';
import { PageArgs, parsePage, toConnection, type ConnectionResult, type Edge } from '../../shared/pagination';
import { Member } from '../members/member.entity';
import { Community } from './community.entity';
import { CommunityRoleInput, JoinCommunityInput, UpdateMembershipInput } from './community.inputs';
import { MEMBERSHIPS_OF_MEMBER_ORDER, membershipsOfMemberPageLoader } from './community.loaders';
import { MembershipConnection } from './community.types';
import { Membership } from './membership.entity';
import { visibleMembershipsFilter } from './queries/visibleMemberships';
import { approveMembership, declineMembership } from './commands/reviewMembership';
import { grantCommunityRole, revokeCommunityRole } from './commands/communityRoles';
import { joinCommunity } from './commands/joinCommunity';
import { leaveCommunity } from './commands/leaveCommunity';
import { updateMembership } from './commands/updateMembership';
import './membership.policy';

@Resolver(() => Membership)
export class MembershipResolver {
  @Mutation(() => Membership, { description: 'OPEN: ACTIVE at once; RESTRICTED: PENDING until approved. Idempotent.' })
  joinCommunity(@Arg('input') input: JoinCommunityInput, @Ctx() ctx: Context): Promise<Membership> {
    return joinCommunity(ctx, input);
  }

  @Mutation(() => Membership, { description: 'Community LEAD or staff' })
  approveMembership(@Arg('membershipId', () => ID) membershipId: string, @Ctx() ctx: Context): Promise<Membership> {
    return approveMembership(ctx, membershipId);
  }

  @Mutation(() => Membership, { description: 'Community LEAD or staff: turn down a PENDING request' })
  declineMembership(@Arg('membershipId', () => ID) membershipId: string, @Ctx() ctx: Context): Promise<Membership> {
    return declineMembership(ctx, membershipId);
  }

  @Mutation(() => Membership)
  leaveCommunity(@Arg('communityId', () => ID) communityId: string, @Ctx() ctx: Context): Promise<Membership> {
    return leaveCommunity(ctx, communityId);
  }

  @Mutation(() => Membership)
  updateMembership(@Arg('input') input: UpdateMembershipInput, @Ctx() ctx: Context): Promise<Membership> {
    return updateMembership(ctx, input);
  }

  @Mutation(() => Membership, { description: 'Community LEAD or staff; ACTIVE members only' })
  grantCommunityRole(@Arg('input') input: CommunityRoleInput, @Ctx() ctx: Context): Promise<Membership> {
    return grantCommunityRole(ctx, input);
  }

  @Mutation(() => Membership, { description: 'Community LEAD or staff' })
  revokeCommunityRole(@Arg('input') input: CommunityRoleInput, @Ctx() ctx: Context): Promise<Membership> {
    return revokeCommunityRole(ctx, input);
  }

  @FieldResolver(() => Member)
  async member(@Root() membership: Membership, @Ctx() ctx: Context): Promise<Member> {
    return (await ctx.loaders.byId(Member).load(membership.member.id))!;
  }

  @FieldResolver(() => Community)
  community(@Root() membership: Membership, @Ctx() ctx: Context): Promise<Community> {
    return ctx.actor.community(membership.community.id);
  }
}

@Resolver(() => Member)
export class MemberMembershipsResolver {
  @FieldResolver(() => MembershipConnection, {
    description: "A member's memberships that the viewer may see (all of them for the member themself)",
  })
  async memberships(@Root() member: Member, @Args() args: PageArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<Membership>>> {
    const page = parsePage(args, MEMBERSHIPS_OF_MEMBER_ORDER);
    const visible = visibleMembershipsFilter(ctx);
    const rows = await membershipsOfMemberPageLoader(ctx.loaders, page, visible).load(member.id);
    return toConnection(rows, page, (m) => cursorValues(m, MEMBERSHIPS_OF_MEMBER_ORDER), () => visible.count(member.id));
  }
}
