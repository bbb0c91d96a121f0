import type { Context } from '../../../server/context';
import { requireMember } from '../../../shared/policy';
import type { MentorMatchInput } from '../mentoring.inputs';
import { DEFAULT_MATCHES } from '../mentoring.inputs';
import { mentorProfileOfMemberLoader } from '../mentoring.loaders';
import { MentorProfile } from '../mentorProfile.entity';
import { normalizeTopics } from '../topics';
import { matchStatistics, type GoalWord, type TopicRarity } from './matchStatistics';
import { effectiveWeights, weightedScore, type Criterion } from './matchWeights';
import type { MentorMatchWeights } from '../../../config';

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
  matched_lexemes: string[];
}

/**
 * Mentors for the viewer, best first. Filtering and scoring run in one SQL statement over the partial GIN index
 * of available profiles (accepting, with a free place) that share a requested topic; the viewer, and anyone they
 * already have an open pairing with, are left out. Per candidate, each criterion is a value in 0..1:
 *
 * - topics: the requested topics the mentor holds, each weighted by its inverse document frequency over all
 *   mentor profiles (ln(1 + profiles / holders)), as a share of the requested topics' total (topics no mentor
 *   holds are left out of the total). Sharing a rare topic therefore counts more than sharing a common one.
 * - goals: the share of the goals' distinct lexemes (English stemming, no stop words) found in the mentor's bio
 *   and topics (the trigger-kept `match_lexemes`, counted with `ts_delete`).
 * - communities: ACTIVE communities both are ACTIVE members of, up to COMMUNITY_SATURATION, as a share of it.
 * - capacity: free places as a share of capacity.
 *
 * The score is Σ weight × value with the configured weights (see effectiveWeights); ties go to the smaller
 * profile id, so the order is deterministic.
 */
export async function findMentorMatches(ctx: Context, input: MentorMatchInput): Promise<ScoredMentor[]> {
  const viewer = requireMember(ctx.actor);
  const topics = normalizeTopics(input.topics);
  const first = input.first ?? DEFAULT_MATCHES;
  const stats = await matchStatistics(ctx.em, topics, input.goals?.trim() || null);
  const held = stats.topics.filter((t) => t.mentorCount > 0);
  if (held.length === 0) return [];

  const weights = effectiveWeights(ctx.services.config.mentorMatchWeights, stats.goalWords.length > 0);
  const idfTotal = held.reduce((sum, t) => sum + t.idf, 0);
  const topicTerms = held.map(() => 'case when p.topics @> array[?]::text[] then ?::float8 else 0 end');
  const topicParams = held.flatMap((t) => [t.topic, t.idf / idfTotal]);
  const lexemes = stats.goalWords.map((w) => w.lexeme);
  const hasGoals = lexemes.length > 0;
  const goalsValue = hasGoals
    ? `(length(coalesce(p.match_lexemes, ''::tsvector)) - length(ts_delete(coalesce(p.match_lexemes, ''::tsvector), array[?]::text[])))::float8 / ${lexemes.length}`
    : '0::float8';
  const matched = hasGoals ? 'array(select l from unnest(tsvector_to_array(p.match_lexemes)) l where l in (?))' : `'{}'::text[]`;

  const sql = `
    with viewer_communities as (
      select m.community_id from membership m join community c on c.id = m.community_id
      where m.member_id = ? and m.status = 'ACTIVE' and c.status = 'ACTIVE'
    ), shared as (
      select m.member_id, count(*)::int as shared_count
      from membership m join viewer_communities v on v.community_id = m.community_id
      where m.status = 'ACTIVE' group by m.member_id
    ), open_pairs as (
      select case when x.mentor_id = ? then x.mentee_id else x.mentor_id end as member_id
      from mentorship_pairing x where (x.mentor_id = ? or x.mentee_id = ?) and x.status in ('PROPOSED', 'ACTIVE')
    ), scored as (
      select p.id, coalesce(s.shared_count, 0) as shared_communities,
        (${topicTerms.join(' + ')}) as topics_value,
        ${goalsValue} as goals_value,
        least(coalesce(s.shared_count, 0), ${COMMUNITY_SATURATION})::float8 / ${COMMUNITY_SATURATION} as communities_value,
        (p.capacity - p.active_mentee_count)::float8 / p.capacity as capacity_value
      from mentor_profile p left join shared s on s.member_id = p.member_id
      where p.topics && array[?]::text[] and p.accepting_mentees and p.active_mentee_count < p.capacity
        and p.member_id <> ? and p.member_id not in (select o.member_id from open_pairs o)
    ), ranked as (
      select scored.*,
        ?::float8 * topics_value + ?::float8 * goals_value + ?::float8 * communities_value + ?::float8 * capacity_value as score
      from scored order by score desc, id limit ?
    )
    select p.id, p.created_at, p.member_id, p.topics, p.capacity, p.active_mentee_count, p.bio, p.accepting_mentees,
      p.updated_at, r.shared_communities, r.topics_value, r.goals_value, r.communities_value, r.capacity_value,
      ${matched} as matched_lexemes
    from ranked r join mentor_profile p on p.id = r.id
    order by r.score desc, r.id`;
  const params = [
    viewer.id,
    viewer.id,
    viewer.id,
    viewer.id,
    ...topicParams,
    ...(hasGoals ? [lexemes] : []),
    held.map((t) => t.topic),
    viewer.id,
    weights.topics,
    weights.goals,
    weights.communities,
    weights.capacity,
    first,
    ...(hasGoals ? [lexemes] : []),
  ];
  const rows = await ctx.em.execute<Row[]>(sql, params);

  const profiles = mentorProfileOfMemberLoader(ctx.loaders);
  const rarestFirst = [...held].sort((a, b) => a.mentorCount - b.mentorCount || a.topic.localeCompare(b.topic));
  return rows.map((row) => {
    const { shared_communities, topics_value, goals_value, communities_value, capacity_value, matched_lexemes, ...columns } = row;
    const profile = ctx.em.map(MentorProfile, columns);
    profiles.prime(row.member_id, profile);
    const values = { topics: topics_value, goals: goals_value, communities: communities_value, capacity: capacity_value };
    const mentorTopics = new Set(profile.topics);
    const matchedLexemes = new Set(matched_lexemes);
    return {
      profile,
      weights,
      values,
      score: weightedScore(weights, values),
      sharedTopics: rarestFirst.filter((t) => mentorTopics.has(t.topic)),
      profileCount: stats.profileCount,
      sharedCommunities: shared_communities,
      matchedGoalWords: stats.goalWords.filter((w: GoalWord) => matchedLexemes.has(w.lexeme)).map((w) => w.word),
      goalWordCount: lexemes.length,
    };
  });
}
