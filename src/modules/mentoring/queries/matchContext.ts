import type { Em } from '../../../db/orm';
import { MATCH_POSITION_SQL } from '../mentorProfile.entity';

/** A requested topic with how many mentor profiles hold it. */
export interface TopicRarity {
  topic: string;
  mentorCount: number;
  /** Inverse document frequency, ln(1 + profiles / mentorCount); 0 for a topic no mentor holds. */
  idf: number;
}

/** A word of the goals text and the lexeme (stemmed form) full-text search reduces it to. */
export interface GoalWord {
  word: string;
  lexeme: string;
}

/** Everything about the request and the viewer that matching needs before it ranks anyone. */
export interface MatchContext {
  profileCount: number;
  topics: TopicRarity[];
  /** Distinct lexemes of the goals, first occurrence first, each with the word it came from. */
  goalWords: GoalWord[];
  /** Members sharing ACTIVE communities with the viewer, with how many (both ACTIVE members, community ACTIVE). */
  sharedCommunities: Map<string, number>;
  /** Members the viewer has an open (PROPOSED or ACTIVE) pairing with, either way round: never offered. */
  openPartners: string[];
  /** The newest position of mentor_match_change: the matching index must be at least this fresh. */
  matchPosition: number;
}

/** At most this many distinct goal lexemes are compared (a 1,000-character text rarely has more). */
export const MAX_GOAL_LEXEMES = 40;
/** The statistics row of the empty topic counts all profiles (see MentorTopicStat). */
const ALL_PROFILES = '';

/**
 * One statement: how many profiles hold each requested topic (for the rare-topics-count-more weighting); the goal
 * text's lexemes with their original words (PostgreSQL's English full-text parser and stemmer, the same that built
 * the mentors' `match_lexemes`; compound words count through their parts, stop words not at all); the members the
 * viewer shares communities with (a few hundred at most: communities have tens of members); the viewer's open
 * pairings; and the position of the matching change log, which the in-memory index must have reached.
 */
export async function matchContext(em: Em, viewerId: string, topics: string[], goals: string | null): Promise<MatchContext> {
  const [row] = await em.execute<{ stats: [string, number][]; words: [string, string][]; shared: [string, number][]; open: string[]; position: string }[]>(
    `select
       (select coalesce(json_agg(json_build_array(s.topic, s.mentor_count)), '[]'::json)
          from mentor_topic_stat s where s.topic in (?)) as stats,
       (select coalesce(json_agg(json_build_array(lower(d.token), d.lexemes[1]) order by d.position), '[]'::json)
          from ts_debug('english'::regconfig, ?) with ordinality as d(alias, description, token, dictionaries, dictionary, lexemes, position)
          where cardinality(d.lexemes) > 0 and d.alias not in ('asciihword', 'hword', 'numhword')) as words,
       (select coalesce(json_agg(json_build_array(x.member_id, x.n)), '[]'::json) from (
          select m.member_id, count(*)::int as n
          from membership v join community co on co.id = v.community_id and co.status = 'ACTIVE'
          join membership m on m.community_id = v.community_id and m.status = 'ACTIVE' and m.member_id <> v.member_id
          where v.member_id = ? and v.status = 'ACTIVE'
          group by m.member_id) x) as shared,
       (select coalesce(json_agg(case when x.mentor_id = ? then x.mentee_id else x.mentor_id end), '[]'::json)
          from mentorship_pairing x where (x.mentor_id = ? or x.mentee_id = ?) and x.status in ('PROPOSED', 'ACTIVE')) as open,
       ${MATCH_POSITION_SQL} as position`,
    [[ALL_PROFILES, ...topics], goals ?? '', viewerId, viewerId, viewerId, viewerId],
  );
  const counts = new Map(row!.stats.map(([topic, count]) => [topic, Number(count)]));
  const profileCount = counts.get(ALL_PROFILES) ?? 0;
  const goalWords: GoalWord[] = [];
  const seen = new Set<string>();
  for (const [word, lexeme] of row!.words) {
    if (seen.has(lexeme) || goalWords.length >= MAX_GOAL_LEXEMES) continue;
    seen.add(lexeme);
    goalWords.push({ word, lexeme });
  }
  return {
    profileCount,
    topics: topics.map((topic) => {
      const mentorCount = counts.get(topic) ?? 0;
      return { topic, mentorCount, idf: mentorCount > 0 ? Math.log(1 + profileCount / mentorCount) : 0 };
    }),
    goalWords,
    sharedCommunities: new Map(row!.shared),
    openPartners: row!.open,
    matchPosition: Number(row!.position),
  };
}
