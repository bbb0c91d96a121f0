import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { parseId } from '../../shared/ids';
import { requireMember } from '../../shared/policy';
import { PageArgs, parsePage, toConnection, type ConnectionResult, type Edge } from '../../shared/pagination';
import { cursorValues } from '../../shared/loaders';
import { Member } from '../members/member.entity';
import { createMentoringGroup } from './commands/createMentoringGroup';
import { closeMentoringGroup, updateMentoringGroup } from './commands/manageMentoringGroup';
import { joinMentoringGroup, leaveMentoringGroup } from './commands/mentoringGroupMembership';
import { CreateMentoringGroupInput, MentoringGroupsArgs, UpdateMentoringGroupInput } from './mentoring.inputs';
import { GROUP_MEMBER_ORDER, groupMembersPageLoader, viewerInGroupLoader } from './mentoring.loaders';
import { authorizeMentoringRead } from './mentoring.policy';
import { MentoringGroupConnection, MentoringGroupMemberConnection } from './mentoring.types';
import { MentoringGroup } from './mentoringGroup.entity';
import { listMentoringGroups } from './queries/listMentoringGroups';

const SIGNED_IN_ONLY = 'Mentoring groups are for signed-in members';

@Resolver(() => MentoringGroup)
export class MentoringGroupResolver {
  @Query(() => MentoringGroupConnection, { description: 'Mentoring groups, newest first; signed-in members only' })
  mentoringGroups(@Args() args: MentoringGroupsArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<MentoringGroup>>> {
    return listMentoringGroups(ctx, args);
  }

  @Mutation(() => MentoringGroup, { description: 'Mentors (members with a mentor profile) only' })
  createMentoringGroup(@Arg('input') input: CreateMentoringGroupInput, @Ctx() ctx: Context): Promise<MentoringGroup> {
    return createMentoringGroup(ctx, input);
  }

  @Mutation(() => MentoringGroup, { description: 'Its mentor only: capacity (never below its members) and description' })
  async updateMentoringGroup(@Arg('input') input: UpdateMentoringGroupInput, @Ctx() ctx: Context): Promise<MentoringGroup> {
    requireMember(ctx.actor);
    const { capacity, description } = input;
    return updateMentoringGroup(ctx, { groupId: parseId(input.groupId, 'MentoringGroup', 'groupId'), capacity, description });
  }

  @Mutation(() => MentoringGroup, { description: 'Its mentor or staff: CLOSED, members stay, nobody new joins; closing again changes nothing' })
  async closeMentoringGroup(@Arg('groupId', () => ID) groupId: string, @Ctx() ctx: Context): Promise<MentoringGroup> {
    requireMember(ctx.actor);
    return closeMentoringGroup(ctx, { groupId: parseId(groupId, 'MentoringGroup', 'groupId') });
  }

  @Mutation(() => MentoringGroup, { description: 'Any signed-in member but its mentor, while it is OPEN and has room; joining again changes nothing' })
  async joinMentoringGroup(@Arg('groupId', () => ID) groupId: string, @Ctx() ctx: Context): Promise<MentoringGroup> {
    requireMember(ctx.actor);
    return joinMentoringGroup(ctx, { groupId: parseId(groupId, 'MentoringGroup', 'groupId') });
  }

  @Mutation(() => MentoringGroup, { description: 'Leaving a group you are not in changes nothing' })
  async leaveMentoringGroup(@Arg('groupId', () => ID) groupId: string, @Ctx() ctx: Context): Promise<MentoringGroup> {
    requireMember(ctx.actor);
    return leaveMentoringGroup(ctx, { groupId: parseId(groupId, 'MentoringGroup', 'groupId') });
  }

  @FieldResolver(() => Member)
  async mentor(@Root() group: MentoringGroup, @Ctx() ctx: Context): Promise<Member> {
    return (await ctx.loaders.byId(Member).load(group.mentor.id))!;
  }

  @FieldResolver(() => MentoringGroupMemberConnection, { description: 'In order of joining' })
  async members(@Root() group: MentoringGroup, @Args() args: PageArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<Member>>> {
    await authorizeMentoringRead(ctx.actor, group, SIGNED_IN_ONLY);
    const page = parsePage(args, GROUP_MEMBER_ORDER);
    const rows = await groupMembersPageLoader(ctx.loaders, page).load(group.id);
    const members = await Promise.all(rows.map((row) => ctx.loaders.byId(Member).load(row.member.id)));
    return toConnection(
      rows.map((row, i) => ({ row, member: members[i]! })),
      page,
      ({ row }) => cursorValues(row, GROUP_MEMBER_ORDER),
      async () => group.memberCount,
      ({ member }, cursor) => ({ node: member, cursor }),
    );
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer is one of its members' })
  viewerIsMember(@Root() group: MentoringGroup, @Ctx() ctx: Context): Promise<boolean> {
    return viewerInGroupLoader(ctx.loaders).load(group.id);
  }
}
