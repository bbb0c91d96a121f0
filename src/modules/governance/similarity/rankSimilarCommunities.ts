import type { Em } from '../../../db/orm';
import { badField } from '../../../shared/errors';
import { arrayLiteral } from './sqlArray';

/** What a proposed community would be about (a proposal's fields, or the staff duplicate check's input). */
export interface CommunityNeed {
  name: string;
  description: string;
  topics: string[];
  statementOfNeed: string;
  plannedActivities?: string | null;
}

export interface SimilarCommunityMatch {
  communityId: string;
  /** 0..1: 0.40 topics + 0.35 text + 0.15 recent discussions + 0.10 name (see below). */
  score: number;
  /** Why, for a person: "shares topics: …", "description overlaps: …", "recent discussions overlap: …", "similar name: …". */
  reasons: string[];
}

export const MAX_SIMILAR = 50;
/** Threads in this window make up a community's "recent discussions". */
export const RECENT_ACTIVITY_DAYS = 180;
/** Below this a community is not offered at all; trigram name similarity counts only from NAME_THRESHOLD. */
const MIN_SCORE = 0.05;
const NAME_THRESHOLD = 0.3;
/** How many overlapping words a reason names. */
const WORDS_PER_REASON = 6;
/** The recent threads read per community (newest first), so a very busy community costs a bounded amount. */
const RECENT_THREADS = 200;

interface Row {
  community_id: string;
  name: string;
  score: number;
  shared_topics: string[];
  text_words: string[];
  activity_words: string[];
  name_similarity: number;
}

/**
 * Ranks ACTIVE communities by how much a proposed need overlaps them, best first, all in PostgreSQL:
 * - topics (0.40): shared topics (trimmed, lower-case) / the smaller of the two topic lists;
 * - text (0.35): ts_rank (english) of the community's name, description and topics against an OR query of the
 *   need's words, relative to the need's rank against itself (so 1 means "covers every word of the need");
 * - recent discussions (0.15): the same for the titles and tags of its threads of the last 180 days; OPEN
 *   communities only, because a RESTRICTED community's threads are for its members and these results reach board
 *   members and proposers who may not read them;
 * - name (0.10): pg_trgm similarity of the names, counted from 0.3 (below that it is noise).
 * The need's words go into one OR query (plainto_tsquery ANDs them; as OR, every shared word counts and more shared
 * words rank higher). No `--` comments in the SQL: the statement is sent on one line.
 * Reasons name the shared topics and the need's own words found in each document (one word per lexeme), the most
 * distinctive first (those found in the fewest communities), leaving out words a topic or the similar name already says.
 */
