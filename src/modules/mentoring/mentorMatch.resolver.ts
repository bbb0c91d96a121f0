import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Member } from '../members/member.entity';
import { MentorMatchInput, WhyNotMentorArgs } from './mentoring.inputs';
import { MentorMatch, MentorMatchCriterion } from './mentoring.types';
import { findMentorMatches, type ScoredMentor } from './queries/findMentorMatches';
import { matchReasons } from './queries/matchReasons';
import { CRITERIA } from './queries/matchWeights';
import { whyNotMentor } from './queries/whyNotMentor';

const criterionOf = { topics: MentorMatchCriterion.TOPICS, goals: MentorMatchCriterion.GOALS, communities: MentorMatchCriterion.COMMUNITIES, capacity: MentorMatchCriterion.CAPACITY };

function toMentorMatch(scored: ScoredMentor): MentorMatch {
  return Object.assign(new MentorMatch(), {
    mentorId: scored.profile.member.id,
    mentorProfile: scored.profile,
    score: scored.score,
    reasons: matchReasons(scored),
    sharedTopics: scored.sharedTopics.map((t) => t.topic),
    contributions: CRITERIA.map((criterion) => ({
      criterion: criterionOf[criterion],
      weight: scored.weights[criterion],
      value: scored.values[criterion],
    })),
  });
}

@Resolver(() => MentorMatch)
export class MentorMatchResolver {
  @Query(() => [MentorMatch], {
    description:
      'Mentors for the signed-in viewer, best first: accepting, with a free place, sharing at least one of `topics`, ' +
      'never the viewer nor someone they already have an open mentorship with. Each match explains its score.',
  })
  async mentorMatches(@Arg('input') input: MentorMatchInput, @Ctx() ctx: Context): Promise<MentorMatch[]> {
    return (await findMentorMatches(ctx, input)).map(toMentorMatch);
  }

  @Query(() => [String], {
    description: 'Why mentorMatches would not offer this mentor to the viewer, in sentences; empty when it would',
  })
  whyNotMentor(@Args() args: WhyNotMentorArgs, @Ctx() ctx: Context): Promise<string[]> {
    return whyNotMentor(ctx, args.mentorId, args.topics);
  }

  @FieldResolver(() => Member)
  async mentor(@Root() match: MentorMatch, @Ctx() ctx: Context): Promise<Member> {
    return (await ctx.loaders.byId(Member).load(match.mentorId))!;
  }
}
