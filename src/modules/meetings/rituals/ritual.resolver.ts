import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import type { Context } from '../../../context';
import { parseId } from '../../../shared/ids';
import { cursorValues } from '../../../shared/loaders';
import { PageArgs, parsePage, toConnection, type ConnectionResult, type Edge } from '../../../shared/pagination';
import { authorize, can, requireMember } from '../../../shared/policy';
import { Community, CommunityStatus } from '../../communities/community.entity';
import { Membership } from '../../communities/membership.entity';
import { Member } from '../../members/member.entity';
import { Thread } from '../../discussions/thread.entity';
import { Ritual, RitualOccurrence } from './ritual.entity';
import { CreateRitualInput, UpdateRitualInput } from './ritual.inputs';
import { OCCURRENCE_ORDER, occurrenceCountLoader, occurrencesPageLoader, RITUAL_ORDER, ritualCountLoader, ritualsPageLoader } from './ritual.loaders';
import { READ_REFUSAL } from './ritual.policy';
import { RitualConnection, RitualOccurrenceConnection } from './ritual.types';
import { createRitual } from './commands/createRitual';
import { pauseRitual } from './commands/pauseRitual';
import { updateRitual } from './commands/updateRitual';
import { deleteRitual } from './commands/deleteRitual';

const hostIds = (ids: string[]) => ids.map((id) => parseId(id, 'Membership', 'hostMembershipIds'));

@Resolver(() => Community)
export class CommunityRitualsResolver {
  @FieldResolver(() => RitualConnection, {
    description: 'Its rituals, oldest first. A RESTRICTED community the viewer may not read: FORBIDDEN (the contract makes the list non-null)',
  })
  async rituals(@Root() community: Community, @Args() args: PageArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<Ritual>>> {
    await authorize(ctx.actor, 'readContent', community, READ_REFUSAL);
    const page = parsePage(args, RITUAL_ORDER);
    const rows = await ritualsPageLoader(ctx.loaders, page).load(community.id);
    return toConnection(rows, page, (row) => cursorValues(row, RITUAL_ORDER), () => ritualCountLoader(ctx.loaders).load(community.id));
  }
}

@Resolver(() => Ritual)
export class RitualResolver {
  @Mutation(() => Ritual, { description: "The community's discussion monitor, LEAD or staff; ACTIVE communities" })
  createRitual(@Arg('input') input: CreateRitualInput, @Ctx() ctx: Context): Promise<Ritual> {
    requireMember(ctx.actor);
    const communityId = parseId(input.communityId, 'Community', 'communityId');
    return createRitual(ctx, { ...input, communityId, hostMembershipIds: hostIds(input.hostMembershipIds) });
  }

  @Mutation(() => Ritual, { description: 'Changes title, prompt, schedule or hosts (as createRitual); omitted fields stay' })
  updateRitual(@Arg('input') input: UpdateRitualInput, @Ctx() ctx: Context): Promise<Ritual> {
    requireMember(ctx.actor);
    const ritualId = parseId(input.ritualId, 'Ritual', 'ritualId');
    const { ritualId: _, hostMembershipIds, ...details } = input;
    return updateRitual(ctx, { ...details, ritualId, hostMembershipIds: hostMembershipIds ? hostIds(hostMembershipIds) : hostMembershipIds });
  }

  @Mutation(() => Ritual, { description: 'Pauses (nothing is posted) or resumes (from the next future occurrence) a ritual' })
  pauseRitual(@Arg('ritualId', () => ID) ritualId: string, @Arg('paused') paused: boolean, @Ctx() ctx: Context): Promise<Ritual> {
    requireMember(ctx.actor);
    return pauseRitual(ctx, { ritualId: parseId(ritualId, 'Ritual', 'ritualId'), paused });
  }

  @Mutation(() => Ritual, { description: 'Ends a ritual and removes its occurrence records; the threads it posted stay. Returns it as it was' })
  deleteRitual(@Arg('ritualId', () => ID) ritualId: string, @Ctx() ctx: Context): Promise<Ritual> {
    requireMember(ctx.actor);
    return deleteRitual(ctx, { ritualId: parseId(ritualId, 'Ritual', 'ritualId') });
  }

  @FieldResolver(() => Community)
  community(@Root() ritual: Ritual, @Ctx() ctx: Context): Promise<Community> {
    return ctx.actor.community(ritual.community.id);
  }

  @FieldResolver(() => Member, { nullable: true, description: 'Who set it up; null when that member is gone' })
  createdBy(@Root() ritual: Ritual, @Ctx() ctx: Context): Promise<Member | null> | null {
    return ritual.createdBy ? ctx.loaders.byId(Member).load(ritual.createdBy.id) : null;
  }

  @FieldResolver(() => [Member], { description: 'The hosts in rotation order (a host who left is skipped when their turn comes)' })
  async hosts(@Root() ritual: Ritual, @Ctx() ctx: Context): Promise<Member[]> {
    const memberships = await ctx.loaders.byId(Membership).loadMany(ritual.hostMembershipIds);
    const memberIds = memberships.filter((m): m is Membership => m instanceof Membership).map((m) => m.member.id);
    const members = await ctx.loaders.byId(Member).loadMany(memberIds);
    return members.filter((m): m is Member => m instanceof Member);
  }

  @FieldResolver(() => GraphQLDateTime, {
    nullable: true,
    description: 'When its next PROMPT thread is posted. Null while paused, in a read-only community, or once its rule has ended',
  })
  async nextOccurrenceAt(@Root() ritual: Ritual, @Ctx() ctx: Context): Promise<Date | null> {
    if (ritual.paused || !ritual.nextOccurrenceAt) return null;
    const community = await ctx.actor.community(ritual.community.id);
    return community.status === CommunityStatus.ACTIVE ? ritual.nextOccurrenceAt : null;
  }

  @FieldResolver(() => RitualOccurrenceConnection, { description: 'The occurrences it reached, newest first' })
  async occurrences(@Root() ritual: Ritual, @Args() args: PageArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<RitualOccurrence>>> {
    const page = parsePage(args, OCCURRENCE_ORDER);
    const rows = await occurrencesPageLoader(ctx.loaders, page).load(ritual.id);
    return toConnection(rows, page, (row) => cursorValues(row, OCCURRENCE_ORDER), () => occurrenceCountLoader(ctx.loaders).load(ritual.id));
  }
}

@Resolver(() => RitualOccurrence)
export class RitualOccurrenceResolver {
  @FieldResolver(() => Ritual)
  async ritual(@Root() occurrence: RitualOccurrence, @Ctx() ctx: Context): Promise<Ritual | null> {
    return ctx.loaders.byId(Ritual).load(occurrence.ritual.id);
  }

  @FieldResolver(() => Thread, {
    nullable: true,
    description: 'Its PROMPT thread; null when nothing was posted (NO_HOST), or the thread has moved where the viewer may not read it',
  })
  async thread(@Root() occurrence: RitualOccurrence, @Ctx() ctx: Context): Promise<Thread | null> {
    if (!occurrence.thread) return null;
    const thread = await ctx.loaders.byId(Thread).load(occurrence.thread.id);
    return thread && (await can(ctx.actor, 'read', thread)) ? thread : null;
  }

  @FieldResolver(() => Member, { nullable: true, description: 'Who hosted it (the thread’s author); null when nobody could' })
  host(@Root() occurrence: RitualOccurrence, @Ctx() ctx: Context): Promise<Member | null> | null {
    return occurrence.host ? ctx.loaders.byId(Member).load(occurrence.host.id) : null;
  }
}