export async function rankSimilarCommunities(
  em: Em,
  need: CommunityNeed,
  options: { first: number; excludeCommunityIds?: readonly string[] },
): Promise<SimilarCommunityMatch[]> {
  if (!Number.isInteger(options.first) || options.first < 1 || options.first > MAX_SIMILAR) {
    throw badField('first', `must be between 1 and ${MAX_SIMILAR}`);
  }
  const body = [need.name, need.description, need.statementOfNeed, need.plannedActivities ?? '', need.topics.join(', ')].join('\n');
  const rows = await em.execute<Row[]>(
    `with need as (
       select ?::text as name,
              ?::text as body,
              array(select distinct lower(btrim(t)) from unnest(?::text[]) t where btrim(t) <> '') as topics,
              replace(plainto_tsquery('english', ?::text)::text, ' & ', ' | ')::tsquery as q
     ),
     scaled as (select n.*, nullif(ts_rank(to_tsvector('english', n.body), n.q), 0) as self_rank from need n),
     need_words as (
       select distinct on (w.q::text) w.word, w.q, w.ord
         from (select s.word, s.ord, plainto_tsquery('english', s.word) as q
                 from need, regexp_split_to_table(lower(need.body), '[^[:alnum:]]+') with ordinality as s(word, ord)
                where length(s.word) >= 3) w
        where numnode(w.q) > 0
        order by w.q::text, w.ord
     ),
     docs as (
       select c.id, c.name, c.visibility,
              array(select lower(btrim(t)) from unnest(c.topics) t) as topics,
              to_tsvector('english', c.name || ' ' || c.description || ' ' || array_to_string(c.topics, ' ')) as vec,
              case when c.visibility = 'OPEN' then (
                select to_tsvector('english', coalesce(string_agg(r.title || ' ' || array_to_string(r.tags, ' '), ' '), ''))
                  from (select t.title, t.tags from thread t
                         where t.community_id = c.id and t.created_at >= now() - make_interval(days => ?)
                         order by t.created_at desc limit ${RECENT_THREADS}) r
              ) else ''::tsvector end as activity_vec
         from community c
        where c.status = 'ACTIVE' and not (c.id = any(?::uuid[]))
     ),
     ranked_words as (select w.*, (select count(*) from docs d where d.vec @@ w.q) as df from need_words w),
     signals as (
       select d.id, d.name,
              array(select unnest(d.topics) intersect select unnest(s.topics) order by 1) as shared_topics,
              coalesce(least(1, ts_rank(d.vec, s.q) / s.self_rank), 0) as text_score,
              coalesce(least(1, ts_rank(d.activity_vec, s.q) / s.self_rank), 0) as activity_score,
              similarity(lower(d.name), lower(s.name)) as name_similarity,
              cardinality(s.topics) as need_topics, cardinality(d.topics) as community_topics,
              array(select w.word from ranked_words w where d.vec @@ w.q order by w.df, w.ord limit ${WORDS_PER_REASON * 3}) as text_words,
              array(select w.word from ranked_words w where d.activity_vec @@ w.q order by w.df, w.ord limit ${WORDS_PER_REASON * 3}) as activity_words
         from docs d cross join scaled s
     ),
     scored as (
       select g.*, round((
           0.40 * cardinality(g.shared_topics)::float8 / greatest(1, least(g.need_topics, g.community_topics))
         + 0.35 * g.text_score
         + 0.15 * g.activity_score
         + 0.10 * case when g.name_similarity >= ${NAME_THRESHOLD} then g.name_similarity else 0 end
       )::numeric, 4)::float8 as score
         from signals g
     )
     select id as community_id, name, score, shared_topics, text_words, activity_words, name_similarity::float8 as name_similarity
       from scored where score >= ${MIN_SCORE}
      order by score desc, name, id
      limit ?`,
    [need.name, body, arrayLiteral(need.topics), body, RECENT_ACTIVITY_DAYS, arrayLiteral(options.excludeCommunityIds ?? []), options.first],
  );
  return rows.map((row) => ({ communityId: row.community_id, score: Number(row.score), reasons: reasonsFor(row) }));
}

function reasonsFor(row: Row): string[] {
  const reasons: string[] = [];
  if (row.shared_topics.length) reasons.push(`shares topics: ${row.shared_topics.join(', ')}`);
  // Words already named as a shared topic (or in the similar name) say nothing new.
  const similarName = row.name_similarity >= NAME_THRESHOLD;
  const said = new Set([...row.shared_topics, ...(similarName ? [row.name.toLowerCase()] : [])].flatMap((text) => text.split(/[^\p{L}\p{N}]+/u)));
  // "circles" is said by "circle": compare by prefix (the reason is for a person; the score used the lexemes).
  const saidBefore = (word: string) => [...said].some((w) => w.length >= 3 && (word.startsWith(w) || w.startsWith(word)));
  const fresh = (words: string[]) => words.filter((word) => !saidBefore(word)).slice(0, WORDS_PER_REASON);
  if (fresh(row.text_words).length) reasons.push(`description overlaps: ${fresh(row.text_words).join(', ')}`);
  if (similarName) reasons.push(`similar name: ${row.name}`);
  if (fresh(row.activity_words).length) reasons.push(`recent discussions overlap: ${fresh(row.activity_words).join(', ')}`);
  return reasons;
}
