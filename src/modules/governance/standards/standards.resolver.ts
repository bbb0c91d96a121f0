import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { parseId } from '../../../shared/ids';
import { cursorValues, type OrderColumn } from '../../../shared/loaders';
import { PageArgs, parsePage, toConnection, type ConnectionResult, type Edge } from '../../../shared/pagination';
import { requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';
import { Membership } from '../../communities/membership.entity';
import { CodeOfConduct } from './codeOfConduct.entity';
import { CommunityStandard } from './communityStandard.entity';
import { AcceptCommunityStandardsInput, AddCommunityStandardInput, PublishCodeOfConductInput } from './standards.inputs';
import { additionCountLoader, additionsLoader, currentCode } from './standards.loaders';
import { CodeOfConductConnection, CommunityStandards } from './standards.types';
import { standardsVersion } from './standardsVersion';
import { publishCodeOfConduct } from './commands/publishCodeOfConduct';
import { addCommunityStandard } from './commands/addCommunityStandard';
import { acceptCommunityStandards } from './commands/acceptCommunityStandards';
import './standards.policy';

const VERSION_ORDER: OrderColumn[] = [{ column: 'version', property: 'version', kind: 'integer' }];

@Resolver(() => CodeOfConduct)
export class CodeOfConductResolver {
  @Query(() => CodeOfConduct, { description: "The organisation's current code of conduct (public)" })
  codeOfConduct(@Ctx() ctx: Context): Promise<CodeOfConduct> {
    return currentCode(ctx.loaders);
  }

  @Query(() => CodeOfConductConnection, { description: 'Every published version, newest first (public); none is ever edited or removed' })
  async codeOfConductVersions(@Args() args: PageArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<CodeOfConduct>>> {
    const page = parsePage(args, VERSION_ORDER);
    const rows = await ctx.em.find(
      CodeOfConduct,
      page.after ? { version: { $lt: page.after[0] as number } } : {},
      { orderBy: { version: 'desc' }, limit: page.first + 1 },
    );
    return toConnection(rows, page, (row) => cursorValues(row, VERSION_ORDER), () => ctx.em.count(CodeOfConduct, {}));
  }

  @Mutation(() => CodeOfConduct, { description: 'Staff: publishes a new version (the previous ones are kept as they were)' })
  publishCodeOfConduct(@Arg('input') input: PublishCodeOfConductInput, @Ctx() ctx: Context): Promise<CodeOfConduct> {
    requireMember(ctx.actor);
    return publishCodeOfConduct(ctx, { body: input.body });
  }

  @FieldResolver(() => Member, { nullable: true, description: 'Null: the organisation (the first version) or a member since deleted' })
  publishedBy(@Root() code: CodeOfConduct, @Ctx() ctx: Context): Promise<Member | null> | null {
    return code.publishedBy ? ctx.loaders.byId(Member).load(code.publishedBy.id) : null;
  }
}

@Resolver(() => CommunityStandard)
export class CommunityStandardResolver {
  @Mutation(() => Community, {
    description: "The community's LEAD or staff, ACTIVE communities: adds a standard. Additions only: nothing edits or removes one",
  })
  addCommunityStandard(@Arg('input') input: AddCommunityStandardInput, @Ctx() ctx: Context): Promise<Community> {
    requireMember(ctx.actor);
    const communityId = parseId(input.communityId, 'Community', 'communityId');
    return addCommunityStandard(ctx, { communityId, text: input.text, rationale: input.rationale });
  }

  @Mutation(() => Membership, {
    description: 'The member themself (ACTIVE): accepts the current standards version; an outdated version is CONFLICT (they changed)',
  })
  acceptCommunityStandards(@Arg('input') input: AcceptCommunityStandardsInput, @Ctx() ctx: Context): Promise<Membership> {
    requireMember(ctx.actor);
    const communityId = parseId(input.communityId, 'Community', 'communityId');
    return acceptCommunityStandards(ctx, { communityId, version: input.version });
  }

  @FieldResolver(() => Community)
  community(@Root() standard: CommunityStandard, @Ctx() ctx: Context): Promise<Community> {
    return ctx.actor.community(standard.community.id);
  }

  @FieldResolver(() => Member, { nullable: true, description: 'Who added it; null when that member is gone' })
  addedBy(@Root() standard: CommunityStandard, @Ctx() ctx: Context): Promise<Member | null> | null {
    return standard.addedBy ? ctx.loaders.byId(Member).load(standard.addedBy.id) : null;
  }
}

@Resolver(() => CommunityStandards)
export class CommunityStandardsResolver {
  @FieldResolver(() => CodeOfConduct, { description: "The organisation's current code, which every community keeps" })
  codeOfConduct(@Ctx() ctx: Context): Promise<CodeOfConduct> {
    return currentCode(ctx.loaders);
  }

  @FieldResolver(() => [CommunityStandard], { description: "The community's own additions, oldest first" })
  additions(@Root() standards: CommunityStandards, @Ctx() ctx: Context): Promise<CommunityStandard[]> {
    return additionsLoader(ctx.loaders).load(standards.community.id);
  }

  @FieldResolver(() => String, { description: '"<code version>.<number of additions>", e.g. "3.2"' })
  async version(@Root() standards: CommunityStandards, @Ctx() ctx: Context): Promise<string> {
    const [code, count] = await Promise.all([currentCode(ctx.loaders), additionCountLoader(ctx.loaders).load(standards.community.id)]);
    return standardsVersion(code.version, count);
  }
}

@Resolver(() => Community)
export class CommunityStandardsFieldResolver {
  @FieldResolver(() => CommunityStandards, { description: "The code of conduct and the community's additions; public, like its description" })
  standards(@Root() community: Community): CommunityStandards {
    return new CommunityStandards(community);
  }
}

@Resolver(() => Membership)
export class MembershipStandardsResolver {
  @FieldResolver(() => Boolean, { description: "Whether acceptedStandardsVersion is the community's current standards version" })
  async standardsAccepted(@Root() membership: Membership, @Ctx() ctx: Context): Promise<boolean> {
    if (!membership.acceptedStandardsVersion) return false;
    const [code, count] = await Promise.all([currentCode(ctx.loaders), additionCountLoader(ctx.loaders).load(membership.community.id)]);
    return membership.acceptedStandardsVersion === standardsVersion(code.version, count);
  }
}
