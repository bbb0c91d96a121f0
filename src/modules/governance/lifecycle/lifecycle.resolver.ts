import DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { parseId } from '../../../shared/ids';
import type { LoaderRegistry } from '../../../shared/loaders';
import { requireMember } from '../../../shared/policy';
import { Community } from '../../communities/community.entity';
import { ChangeCommunityFocusInput, MergeCommunitiesInput, RetireCommunityInput, SplitCommunityInput } from './lifecycle.inputs';
import { changeCommunityFocus } from './commands/changeCommunityFocus';
import { mergeCommunities } from './commands/mergeCommunities';
import { retireCommunity } from './commands/retireCommunity';
import { splitCommunity } from './commands/splitCommunity';
import './lifecycle.events';

/** The parts split from each community, by name (one statement for a page of communities). */
function partsLoader(registry: LoaderRegistry) {
  return registry.get<Community[]>('splitParts', () =>
    new DataLoader<string, Community[]>(async (ids) => {
      const parts = await registry.em.find(Community, { splitFrom: { $in: [...ids] } }, { orderBy: { name: 'asc', id: 'asc' } });
      return ids.map((id) => parts.filter((part) => part.splitFrom?.id === id));
    }),
  );
}

@Resolver(() => Community)
export class CommunityLifecycleResolver {
  @Mutation(() => Community, { description: 'Staff: new name, description or topics for an ACTIVE community (omitted fields stay)' })
  changeCommunityFocus(@Arg('input') input: ChangeCommunityFocusInput, @Ctx() ctx: Context): Promise<Community> {
    requireMember(ctx.actor);
    const { name, description, topics } = input;
    return changeCommunityFocus(ctx, { communityId: parseId(input.communityId, 'Community', 'communityId'), name, description, topics });
  }

  @Mutation(() => Community, { description: 'Staff: the community becomes RETIRED, unlisted and read-only; it stays readable as an archive (its meetings ahead are cancelled, ' +
      'its rituals paused, its open time polls and surveys closed)' })
  retireCommunity(@Arg('input') input: RetireCommunityInput, @Ctx() ctx: Context): Promise<Community> {
    requireMember(ctx.actor);
    return retireCommunity(ctx, { communityId: parseId(input.communityId, 'Community', 'communityId'), reason: input.reason });
  }

  @Mutation(() => [Community], {
    description:
      'Staff: new communities (the parts) with every member of the original and the listed threads, resources, meetings, ' +
      'time polls, rituals and surveys; what no part lists stays in the original, which is RETIRED with the parts as successors ' +
      '(its meetings ahead cancelled, rituals paused, open time polls and surveys closed)',
  })
  splitCommunity(@Arg('input') input: SplitCommunityInput, @Ctx() ctx: Context): Promise<Community[]> {
    requireMember(ctx.actor);
    const parts = input.parts.map((part, index) => ({
      name: part.name,
      slug: part.slug,
      description: part.description,
      topics: part.topics,
      threadIds: part.threadIds.map((id) => parseId(id, 'Thread', `parts.${index}.threadIds`)),
      resourceIds: (part.resourceIds ?? []).map((id) => parseId(id, 'Resource', `parts.${index}.resourceIds`)),
      meetingIds: (part.meetingIds ?? []).map((id) => parseId(id, 'Meeting', `parts.${index}.meetingIds`)),
      timePollIds: (part.timePollIds ?? []).map((id) => parseId(id, 'TimePoll', `parts.${index}.timePollIds`)),
      ritualIds: (part.ritualIds ?? []).map((id) => parseId(id, 'Ritual', `parts.${index}.ritualIds`)),
      surveyIds: (part.surveyIds ?? []).map((id) => parseId(id, 'Survey', `parts.${index}.surveyIds`)),
    }));
    return splitCommunity(ctx, { communityId: parseId(input.communityId, 'Community', 'communityId'), parts });
  }

  @Mutation(() => Community, {
    description:
      'Staff: one new community with every thread, resource, meeting (not ANNUAL ones), time poll, ritual, survey and member ' +
      '(one membership each) of the sources, which are RETIRED with mergedInto (their coming annual meetings cancelled). ' +
      'RESTRICTED content goes into an OPEN community only with a visibilityRationale',
  })
  mergeCommunities(@Arg('input') input: MergeCommunitiesInput, @Ctx() ctx: Context): Promise<Community> {
    requireMember(ctx.actor);
    return mergeCommunities(ctx, {
      communityIds: input.communityIds.map((id) => parseId(id, 'Community', 'communityIds')),
      into: input.into,
      visibilityRationale: input.visibilityRationale,
    });
  }

  @FieldResolver(() => [Community], { description: 'The parts of a split, or (merged) the community it was merged into; empty otherwise' })
  async successors(@Root() community: Community, @Ctx() ctx: Context): Promise<Community[]> {
    if (community.mergedInto) {
      const merged = await ctx.loaders.byId(Community).load(community.mergedInto.id);
      return merged ? [merged] : [];
    }
    return partsLoader(ctx.loaders).load(community.id);
  }

  @FieldResolver(() => Community, { nullable: true, description: 'The community it was merged into (it is then RETIRED)' })
  mergedInto(@Root() community: Community, @Ctx() ctx: Context): Promise<Community | null> {
    return community.mergedInto ? ctx.loaders.byId(Community).load(community.mergedInto.id) : Promise.resolve(null);
  }

  @FieldResolver(() => Community, { nullable: true, description: 'The community this one was split from (now RETIRED)' })
  splitFrom(@Root() community: Community, @Ctx() ctx: Context): Promise<Community | null> {
    return community.splitFrom ? ctx.loaders.byId(Community).load(community.splitFrom.id) : Promise.resolve(null);
  }
}
