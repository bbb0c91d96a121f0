import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { parseId } from '../../../shared/ids';
import { CREATED_ORDER, cursorValues } from '../../../shared/loaders';
import { PageArgs, parsePage, toConnection, type ConnectionResult, type Edge } from '../../../shared/pagination';
import { authorize, requireMember } from '../../../shared/policy';
import { badField } from '../../../shared/errors';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';
import { mailingListAddress } from '../../communities/commands/foundCommunity';
import { Resource, ResourceKind } from '../../resources/resource.entity';
import { ResourceOrder } from '../../resources/resource.inputs';
import { RESOURCE_ORDERS, resourceCountLoader, resourcesPageLoader } from '../../resources/resource.loaders';
import { ResourceConnection } from '../../resources/resource.types';
import { DecideSupportRequestInput, RequestSupportInput, SupportRequestsArgs } from './support.inputs';
import { supportRequestCountLoader, supportRequestsPageLoader } from './support.loaders';
import { READ_REFUSAL } from './support.policy';
import { CommunitySupport, DocumentFolder, SupportRequestConnection } from './support.types';
import { SupportRequest } from './supportRequest.entity';
import { MONEY_MESSAGE, parseCents } from './money';
import { requestSupport } from './commands/requestSupport';
import { decideSupportRequest } from './commands/decideSupportRequest';
import { listSupportRequests } from './queries/listSupportRequests';

/** The folder is the community's DOCUMENT resources, through the same loaders (and rule) as Community.resources. */
const DOCUMENTS = { tag: null, kind: ResourceKind.DOCUMENT };

@Resolver(() => Community)
export class CommunitySupportResolver {
  @FieldResolver(() => CommunitySupport, { description: 'The standard support: public; the folder\'s documents are read like its other content' })
  support(@Root() community: Community, @Ctx() ctx: Context): CommunitySupport {
    const folder = Object.assign(new DocumentFolder(), { name: `${community.name} documents`, community });
    return Object.assign(new CommunitySupport(), {
      listed: community.listed,
      // Set by foundCommunity (and the migration for older communities); derived the same way if ever missing.
      mailingListAddress: community.mailingListAddress ?? mailingListAddress(ctx.services.config, community.slug),
      documentFolder: folder,
      hostedMeetings: community.hostedMeetings,
      announcements: community.announcements,
    });
  }

  @FieldResolver(() => SupportRequestConnection, {
    nullable: true,
    description: "Support requests, newest first: the community's LEADs, staff and the board (others FORBIDDEN)",
  })
  async supportRequests(
    @Root() community: Community,
    @Args() args: SupportRequestsArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionResult<Edge<SupportRequest>>> {
    await authorize(ctx.actor, 'readSupportRequests', community, READ_REFUSAL);
    const page = parsePage(args, CREATED_ORDER);
    const status = args.status ?? null;
    const rows = await supportRequestsPageLoader(ctx.loaders, page, status).load(community.id);
    return toConnection(rows, page, (row) => cursorValues(row, CREATED_ORDER), () => supportRequestCountLoader(ctx.loaders, status).load(community.id));
  }
}

@Resolver(() => DocumentFolder)
export class DocumentFolderResolver {
  @FieldResolver(() => ResourceConnection, {
    nullable: true,
    description: 'Its documents, newest first. Null (with a FORBIDDEN error) for a RESTRICTED community the viewer may not read',
  })
  async resources(@Root() folder: DocumentFolder, @Args() args: PageArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<Resource>>> {
    await authorize(ctx.actor, 'readContent', folder.community, 'This community is for members only');
    const order = RESOURCE_ORDERS[ResourceOrder.NEWEST];
    const page = parsePage(args, order);
    const rows = await resourcesPageLoader(ctx.loaders, page, ResourceOrder.NEWEST, DOCUMENTS).load(folder.community.id);
    return toConnection(rows, page, (r) => cursorValues(r, order), () => resourceCountLoader(ctx.loaders, DOCUMENTS).load(folder.community.id));
  }

  @FieldResolver(() => Int, { description: 'How many documents it holds (a count, public like memberCount)' })
  resourceCount(@Root() folder: DocumentFolder, @Ctx() ctx: Context): Promise<number> {
    return resourceCountLoader(ctx.loaders, DOCUMENTS).load(folder.community.id);
  }
}

@Resolver(() => SupportRequest)
export class SupportRequestResolver {
  @Query(() => SupportRequestConnection, {
    description: "Every community's support requests, newest first: staff and the board (the board's queue: status AWAITING_BOARD)",
  })
  supportRequests(@Args() args: SupportRequestsArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<SupportRequest>>> {
    return listSupportRequests(ctx, args);
  }

  @Mutation(() => SupportRequest, { description: "The community's LEAD, meeting or event coordinator, or staff; ACTIVE communities" })
  requestSupport(@Arg('input') input: RequestSupportInput, @Ctx() ctx: Context): Promise<SupportRequest> {
    requireMember(ctx.actor);
    const communityId = parseId(input.communityId, 'Community', 'communityId');
    const estimatedCostCents = parseCents(input.estimatedCost);
    if (estimatedCostCents === null) throw badField('estimatedCost', MONEY_MESSAGE);
    return requestSupport(ctx, { communityId, kind: input.kind, details: input.details, estimatedCostCents });
  }

  @Mutation(() => SupportRequest, {
    description:
      'Staff decide REQUESTED requests; an IN_PERSON_MEETING staff approve becomes AWAITING_BOARD, which only the board ' +
      'decides. Declining needs a note; a decided request is CONFLICT',
  })
  decideSupportRequest(@Arg('input') input: DecideSupportRequestInput, @Ctx() ctx: Context): Promise<SupportRequest> {
    requireMember(ctx.actor);
    const requestId = parseId(input.requestId, 'SupportRequest', 'requestId');
    return decideSupportRequest(ctx, { requestId, approve: input.approve, note: input.note });
  }

  @FieldResolver(() => Community)
  community(@Root() request: SupportRequest, @Ctx() ctx: Context): Promise<Community> {
    return ctx.actor.community(request.community.id);
  }

  @FieldResolver(() => Member, { nullable: true, description: 'Null when that member is gone' })
  requestedBy(@Root() request: SupportRequest, @Ctx() ctx: Context): Promise<Member | null> | null {
    return request.requestedBy ? ctx.loaders.byId(Member).load(request.requestedBy.id) : null;
  }

  @FieldResolver(() => Member, { nullable: true, description: 'The staff member who decided the first step' })
  staffDecidedBy(@Root() request: SupportRequest, @Ctx() ctx: Context): Promise<Member | null> | null {
    return request.staffDecidedBy ? ctx.loaders.byId(Member).load(request.staffDecidedBy.id) : null;
  }

  @FieldResolver(() => Member, { nullable: true, description: 'The board member who decided an in-person meeting' })
  boardDecidedBy(@Root() request: SupportRequest, @Ctx() ctx: Context): Promise<Member | null> | null {
    return request.boardDecidedBy ? ctx.loaders.byId(Member).load(request.boardDecidedBy.id) : null;
  }
}
