import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { parseId } from '../../shared/ids';
import { cursorValues } from '../../shared/loaders';
import { parsePage, toConnection, type ConnectionResult, type Edge } from '../../shared/pagination';
import { authorize, requireMember } from '../../shared/policy';
import { Member } from '../members/member.entity';
import { Community } from '../communities/community.entity';
import { ResourcesArgs, ShareResourceInput } from './resource.inputs';
import { RESOURCE_ORDERS, resourceCountLoader, resourcesPageLoader, viewerEndorsedLoader } from './resource.loaders';
import { ResourceConnection } from './resource.types';
import { Resource } from './resource.entity';
import { normalizeTag } from './resourceTags';
import { shareResource } from './commands/shareResource';
import { endorseResource } from './commands/endorseResource';
import { removeResource } from './commands/removeResource';
import './resource.policy';

/** Reads a resource by ID for any entry point: null when missing or removed, FORBIDDEN when restricted. */
export async function readableResource(ctx: Context, resourceId: string): Promise<Resource | null> {
  const resource = await ctx.loaders.byId(Resource).load(resourceId);
  if (!resource || resource.removed) return null;
  await authorize(ctx.actor, 'read', resource, 'This community is for members only');
  return resource;
}

@Resolver(() => Resource)
export class ResourceResolver {
  @Mutation(() => Resource, { description: 'ACTIVE members of the community; the URL must be http:// or https://' })
  async shareResource(@Arg('input') input: ShareResourceInput, @Ctx() ctx: Context): Promise<Resource> {
    requireMember(ctx.actor);
    const { title, url, description, kind, tags } = input;
    return shareResource(ctx, { communityId: parseId(input.communityId, 'Community', 'communityId'), title, url, description, kind, tags });
  }

  @Mutation(() => Resource, { description: "Toggles the viewer's endorsement; ACTIVE members of the community" })
  async endorseResource(@Arg('resourceId', () => ID) resourceId: string, @Ctx() ctx: Context): Promise<Resource> {
    requireMember(ctx.actor);
    return endorseResource(ctx, { resourceId: parseId(resourceId, 'Resource', 'resourceId') });
  }

  @Mutation(() => Resource, { description: 'Soft delete: the member who shared it, a community lead or staff' })
  async removeResource(@Arg('resourceId', () => ID) resourceId: string, @Ctx() ctx: Context): Promise<Resource> {
    requireMember(ctx.actor);
    return removeResource(ctx, { resourceId: parseId(resourceId, 'Resource', 'resourceId') });
  }

  @FieldResolver(() => Community)
  community(@Root() resource: Resource, @Ctx() ctx: Context): Promise<Community> {
    return ctx.actor.community(resource.community.id);
  }

  @FieldResolver(() => Member)
  async sharedBy(@Root() resource: Resource, @Ctx() ctx: Context): Promise<Member> {
    return (await ctx.loaders.byId(Member).load(resource.sharedBy.id))!;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer endorsed it (false when signed out)' })
  viewerEndorsed(@Root() resource: Resource, @Ctx() ctx: Context): Promise<boolean> {
    return viewerEndorsedLoader(ctx.loaders).load(resource.id);
  }
}

@Resolver(() => Community)
export class CommunityResourcesResolver {
  @FieldResolver(() => ResourceConnection, {
    nullable: true,
    description:
      'Shared resources, newest or most endorsed first, optionally by tag or kind. Null (with a FORBIDDEN error) ' +
      'for a RESTRICTED community the viewer may not read',
  })
  async resources(@Root() community: Community, @Args() args: ResourcesArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<Resource>>> {
    await authorize(ctx.actor, 'readContent', community, 'This community is for members only');
    const order = RESOURCE_ORDERS[args.orderBy];
    const page = parsePage(args, order);
    const filter = { tag: args.tag == null ? null : normalizeTag(args.tag), kind: args.kind ?? null };
    const rows = await resourcesPageLoader(ctx.loaders, page, args.orderBy, filter).load(community.id);
    return toConnection(rows, page, (r) => cursorValues(r, order), () => resourceCountLoader(ctx.loaders, filter).load(community.id));
  }
}
