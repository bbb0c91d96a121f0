import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import type { Context } from '../../../context';
import { parseId } from '../../../shared/ids';
import { connectionType, type ConnectionResult, type Edge } from '../../../shared/pagination';
import { requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';
import { CommunityProposal, ProposalStatus } from './communityProposal.entity';
import { DecideProposalInput, ProposalsArgs, ProposeCommunityInput, UpdateProposalInput } from './proposal.inputs';
import { timelineLoader, type ProposalTimeline } from './proposalTimeline';
import { listProposals } from './queries/listProposals';
import { proposeCommunity } from './commands/proposeCommunity';
import { updateProposal } from './commands/updateProposal';
import { withdrawProposal } from './commands/withdrawProposal';
import { decideProposal } from './commands/decideProposal';
import './proposal.policy';

export const CommunityProposalConnection = connectionType('CommunityProposal', CommunityProposal);

/** Every field of a proposal is reached only through a path that checked the read rule (node, list, mutations). */
@Resolver(() => CommunityProposal)
export class CommunityProposalResolver {
  @Query(() => CommunityProposalConnection, { description: 'Newest first: the board and staff see every proposal, other members their own' })
  proposals(@Args() args: ProposalsArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<CommunityProposal>>> {
    return listProposals(ctx, args);
  }

  @Mutation(() => CommunityProposal, { description: 'Any signed-in member proposes a community, which the board reviews at its next meetings' })
  async proposeCommunity(@Arg('input') input: ProposeCommunityInput, @Ctx() ctx: Context): Promise<CommunityProposal> {
    requireMember(ctx.actor);
    return proposeCommunity(ctx, {
      ...input,
      resourcesRequested: input.resourcesRequested ?? null,
      standardsRationale: input.standardsRationale ?? null,
      membershipRationale: input.membershipRationale ?? null,
    });
  }

  @Mutation(() => CommunityProposal, { description: 'The proposer, while it is SUBMITTED (until the first board meeting after its receipt starts)' })
  async updateProposal(@Arg('input') input: UpdateProposalInput, @Ctx() ctx: Context): Promise<CommunityProposal> {
    requireMember(ctx.actor);
    return updateProposal(ctx, { ...input, proposalId: parseId(input.proposalId, 'CommunityProposal', 'proposalId') });
  }

  @Mutation(() => CommunityProposal, { description: 'The proposer, before it is decided' })
  async withdrawProposal(@Arg('proposalId', () => ID) proposalId: string, @Ctx() ctx: Context): Promise<CommunityProposal> {
    requireMember(ctx.actor);
    return withdrawProposal(ctx, { proposalId: parseId(proposalId, 'CommunityProposal', 'proposalId') });
  }

  @Mutation(() => CommunityProposal, { description: 'Board or staff: APPROVE creates the community (the proposer its LEAD); DECLINE needs a note' })
  async decideProposal(@Arg('input') input: DecideProposalInput, @Ctx() ctx: Context): Promise<CommunityProposal> {
    requireMember(ctx.actor);
    return decideProposal(ctx, { ...input, proposalId: parseId(input.proposalId, 'CommunityProposal', 'proposalId') });
  }

  private async timeline(proposal: CommunityProposal, ctx: Context): Promise<ProposalTimeline> {
    const timeline = await timelineLoader(ctx.loaders).load(proposal.id);
    return timeline ?? { status: proposal.recordedStatus, reviewDeadline: null, overdue: false };
  }

  @FieldResolver(() => ProposalStatus, { description: 'As of now: UNDER_REVIEW from the start of the first board meeting after receipt' })
  async status(@Root() proposal: CommunityProposal, @Ctx() ctx: Context): Promise<ProposalStatus> {
    return (await this.timeline(proposal, ctx)).status;
  }

  @FieldResolver(() => GraphQLDateTime, { nullable: true, description: 'The start of the second board meeting after receipt (null until two are scheduled)' })
  async reviewDeadline(@Root() proposal: CommunityProposal, @Ctx() ctx: Context): Promise<Date | null> {
    return (await this.timeline(proposal, ctx)).reviewDeadline;
  }

  @FieldResolver(() => Boolean, { description: 'The review deadline passed without a decision (and it was not withdrawn)' })
  async overdue(@Root() proposal: CommunityProposal, @Ctx() ctx: Context): Promise<boolean> {
    return (await this.timeline(proposal, ctx)).overdue;
  }

  @FieldResolver(() => Member)
  async proposer(@Root() proposal: CommunityProposal, @Ctx() ctx: Context): Promise<Member | null> {
    return ctx.loaders.byId(Member).load(proposal.proposer.id);
  }

  @FieldResolver(() => Member, { nullable: true })
  decidedBy(@Root() proposal: CommunityProposal, @Ctx() ctx: Context): Promise<Member | null> | null {
    return proposal.decidedBy ? ctx.loaders.byId(Member).load(proposal.decidedBy.id) : null;
  }

  @FieldResolver(() => Community, { nullable: true, description: 'The community its approval created' })
  community(@Root() proposal: CommunityProposal, @Ctx() ctx: Context): Promise<Community | null> | null {
    return proposal.community ? ctx.loaders.byId(Community).load(proposal.community.id) : null;
  }
}
