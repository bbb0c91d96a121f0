import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { authorize } from '../../shared/policy';
import type { ConnectionResult, Edge } from '../../shared/pagination';
import { Member } from '../members/member.entity';
import { upsertMentorProfile } from './commands/upsertMentorProfile';
import { MentorProfileInput, MentorshipsArgs } from './mentoring.inputs';
import { mentorProfileOfMemberLoader } from './mentoring.loaders';
import { authorizeMentoringRead, requireMentoringReader } from './mentoring.policy';
import { MentorshipPairingConnection } from './mentoring.types';
import { MentorProfile } from './mentorProfile.entity';
import type { MentorshipPairing } from './mentorshipPairing.entity';
import { listMentorships } from './queries/listMentorships';

@Resolver(() => MentorProfile)
export class MentorProfileResolver {
  @Mutation(() => MentorProfile, { description: "Creates or replaces the viewer's mentor profile (signed-in members)" })
  upsertMentorProfile(@Arg('input') input: MentorProfileInput, @Ctx() ctx: Context): Promise<MentorProfile> {
    return upsertMentorProfile(ctx, input);
  }

  @FieldResolver(() => Member)
  async member(@Root() profile: MentorProfile, @Ctx() ctx: Context): Promise<Member> {
    return (await ctx.loaders.byId(Member).load(profile.member.id))!;
  }
}

@Resolver(() => Member)
export class MemberMentoringResolver {
  @FieldResolver(() => MentorProfile, {
    nullable: true,
    description: 'Their mentor profile, or null when they have none; signed-in members only',
  })
  async mentorProfile(@Root() member: Member, @Ctx() ctx: Context): Promise<MentorProfile | null> {
    // Asked before loading, so an anonymous reader learns nothing, not even whether a profile exists.
    requireMentoringReader(ctx.actor);
    const profile = await mentorProfileOfMemberLoader(ctx.loaders).load(member.id);
    if (profile) await authorizeMentoringRead(ctx.actor, profile, 'Mentor profiles are for signed-in members');
    return profile;
  }

  @FieldResolver(() => MentorshipPairingConnection, {
    nullable: true,
    description: 'Their pairings as mentor or mentee, newest first: for the member themself only (FORBIDDEN to anyone else)',
  })
  async mentorships(
    @Root() member: Member,
    @Args() args: MentorshipsArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionResult<Edge<MentorshipPairing>>> {
    await authorize(ctx.actor, 'readMentorships', member, 'Mentorships are private to their participants');
    return listMentorships(ctx, member, args);
  }
}
