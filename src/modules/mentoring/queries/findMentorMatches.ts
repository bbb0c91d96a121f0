import type { MentorMatchWeights } from '../../../config';
import type { Context } from '../../../server/context';
import { requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { DEFAULT_MATCHES, type MentorMatchInput } from '../mentoring.inputs';
import { mentorProfileOfMemberLoader } from '../mentoring.loaders';
import { MentorProfile, SIGNATURE_BITS } from '../mentorProfile.entity';
import { normalizeTopics } from '../topics';
import { matchStatistics, type MatchStatistics, type TopicRarity } from './matchStatistics';
import { effectiveWeights, weightedScore, type Criterion } from './matchWeights';

/** Shared communities count up to this many: the third one in common still says something, the tenth not much. */
export const COMMUNITY_SATURATION = 3;

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
  shared_communities: number;
  topics_value: number;
  goals_value: number;
  communities_value: number;
  capacity_value: number;
  bound_score: number;
  matched_lexemes: string[];
  member_row: Record<string, unknown>;
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
 * the best `limit + 1` of them. The answer is exact once the first-th exact score beats the smallest bound read
 * (nobody left out can then overtake it); otherwise it reads four times as many. Without goals the bound is the
 * score and one pass of `first` rows is exact.
 */
export async function findMentorMatches(ctx: Context, input: MentorMatchInput): Promise<ScoredMentor[]> {
  const viewer = requireMember(ctx.actor);
  const topics = normalizeTopics(input.topics);
  const first = input.first ?? DEFAULT_MATCHES;
  const stats = await matchStatistics(ctx.em, topics, input.goals?.trim() || null);
  const held = stats.topics.filter((t) => t.mentorCount > 0);
  if (held.length === 0) return [];
  const weights = effectiveWeights(ctx.services.config.mentorMatchWeights, stats.goalWords.length > 0);
  const hasGoals = stats.goalWords.length > 0;

  for (let limit = hasGoals ? first * 4 + 20 : first; ; limit *= 4) {
    const rows = await ctx.em.execute<Row[]>(...rankingQuery(viewer.id, held, stats, weights, hasGoals ? limit + 1 : limit));
    const scored = rows.map((row) => ({ row, score: weightedScore(weights, valuesOf(row)) }));
    scored.sort((a, b) => b.score - a.score || (a.row.id < b.row.id ? -1 : 1));
    const complete = !hasGoals || rows.length <= limit;
    // Rows come in bound order: the last has the smallest bound, which no candidate left out exceeds.
    if (complete || scored[first - 1]!.score > rows.at(-1)!.bound_score) {
      return scored.slice(0, first).map(({ row, score }) => toScoredMentor(ctx, row, score, weights, held, stats));
    }
  }
}

const valuesOf = (row: Row): Record<Criterion, number> => ({
  topics: row.topics_value,
  goals: row.goals_value,
  communities: row.communities_value,
  capacity: row.capacity_value,
});

function toScoredMentor(ctx: Context, row: Row, score: number, weights: MentorMatchWeights, held: TopicRarity[], stats: MatchStatistics): ScoredMentor {
  const { shared_communities, topics_value, goals_value, communities_value, capacity_value, bound_score, matched_lexemes, member_row, ...columns } = row;
  const profile = ctx.em.map(MentorProfile, columns);
  mentorProfileOfMemberLoader(ctx.loaders).prime(row.member_id, profile);
  // The mentor comes in the same statement: MentorMatch.mentor then costs no query.
  const mentor = ctx.em.map(Member, member_row);
  ctx.loaders.byId(Member).prime(mentor.id, mentor);
  const mentorTopics = new Set(profile.topics);
  const matched = new Set(matched_lexemes);
  return {
    profile,
    weights,
    values: valuesOf(row),
    score,
    sharedTopics: held.filter((t) => mentorTopics.has(t.topic)).sort((a, b) => a.mentorCount - b.mentorCount || a.topic.localeCompare(b.topic)),
    profileCount: stats.profileCount,
    sharedCommunities: shared_communities,
    matchedGoalWords: stats.goalWords.filter((w) => matched.has(w.lexeme)).map((w) => w.word),
    goalWordCount: stats.goalWords.length,
  };
}

/**
 * How many goal lexemes may be in a profile, judged by its signature `c.signature`: the set bits among the goals'
 * bits (one `bit_count` of an AND with their mask), plus, for a bit two goal lexemes share, the extra lexemes when
 * it is set. Never less than the true count, so the score bound built on it never undercuts a score.
 */
function signatureHits(bits: number[]): string {
  const mask = Array.from({ length: SIGNATURE_BITS }, () => '0');
  const sharing = new Map<number, number>();
  for (const bit of bits) {
    mask[bit] = '1';
    sharing.set(bit, (sharing.get(bit) ?? 0) + 1);
  }
  const extra = [...sharing].filter(([, count]) => count > 1).map(([bit, count]) => ` + ${count - 1} * get_bit(c.signature, ${bit})`);
  return `(bit_count(c.signature & B'${mask.join('')}')${extra.join('')})`;
}

/** The ranking statement and its parameters (MikroORM inlines them as escaped literals). */
function rankingQuery(
  viewerId: string,
  held: TopicRarity[],
  stats: MatchStatistics,
  weights: MentorMatchWeights,
  limit: number,
): [string, unknown[]] {
  const idfTotal = held.reduce((sum, t) => sum + t.idf, 0);
  const lexemes = stats.goalWords.map((w) => w.lexeme);
  const k = lexemes.length;
  // One requested topic: every entry is its own candidate. Several: a profile's entries are summed.
  const candidates =
    held.length === 1
      ? `select e.profile_id, e.member_id, e.capacity, e.free_places, e.signature, 1::float8 as topics_value
         from mentor_match_entry e where e.topic = ? and e.member_id <> ?`
      : `select e.profile_id, e.member_id, e.capacity, e.free_places, e.signature,
           sum(case e.topic ${held.map(() => 'when ? then ?::float8').join(' ')} else 0::float8 end) as topics_value
         from mentor_match_entry e where e.topic in (?) and e.member_id <> ?
         group by e.profile_id, e.member_id, e.capacity, e.free_places, e.signature`;
  const candidateParams =
    held.length === 1 ? [held[0]!.topic, viewerId] : [...held.flatMap((t) => [t.topic, t.idf / idfTotal]), held.map((t) => t.topic), viewerId];
  const goalsBound = k > 0 ? `${signatureHits(stats.goalWords.map((w) => w.bit))}::float8 / ${k}` : '0::float8';
  const goalsExact =
    k > 0 ? `(length(p.match_lexemes) - length(ts_delete(p.match_lexemes, array[?]::text[])))::float8 / ${k}` : '0::float8';
  const matched = k > 0 ? 'array(select l from unnest(tsvector_to_array(p.match_lexemes)) l where l in (?))' : `'{}'::text[]`;

  const sql = `
    with viewer_communities as (
      select m.community_id from membership m join community co on co.id = m.community_id
      where m.member_id = ? and m.status = 'ACTIVE' and co.status = 'ACTIVE'
    ), shared as (
      select m.member_id, count(*)::int as shared_count
      from membership m join viewer_communities v on v.community_id = m.community_id
      where m.status = 'ACTIVE' group by m.member_id
    ), open_pairs as (
      select case when x.mentor_id = ? then x.mentee_id else x.mentor_id end as member_id
      from mentorship_pairing x where (x.mentor_id = ? or x.mentee_id = ?) and x.status in ('PROPOSED', 'ACTIVE')
    ), candidates as (${candidates}
    ), ranked as (
      select c.profile_id, c.topics_value,
        least(coalesce(s.shared_count, 0), ${COMMUNITY_SATURATION})::float8 / ${COMMUNITY_SATURATION} as communities_value,
        c.free_places::float8 / c.capacity as capacity_value,
        coalesce(s.shared_count, 0) as shared_communities,
        ?::float8 * c.topics_value + ?::float8 * ${goalsBound}
          + ?::float8 * (least(coalesce(s.shared_count, 0), ${COMMUNITY_SATURATION})::float8 / ${COMMUNITY_SATURATION})
          + ?::float8 * (c.free_places::float8 / c.capacity) as bound_score
      from candidates c left join shared s on s.member_id = c.member_id
      where c.member_id not in (select o.member_id from open_pairs o)
      order by bound_score desc, c.profile_id limit ?
    )
    select p.id, p.created_at, p.member_id, p.topics, p.capacity, p.active_mentee_count, p.bio, p.accepting_mentees,
      p.updated_at, r.shared_communities, r.topics_value, r.communities_value, r.capacity_value, r.bound_score,
      ${goalsExact} as goals_value, ${matched} as matched_lexemes, row_to_json(mb.*) as member_row
    from ranked r join mentor_profile p on p.id = r.profile_id join member mb on mb.id = p.member_id
    order by r.bound_score desc, r.profile_id`;
  const params = [
    viewerId,
    viewerId,
    viewerId,
    viewerId,
    ...candidateParams,
    weights.topics,
    weights.goals,
    weights.communities,
    weights.capacity,
    limit,
    ...(k > 0 ? [lexemes, lexemes] : []),
  ];
  return [sql, params];
}
