import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { parseId } from '../../shared/ids';
import { requireMember } from '../../shared/policy';
import { cursorValues } from '../../shared/loaders';
import { PageArgs, parsePage, toConnection, type ConnectionResult, type Edge } from '../../shared/pagination';
import { Member } from '../members/member.entity';
import { completeMentorship } from './commands/completeMentorship';
import { logMentorshipCheckIn } from './commands/logMentorshipCheckIn';
import { requestMentorship } from './commands/requestMentorship';
import { respondToMentorship } from './commands/respondToMentorship';
import { withdrawMentorshipRequest } from './commands/withdrawMentorshipRequest';
import { CheckInInput, RequestMentorshipInput, RespondMentorshipInput } from './mentoring.inputs';
import { CHECK_IN_ORDER, checkInCountLoader, checkInsPageLoader } from './mentoring.loaders';
import { authorizeMentoringRead } from './mentoring.policy';
import { MentorshipCheckInConnection } from './mentoring.types';
import { MentorshipCheckIn, MentorshipPairing } from './mentorshipPairing.entity';

const PRIVATE = 'Mentorships are private to their participants';

@Resolver(() => MentorshipPairing)
export class MentorshipResolver {
  @Mutation(() => MentorshipPairing, { description: 'The viewer asks a mentor (a Member ID): PROPOSED' })
  async requestMentorship(@Arg('input') input: RequestMentorshipInput, @Ctx() ctx: Context): Promise<MentorshipPairing> {
    requireMember(ctx.actor);
    const { topics, goals, message } = input;
    return requestMentorship(ctx, { mentorId: parseId(input.mentorId, 'Member', 'mentorId'), topics, goals, message });
  }

  @Mutation(() => MentorshipPairing, { description: 'The mentor only, PROPOSED pairings only: ACTIVE (needs a free place) or DECLINED' })
  async respondToMentorship(@Arg('input') input: RespondMentorshipInput, @Ctx() ctx: Context): Promise<MentorshipPairing> {
    requireMember(ctx.actor);
    return respondToMentorship(ctx, { pairingId: parseId(input.pairingId, 'MentorshipPairing', 'pairingId'), accept: input.accept });
  }

  @Mutation(() => MentorshipPairing, { description: 'The mentee only, PROPOSED pairings only: WITHDRAWN (the pair is free again)' })
  async withdrawMentorshipRequest(@Arg('pairingId', () => ID) pairingId: string, @Ctx() ctx: Context): Promise<MentorshipPairing> {
    requireMember(ctx.actor);
    return withdrawMentorshipRequest(ctx, { pairingId: parseId(pairingId, 'MentorshipPairing', 'pairingId') });
  }

  @Mutation(() => MentorshipCheckIn, { description: 'Either participant, ACTIVE pairings only' })
  async logMentorshipCheckIn(@Arg('input') input: CheckInInput, @Ctx() ctx: Context): Promise<MentorshipCheckIn> {
    requireMember(ctx.actor);
    return logMentorshipCheckIn(ctx, { pairingId: parseId(input.pairingId, 'MentorshipPairing', 'pairingId'), note: input.note });
  }

  @Mutation(() => MentorshipPairing, { description: 'Either participant: ACTIVE -> COMPLETED, freeing the mentor’s place' })
  async completeMentorship(@Arg('pairingId', () => ID) pairingId: string, @Ctx() ctx: Context): Promise<MentorshipPairing> {
    requireMember(ctx.actor);
    return completeMentorship(ctx, { pairingId: parseId(pairingId, 'MentorshipPairing', 'pairingId') });
  }

  @FieldResolver(() => Member)
  async mentor(@Root() pairing: MentorshipPairing, @Ctx() ctx: Context): Promise<Member> {
    return (await ctx.loaders.byId(Member).load(pairing.mentor.id))!;
  }

  @FieldResolver(() => Member)
  async mentee(@Root() pairing: MentorshipPairing, @Ctx() ctx: Context): Promise<Member> {
    return (await ctx.loaders.byId(Member).load(pairing.mentee.id))!;
  }

  @FieldResolver(() => MentorshipCheckInConnection, { description: 'Oldest first' })
  async checkIns(@Root() pairing: MentorshipPairing, @Args() args: PageArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<MentorshipCheckIn>>> {
    // Every root already checked; checking here too keeps any future root honest (no query: participants only).
    await authorizeMentoringRead(ctx.actor, pairing, PRIVATE);
    const page = parsePage(args, CHECK_IN_ORDER);
    const rows = await checkInsPageLoader(ctx.loaders, page).load(pairing.id);
    return toConnection(rows, page, (c) => cursorValues(c, CHECK_IN_ORDER), () => checkInCountLoader(ctx.loaders).load(pairing.id));
  }
}

@Resolver(() => MentorshipCheckIn)
export class MentorshipCheckInResolver {
  @FieldResolver(() => MentorshipPairing)
  async pairing(@Root() checkIn: MentorshipCheckIn, @Ctx() ctx: Context): Promise<MentorshipPairing> {
    const pairing = (await ctx.loaders.byId(MentorshipPairing).load(checkIn.pairing.id))!;
    await authorizeMentoringRead(ctx.actor, pairing, PRIVATE);
    return pairing;
  }

  @FieldResolver(() => Member)
  async author(@Root() checkIn: MentorshipCheckIn, @Ctx() ctx: Context): Promise<Member> {
    return (await ctx.loaders.byId(Member).load(checkIn.author.id))!;
  }
}
