import type { Em } from '../../db/orm';
import { MATCH_END, MATCH_START } from './snippet';
import { SEARCH_CONFIG } from './searchVectors';

export const SEARCH_HIT_TYPES = ['Thread', 'Post', 'Resource'] as const;
export type SearchHitType = (typeof SEARCH_HIT_TYPES)[number];

/**
 * Ranking. A hit's score is its text relevance decayed by age:
 *
 *     score = ts_rank(document, query, 1) × 2^(−age / RECENCY_HALF_LIFE)
 *
 * ts_rank with normalisation 1 divides by 1 + log(document length), so long posts do not win by sheer size; title
 * and tag matches count 2.5 × body matches (weights A and B, see searchVectors.ts). A year-old hit needs twice the
 * relevance of today's to rank level with it.
 *
 * Pages are ordered by the logarithm of that score with `now` dropped (it is the same for every hit):
 *
 *     key = ln(ts_rank) + created_at (epoch seconds) / τ,   τ = RECENCY_HALF_LIFE / ln 2
 *
 * which orders exactly like the score but does not change as time passes, so a cursor (key, type, id) taken from
 * one page still fits the next one, and pages never overlap or skip.
 */
export const RECENCY_HALF_LIFE_DAYS = 365;
const TAU_SECONDS = (RECENCY_HALF_LIFE_DAYS * 86_400) / Math.LN2;
/** ts_rank can be 0 (e.g. `-word` queries match without a positive term); the logarithm needs a floor. */
const MIN_RANK = 1e-6;

/** The readable score of a hit now (what `key` orders by, with the age put back in). */
export const scoreOf = (key: number, nowMs = Date.now()) => Math.exp(key - nowMs / 1000 / TAU_SECONDS);

