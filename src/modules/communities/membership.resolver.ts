import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { parseId } from '../../shared/ids';
import { requireMember } from '../../shared/policy';
import { cursorValues } from '../../shared/loaders';
import { PageArgs, parsePage, toConnection, type ConnectionResult, type Edge } from '../../shared/pagination';
import { Member } from '../members/member.entity';
import { Community } from './community.entity';
import { JoinCommunityInput, UpdateMembershipInput } from './community.inputs';
import { MEMBERSHIPS_OF_MEMBER_ORDER, membershipsOfMemberPageLoader } from './community.loaders';
import { MembershipConnection } from './community.types';
import { Membership } from './membership.entity';
import { visibleMembershipsFilter } from './queries/visibleMemberships';
import { approveMembership, declineMembership } from './commands/reviewMembership';
import { joinCommunity } from './commands/joinCommunity';
import { leaveCommunity } from './commands/leaveCommunity';
import { updateMembership } from './commands/updateMembership';
import './membership.policy';

@Resolver(() => Membership)
export class MembershipResolver {
  @Mutation(() => Membership, { description: 'OPEN: ACTIVE at once; RESTRICTED: PENDING until approved. Idempotent.' })
  async joinCommunity(@Arg('input') input: JoinCommunityInput, @Ctx() ctx: Context): Promise<Membership> {
    requireMember(ctx.actor);
    return joinCommunity(ctx, {
      communityId: parseId(input.communityId, 'Community', 'communityId'),
      notificationPreference: input.notificationPreference,
    });
  }

  @Mutation(() => Membership, { description: 'Community LEAD or staff' })
  async approveMembership(@Arg('membershipId', () => ID) membershipId: string, @Ctx() ctx: Context): Promise<Membership> {
    requireMember(ctx.actor);
    return approveMembership(ctx, { membershipId: parseId(membershipId, 'Membership', 'membershipId') });
  }

  @Mutation(() => Membership, { description: 'Community LEAD or staff: turn down a PENDING request' })
  async declineMembership(@Arg('membershipId', () => ID) membershipId: string, @Ctx() ctx: Context): Promise<Membership> {
    requireMember(ctx.actor);
    return declineMembership(ctx, { membershipId: parseId(membershipId, 'Membership', 'membershipId') });
  }

  @Mutation(() => Membership)
  async leaveCommunity(@Arg('communityId', () => ID) communityId: string, @Ctx() ctx: Context): Promise<Membership> {
    requireMember(ctx.actor);
    return leaveCommunity(ctx, { communityId: parseId(communityId, 'Community', 'communityId') });
  }

  @Mutation(() => Membership)
  async updateMembership(@Arg('input') input: UpdateMembershipInput, @Ctx() ctx: Context): Promise<Membership> {
    requireMember(ctx.actor);
    return updateMembership(ctx, {
      communityId: parseId(input.communityId, 'Community', 'communityId'),
      notificationPreference: input.notificationPreference,
    });
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
