import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { badField } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { authorize, can, requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';
import { CommunityRole, Membership } from '../../communities/membership.entity';
import { CommunityRoleInput, HandOverRoleInput, SetOpenRolesInput } from './roles.inputs';
import { roleTermsLoader } from './roles.loaders';
import { RoleTerm } from './roleTerm.entity';
import { grantCommunityRole } from './commands/grantCommunityRole';
import { revokeCommunityRole } from './commands/revokeCommunityRole';
import { handOverRole } from './commands/handOverRole';
import { setOpenRoles } from './commands/setOpenRoles';
import '../../communities/membership.policy';
import './roles.policy';

const ROLES = new Set<string>(Object.values(CommunityRole));

@Resolver(() => Membership)
export class MembershipRolesResolver {
  @Mutation(() => Membership, { description: 'Community LEAD or staff; ACTIVE members only; termEndsAt optional (in the future)' })
  async grantCommunityRole(@Arg('input') input: CommunityRoleInput, @Ctx() ctx: Context): Promise<Membership> {
    requireMember(ctx.actor);
    const membershipId = parseId(input.membershipId, 'Membership', 'membershipId');
    return grantCommunityRole(ctx, { membershipId, role: input.role, termEndsAt: input.termEndsAt ?? null });
  }

  @Mutation(() => Membership, { description: 'Community LEAD or staff: ends the open term' })
  async revokeCommunityRole(@Arg('input') input: CommunityRoleInput, @Ctx() ctx: Context): Promise<Membership> {
    requireMember(ctx.actor);
    if (input.termEndsAt) throw badField('termEndsAt', 'only grantCommunityRole takes a term end');
    return revokeCommunityRole(ctx, { membershipId: parseId(input.membershipId, 'Membership', 'membershipId'), role: input.role });
  }

  @Mutation(() => Membership, { description: "The holder, a LEAD of the community or staff: moves the role in one step; returns the recipient's membership" })
  async handOverRole(@Arg('input') input: HandOverRoleInput, @Ctx() ctx: Context): Promise<Membership> {
    requireMember(ctx.actor);
    return handOverRole(ctx, {
      fromMembershipId: parseId(input.fromMembershipId, 'Membership', 'fromMembershipId'),
      toMembershipId: parseId(input.toMembershipId, 'Membership', 'toMembershipId'),
      role: input.role,
      note: input.note ?? null,
      termEndsAt: input.termEndsAt ?? null,
    });
  }

  @FieldResolver(() => [RoleTerm], { description: 'Every role term of this membership, newest first (open and ended)' })
  async roleTerms(@Root() membership: Membership, @Ctx() ctx: Context): Promise<RoleTerm[]> {
    await authorize(ctx.actor, 'read', membership, 'This membership is not visible to you');
    return roleTermsLoader(ctx.loaders).load(membership.id);
  }
}

@Resolver(() => RoleTerm)
export class RoleTermResolver {
  @FieldResolver(() => Membership, { nullable: true, description: "The recipient's membership after a handover (null when not visible to you)" })
  async handedOverTo(@Root() term: RoleTerm, @Ctx() ctx: Context): Promise<Membership | null> {
    if (!term.handedOverTo) return null;
    const membership = await ctx.loaders.byId(Membership).load(term.handedOverTo.id);
    return membership && (await can(ctx.actor, 'read', membership)) ? membership : null;
  }

  @FieldResolver(() => Member, { nullable: true, description: 'Who granted the role or handed it over; null: the system or unknown' })
  async grantedBy(@Root() term: RoleTerm, @Ctx() ctx: Context): Promise<Member | null> {
    return term.grantedBy ? ctx.loaders.byId(Member).load(term.grantedBy.id) : null;
  }
}

@Resolver(() => Community)
export class CommunityOpenRolesResolver {
  @FieldResolver(() => [CommunityRole], { description: 'Roles the community wants filled: members can volunteer (public, like the description)' })
  openRoles(@Root() community: Community): CommunityRole[] {
    return community.openRoles.filter((role): role is CommunityRole => ROLES.has(role));
  }

  @Mutation(() => Community, { description: "The community's LEAD or staff: the roles it wants filled (replaces the list)" })
  async setOpenRoles(@Arg('input') input: SetOpenRolesInput, @Ctx() ctx: Context): Promise<Community> {
    requireMember(ctx.actor);
    return setOpenRoles(ctx, { communityId: parseId(input.communityId, 'Community', 'communityId'), roles: input.roles });
  }
}