const HEADLINE_OPTIONS =
  `StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

export interface SearchCursor {
  key: number;
  type: SearchHitType;
  id: string;
}

export interface SearchRequest {
  /** What the member typed; websearch_to_tsquery reads it as plain words, "phrases", OR and -exclusions. */
  text: string;
  viewerId: string | null;
  /** Staff read every community, as the readContent policy says. */
  viewerIsStaff: boolean;
  /** Only this community (already authorised by the caller). */
  communityId: string | null;
  first: number;
  after: SearchCursor | null;
  /** At most this many of the newest matches of each type are ranked. */
  candidateCap: number;
}

export interface SearchRow {
  type: SearchHitType;
  id: string;
  rank: number;
  key: number;
  headline: string;
}

export interface SearchResult {
  rows: SearchRow[];
  /** Hits in the whole ranked set (all pages), visible to this viewer. */
  total: number;
  /** True when some type had more matches than the cap: the ranked set is then the newest matches only. */
  capped: boolean;
}

/** One candidate branch: the newest matches of one type that the viewer may read, with their text relevance. */
function candidates(type: SearchHitType, table: string, alias: string, extraWhere: string, communityFilter: boolean): string {
  const tsquery = `websearch_to_tsquery('${SEARCH_CONFIG}', ?)`;
  return (
    `(select '${type}'::text as type, ${alias}.id, ${alias}.created_at, ts_rank(${alias}.search_vector, ${tsquery}, 1) as rank ` +
    `from "${table}" ${alias} where ${alias}.search_vector @@ ${tsquery}${extraWhere} ` +
    // One community: the caller authorised reading it, which is what `hidden` encodes; leaving the redundant
    // NOT IN out keeps the planner's row estimate (and so its choice of the recency index) right.
    `and ${communityFilter ? `${alias}.community_id = ?` : `${alias}.community_id not in (select id from hidden)`} ` +
    `order by ${alias}.created_at desc, ${alias}.id desc limit ?)`
  );
}

/**
 * Search as one SQL statement, visibility included: restricted communities the viewer is not an ACTIVE member of
 * (`hidden`) are excluded inside every branch, so pages are always full and the count covers only what the viewer
 * may read. Deleted posts and removed resources never match.
 *
 * Cost control: for each type only the newest `candidateCap` matches are ranked (they come off the
 * (created_at, id) indexes, or a GIN bitmap when a term is rare). A common word in a million posts therefore costs
 * about cap ÷ its frequency rows instead of every match; the trade-off is that such a query ranks recent matches
 * only (`capped` tells the client). Rare and specific queries, which fall under the cap, rank every match.
 */
export function searchStatement(request: SearchRequest): { sql: string; params: unknown[] } {
  const { text, communityId, candidateCap } = request;
  const byCommunity = communityId !== null;
  const branch = (type: SearchHitType, table: string, alias: string, extraWhere = '') => {
    const params: unknown[] = [text, text];
    if (byCommunity) params.push(communityId);
    params.push(candidateCap);
    return { sql: candidates(type, table, alias, extraWhere, byCommunity), params };
  };
  const branches = [
    branch('Thread', 'thread', 't'),
    branch('Post', 'post', 'p', ' and p.deleted_at is null'),
    branch('Resource', 'resource', 'r', ' and r.removed_at is null'),
  ];
  const seek = request.after ? 'where (key, type, id) < (?::float8, ?::text, ?::uuid) ' : '';
  const sql =
    `with hidden as (select c.id from community c where c.visibility = 'RESTRICTED' and not ?::boolean ` +
    `and not exists (select 1 from membership m where m.community_id = c.id and m.member_id = ?::uuid and m.status = 'ACTIVE')), ` +
    `candidates as (${branches.map((b) => b.sql).join(' union all ')}), ` +
    `scored as (select type, id, rank, ln(greatest(rank, ${MIN_RANK})::float8) + extract(epoch from created_at)::float8 / ${TAU_SECONDS} as key from candidates), ` +
    `page as (select * from scored ${seek}order by key desc, type desc, id desc limit ?), ` +
    `totals as (select coalesce(sum(n), 0) as total, coalesce(max(n), 0) >= ? as capped from (select count(*) as n from candidates group by type) per_type) ` +
    `select pg.type, pg.id, pg.rank, pg.key, ` +
    `ts_headline('${SEARCH_CONFIG}', translate(case pg.type when 'Post' then p.body when 'Thread' then t.title || ' — ' || t.body ` +
    `else r.title || ' — ' || r.description end, ?, ''), websearch_to_tsquery('${SEARCH_CONFIG}', ?), ?) as headline, ` +
    `totals.total, totals.capped ` +
    `from totals left join page pg on true ` +
    `left join thread t on pg.type = 'Thread' and t.id = pg.id ` +
    `left join post p on pg.type = 'Post' and p.id = pg.id ` +
    `left join resource r on pg.type = 'Resource' and r.id = pg.id ` +
    `order by pg.key desc, pg.type desc, pg.id desc`;
  const params = [
    request.viewerIsStaff,
    request.viewerId,
    ...branches.flatMap((b) => b.params),
    ...(request.after ? [request.after.key, request.after.type, request.after.id] : []),
    request.first + 1,
    candidateCap,
    `${MATCH_START}${MATCH_END}`,
    text,
    HEADLINE_OPTIONS,
  ];
  return { sql, params };
}

/**
 * Runs `work` with the planner told that random page reads cost about what sequential ones do (1.1 instead of the
 * default 4, which models spinning disks), for this transaction only. Candidates within one community come off the
 * (community_id, created_at, id) index in recency order, and those rows are spread over the table; at cost 4 the
 * planner preferred a bitmap AND of that index with the word's whole GIN posting list, which reads every match of a
 * common word (93 ms instead of 12 ms for a word in 12% of a million posts, see BENCHMARKS.md). The hot part of a
 * search database is in memory, where the lower figure is the true one. Plain reads need no transaction otherwise;
 * this one costs two short extra round trips.
 */
export function withSearchPlanning<T>(em: Em, work: (em: Em) => Promise<T>): Promise<T> {
  return em.transactional(async (tem) => {
    await tem.execute('set local random_page_cost = 1.1');
    return work(tem as Em);
  });
}

/** Runs the search statement and reads its rows. */
export async function runSearch(em: Em, request: SearchRequest): Promise<SearchResult> {
  const { sql, params } = searchStatement(request);
  const raw = await withSearchPlanning(em, (tem) =>
    tem.execute<
      { type: SearchHitType | null; id: string | null; rank: number | string; key: number | string; headline: string | null; total: number | string; capped: boolean }[]
    >(sql, params),
  );
  const first = raw[0];
  return {
    total: Number(first?.total ?? 0),
    capped: first?.capped === true,
    rows: raw
      .filter((row) => row.type !== null && row.id !== null)
      .map((row) => ({ type: row.type!, id: row.id!, rank: Number(row.rank), key: Number(row.key), headline: row.headline ?? '' })),
  };
}
