import type { MentorMatchWeights } from '../../../config';
import type { Context } from '../../../server/context';
import { requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { DEFAULT_MATCHES, type MentorMatchInput } from '../mentoring.inputs';
import { mentorProfileOfMemberLoader } from '../mentoring.loaders';
import { MentorProfile } from '../mentorProfile.entity';
import { normalizeTopics } from '../topics';
import { matchContext, type MatchContext, type TopicRarity } from './matchContext';
import { effectiveWeights, weightedScore, type Criterion } from './matchWeights';

/** Shared communities count up to this many: the third one in common still says something, the tenth not much. */
export const COMMUNITY_SATURATION = 3;

/**
 * With goals, the first pass reads this many candidates per requested match (plus a few) by score bound. Measured
 * on the benchmark's 50,000 profiles: the true best `first` were within 3 × first of the bound order for half of
 * the requests and within 8.4 × first for nine in ten, so one pass nearly always suffices.
 */
const INITIAL_WINDOW_PER_MATCH = 8;
const INITIAL_WINDOW_EXTRA = 40;

export interface ScoredMentor {
  profile: MentorProfile;
  score: number;
  weights: MentorMatchWeights;
  values: Record<Criterion, number>;
  /** Requested topics the mentor holds, rarest first. */
  sharedTopics: TopicRarity[];
  profileCount: number;
  sharedCommunities: number;
  /** Goal words whose lexemes the mentor's bio and topics contain. */
  matchedGoalWords: string[];
  goalWordCount: number;
}

interface Row {
  id: string;
  created_at: string;
  member_id: string;
  topics: string[];
  capacity: number;
  active_mentee_count: number;
  bio: string | null;
  accepting_mentees: boolean;
  updated_at: string;
  topics_value: number;
  goals_value: number;
  communities_value: number;
  capacity_value: number;
  matched_lexemes: string[];
  member_row: Record<string, unknown>;
  /** How many candidates the window read, and the smallest score bound among them. */
  window_size: number;
  window_floor: number;
}

/**
 * Mentors for the viewer, best first. Per candidate, each criterion is a value in 0..1:
 *
 * - topics: the requested topics the mentor holds, each weighted by its inverse document frequency over all
 *   mentor profiles (ln(1 + profiles / holders)), as a share of the requested topics' total (topics no mentor
 *   holds are left out of the total). Sharing a rare topic therefore counts more than sharing a common one.
 * - goals: the share of the goals' distinct lexemes (English stemming, no stop words) found in the mentor's bio
 *   and topics.
 * - communities: ACTIVE communities both are ACTIVE members of, up to COMMUNITY_SATURATION, as a share of it.
 * - capacity: free places as a share of capacity.
 *
 * The score is Σ weight × value (see effectiveWeights); ties go to the smaller profile id.
 *
 * How it scales: candidates (available profiles sharing a requested topic, never the viewer nor anyone with an
 * open pairing with them) come from one index-only scan of mentor_match_entry, which carries everything the
 * topics, communities and capacity values need, plus a Bloom-filter signature of each profile's lexemes. The
 * signature gives an upper bound of the goals value (a lexeme whose bit is unset is surely absent), so SQL ranks
 * every candidate by an upper bound of its score and reads mentor_profile, for the exact goals value, only for
 * a window of the best bounds. The answer is exact once the first-th exact score beats the smallest bound in the
 * window (nobody left out can then overtake it); otherwise the window grows fourfold. Without goals the bound is
 * the score and a window of `first` is exact.
 */
export async function findMentorMatches(ctx: Context, input: MentorMatchInput): Promise<ScoredMentor[]> {
  const viewer = requireMember(ctx.actor);
  const topics = normalizeTopics(input.topics);
  const first = input.first ?? DEFAULT_MATCHES;
  const context = await matchContext(ctx.em, viewer.id, topics, input.goals?.trim() || null);
  const held = context.topics.filter((t) => t.mentorCount > 0);
  if (held.length === 0) return [];
  const hasGoals = context.goalWords.length > 0;
  const weights = effectiveWeights(ctx.services.config.mentorMatchWeights, hasGoals);

  for (let window = hasGoals ? first * INITIAL_WINDOW_PER_MATCH + INITIAL_WINDOW_EXTRA : first; ; window *= 4) {
    const rows = await ctx.em.execute<Row[]>(...rankingQuery(viewer.id, held, context, weights, window, first));
    const last = rows.at(-1);
    const complete = !hasGoals || !last || last.window_size <= window;
    // Nobody outside the window has a bound above its floor, so a first-th score above it cannot be overtaken.
    if (complete || (rows.length === first && weightedScore(weights, valuesOf(last)) > last.window_floor)) {
      return rows.map((row) => toScoredMentor(ctx, row, weights, held, context));
    }
  }
}

const valuesOf = (row: Row): Record<Criterion, number> => ({
  topics: row.topics_value,
  goals: row.goals_value,
  communities: row.communities_value,
  capacity: row.capacity_value,
});

function toScoredMentor(ctx: Context, row: Row, weights: MentorMatchWeights, held: TopicRarity[], context: MatchContext): ScoredMentor {
  const { topics_value, goals_value, communities_value, capacity_value, matched_lexemes, member_row, window_size, window_floor, ...columns } =
    row;
  const profile = ctx.em.map(MentorProfile, columns);
  mentorProfileOfMemberLoader(ctx.loaders).prime(row.member_id, profile);
  // The mentor comes in the same statement: MentorMatch.mentor then costs no query.
  const mentor = ctx.em.map(Member, member_row);
  ctx.loaders.byId(Member).prime(mentor.id, mentor);
  const mentorTopics = new Set(profile.topics);
  const matched = new Set(matched_lexemes);
  const values = valuesOf(row);
  return {
    profile,
    weights,
    values,
    score: weightedScore(weights, values),
    sharedTopics: held.filter((t) => mentorTopics.has(t.topic)).sort((a, b) => a.mentorCount - b.mentorCount || a.topic.localeCompare(b.topic)),
    profileCount: context.profileCount,
    sharedCommunities: context.sharedCommunities.get(row.member_id) ?? 0,
    matchedGoalWords: context.goalWords.filter((w) => matched.has(w.lexeme)).map((w) => w.word),
    goalWordCount: context.goalWords.length,
  };
}

/**
 * How many goal lexemes may be in a profile, judged by its signature: one `get_bit` per goal lexeme (cheaper per
 * row than AND-ing 2,048-bit strings). Never less than the true count, so the score bound built on it never
 * undercuts a score.
 */
const signatureHits = (bits: number[]) => `(${bits.map((bit) => `get_bit(e.signature, ${bit})`).join(' + ')})`;

/** Σ weight × value over columns of `alias`, as SQL: the same additions in the same order as weightedScore. */
const scoreSql = (alias: string, goals: string) =>
  `?::float8 * ${alias}.topics_value + ?::float8 * ${alias}.${goals} + ?::float8 * ${alias}.communities_value + ?::float8 * ${alias}.capacity_value`;

/** The ranking statement and its parameters, in placeholder order (MikroORM inlines them as escaped literals). */
function rankingQuery(
  viewerId: string,
  held: TopicRarity[],
  context: MatchContext,
  weights: MentorMatchWeights,
  window: number,
  first: number,
): [string, unknown[]] {
  const idfTotal = held.reduce((sum, t) => sum + t.idf, 0);
  const lexemes = context.goalWords.map((w) => w.lexeme);
  const k = lexemes.length;
  const weightParams = [weights.topics, weights.goals, weights.communities, weights.capacity];
  const shared = [...context.sharedCommunities];
  // Placeholders in the order they appear in the text below.
  const params: unknown[] = [...weightParams];

  // One requested topic: every candidate holds it, so its value is 1 (and no row needs its topics read).
  const topicsValue =
    held.length === 1 ? '1::float8' : held.map(() => 'case when e.topics @> array[?]::text[] then ?::float8 else 0::float8 end').join(' + ');
  if (held.length > 1) params.push(...held.flatMap((t) => [t.topic, t.idf / idfTotal]));
  const goalsBound = k > 0 ? `${signatureHits(context.goalWords.map((w) => w.bit))}::float8 / ${k}` : '0::float8';
  params.push(shared.map(([id]) => id), shared.map(([, n]) => n), held.map((t) => t.topic), [viewerId, ...context.openPartners]);
  // A profile holding several requested topics has a row for each: only the row of the first requested topic it
  // holds is kept (no grouping needed), and the topics value is summed from the row's copy of all its topics. The
  // first-held test compares the row with itself, so the planner keeps it a filter and still scans the index.
  const firstHeld =
    held.length === 1 ? '' : ` and e.topic = (case ${held.map(() => 'when e.topics @> array[?]::text[] then ?').join(' ')} end)`;
  if (held.length > 1) params.push(...held.flatMap((t) => [t.topic, t.topic]));
  params.push(window + 1);
  const goalsExact = k > 0 ? `(length(p.match_lexemes) - length(ts_delete(p.match_lexemes, array[?]::text[])))::float8 / ${k}` : '0::float8';
  if (k > 0) params.push(lexemes);
  params.push(...weightParams, first);
  const matched = k > 0 ? 'array(select l from unnest(tsvector_to_array(p.match_lexemes)) l where l in (?))' : `'{}'::text[]`;
  if (k > 0) params.push(lexemes);

  const sql = `
    with ranked as materialized (
      select v.*, ${scoreSql('v', 'goals_bound')} as bound_score
      from (
        select e.profile_id, (${topicsValue}) as topics_value, ${goalsBound} as goals_bound,
          least(coalesce(s.shared_count, 0), ${COMMUNITY_SATURATION})::float8 / ${COMMUNITY_SATURATION} as communities_value,
          e.free_places::float8 / e.capacity as capacity_value
        from mentor_match_entry e
        left join unnest(array[?]::uuid[], array[?]::int[]) as s(member_id, shared_count) on s.member_id = e.member_id
        where e.topic in (?) and e.member_id not in (?)${firstHeld}
      ) v
      order by bound_score desc, v.profile_id limit ?
    ), exact as (
      select r.*, ${goalsExact} as goals_value from ranked r join mentor_profile p on p.id = r.profile_id
    ), best as (
      select x.*, ${scoreSql('x', 'goals_value')} as score from exact x order by score desc, x.profile_id limit ?
    )
    select p.id, p.created_at, p.member_id, p.topics, p.capacity, p.active_mentee_count, p.bio, p.accepting_mentees,
      p.updated_at, b.topics_value, b.goals_value, b.communities_value, b.capacity_value,
      ${matched} as matched_lexemes, row_to_json(mb.*) as member_row,
      (select count(*)::int from ranked) as window_size, (select min(bound_score) from ranked) as window_floor
    from best b join mentor_profile p on p.id = b.profile_id join member mb on mb.id = p.member_id
    order by b.score desc, b.profile_id`;
  return [sql, params];
}
