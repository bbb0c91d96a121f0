import { Client } from 'pg';

/** Sizes of the search benchmark's data set. */
export const SEARCH_DATASET = {
  members: 2_000,
  communities: 20,
  /** Communities numbered 1..restricted are RESTRICTED; the viewer belongs to the first `viewerRestricted` of them. */
  restricted: 5,
  viewerRestricted: 2,
  threads: 50_000,
  posts: 1_000_000,
  resources: 20_000,
  /** Distinct words: the real ones below first (most frequent), then made-up ones for the long tail. */
  vocabulary: 20_000,
  /** Sentences that bodies are assembled from. */
  sentences: 200_000,
} as const;

/**
 * The most frequent content words of the corpus, most frequent first (a Zipf-like rank: the word at rank r is picked
 * about 1/r as often as the first). Phrases below also appear as fixed bigrams, as real discussion has them.
 */
const WORDS = `library students reading teachers school books information literacy digital research lesson
collection program community resources learning library's media online staff instruction database curriculum
catalog circulation graduate project librarians teaching access classroom collaboration literature fiction
nonfiction graphic novels picture poetry authors award display budget grant funding policy workshop webinar
conference session presentation survey feedback assessment rubric standards inquiry citation sources evaluate
credible misinformation news bias plagiarism copyright fair use licence open educational textbook ebook
audiobook platform app tool software laptop chromebook tablet printer makerspace robotics coding stem steam
science history math english language spanish bilingual diversity equity inclusion accessibility disability
representation voices multicultural indigenous heritage month celebration storytime family parents volunteer
mentor mentee coach leadership administrator principal district board trustee advocacy petition censorship
challenge banned freedom intellectual privacy data security password phishing citizenship ethics civic
engagement club bookclub discussion prompt question answer thread meeting agenda minutes schedule calendar
summer winter spring autumn semester term year week monday friday morning afternoon lunch recess break
elementary middle high college university public academic special archive museum partnership outreach
marketing newsletter social website blog podcast video youtube tiktok instagram display bulletin signage
weeding inventory shelving barcode processing cataloging metadata subject heading classification dewey genre
reorganization renovation furniture seating lighting quiet zone flexible space noise rules behavior
attendance engagement motivation reluctant readers struggling proficient gifted level lexile guided
independent choice voice journal writing essay report annotation vocabulary comprehension fluency phonics
decoding kindergarten preschool toddler teen adult senior patron customer service desk reference chat email
interlibrary loan hold renewal fine overdue fee amnesty card registration orientation tour tutorial guide
checklist template handout slides worksheet lesson-plan unit objective outcome evidence impact statistics
circulation-report annual review goal strategy plan priorities vision mission values wellbeing burnout
workload balance support peers network collaboration isolation solo practice sharing tips ideas success
failure lessons learned experiment pilot trial feedback iteration improvement`
  .split(/\s+/)
  .filter(Boolean);

const PHRASES = [
  'information literacy',
  'reading promotion',
  'book club',
  'digital tools',
  'professional development',
  'school library',
  'media literacy',
  'graphic novels',
  'open educational resources',
  'teacher collaboration',
];

const TAGS = ['reading', 'literacy', 'digital', 'dei', 'instruction', 'collaboration', 'events', 'tools', 'policy', 'advocacy', 'mentoring', 'research'];
const SYLLABLES = ['ka', 'lo', 'mer', 'tin', 'sa', 'ver', 'qui', 'dor', 'pel', 'zan', 'rho', 'bex', 'ul', 'fen', 'gri', 'mo', 'tas', 'wick', 'ny', 'jor'];

/** A SQL array literal of trusted constant strings. */
const textArray = (values: readonly string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]::text[]`;

/** Uniform in [0, 1) from integers: a multiplicative hash, deterministic (no random()). */
const uniform = (expression: string, salt: number) => `((((${expression})::bigint * 2654435761 + ${salt * 40503}) % 4294967296) / 4294967296.0)`;
/**
 * A Zipf–Mandelbrot rank in 1..V (P(r) ∝ 1/(r + q), q = 10): inverse-CDF sampling of the continuous law. The offset
 * keeps the top words from being in nearly every post (a stop-word profile); with 2 to 5 sentences per post the most
 * frequent word is in about a third of the posts, word 35 in about a tenth, tail words in a few hundred.
 */
const ZIPF_OFFSET = 10;
const zipfRank = (expression: string, salt: number) =>
  `least(${SEARCH_DATASET.vocabulary}, greatest(1, floor(${ZIPF_OFFSET} * exp(${uniform(expression, salt)} * ln(${(SEARCH_DATASET.vocabulary + ZIPF_OFFSET) / ZIPF_OFFSET}))) - ${ZIPF_OFFSET - 1})::int)`;

export interface SearchSeedResult {
  viewerId: string;
  /** An OPEN community and a RESTRICTED one the viewer belongs to, for `communityId` queries. */
  openCommunityId: string;
  restrictedCommunityId: string;
  counts: { members: number; communities: number; restricted: number; threads: number; posts: number; deletedPosts: number; resources: number };
}

const V = SEARCH_DATASET.vocabulary;
const S = SEARCH_DATASET.sentences;

/**
 * Set-based seed: every table is one INSERT ... SELECT over generate_series. Sentences of 6 to 12 words are drawn from
 * the vocabulary by Zipf rank (one in five carries a fixed phrase); a post is 2 to 5 sentences, so common words are in
 * a large share of posts and made-up tail words in a few dozen. Threads spread over communities unevenly (the first
 * communities are busier); posts spread over threads with a long tail; one post in 53 is deleted, one resource in 40
 * removed. The GIN indexes are dropped while loading and rebuilt after, which is much faster than maintaining them
 * row by row; they are recreated from their own definitions (pg_indexes), so they are exactly what the migrations made.
 */
function seedSql(): string[] {
  const D = SEARCH_DATASET;
  return [
    `set local maintenance_work_mem = '512MB'`,
    `create temporary table bench_word on commit drop as
       select n as rank, case when n <= ${WORDS.length} then (${textArray(WORDS)})[n]
              else (${textArray(SYLLABLES)})[1 + n % 20] || (${textArray(SYLLABLES)})[1 + (n / 20) % 20] || (${textArray(SYLLABLES)})[1 + (n / 400) % 20]
                   || case when n >= 8000 then (${textArray(SYLLABLES)})[1 + (n / 8000) % 20] else '' end end as word
       from generate_series(1, ${V}) n`,
    `create unique index on bench_word (rank)`,
    `create temporary table bench_sentence on commit drop as
       select s.n, string_agg(w.word, ' ' order by k.k)
                   || case when s.n % 5 = 0 then ' ' || (${textArray(PHRASES)})[1 + (s.n / 5) % ${PHRASES.length}] else '' end
                   || '.' as text
       from generate_series(1, ${S}) s(n)
       cross join lateral generate_series(1, 6 + s.n % 7) k(k)
       join bench_word w on w.rank = ${zipfRank('s.n * 13 + k.k', 1)}
       group by s.n`,
    `create unique index on bench_sentence (n)`,
    `create temporary table bench_member on commit drop as select n, gen_random_uuid() as id from generate_series(1, ${D.members}) n`,
    `insert into member (id, created_at, email, email_key, password_hash, display_name, org_role)
       select id, now() - interval '900 days', 'search.member' || n || '@example.test', 'search.member' || n || '@example.test',
              'not-a-password-hash', 'Search Member ' || n, 'MEMBER' from bench_member`,
    `create temporary table bench_community on commit drop as select n, gen_random_uuid() as id from generate_series(1, ${D.communities}) n`,
    `insert into community (id, created_at, slug, name, description, topics, visibility, membership_rationale)
       select id, now() - interval '1000 days', 'search-' || n, 'Search community ' || n, 'Seeded for the search benchmark',
              array['topic-' || n], (case when n <= ${D.restricted} then 'RESTRICTED' else 'OPEN' end)::community_visibility,
              case when n <= ${D.restricted} then 'Members share student data' end
       from bench_community`,
    // Member 1 (the viewer) is ACTIVE in the first viewerRestricted restricted communities and in every open one;
    // the others belong to a few communities each.
    `insert into membership (id, member_id, community_id, status, joined_at)
       select gen_random_uuid(), m.id, c.id, 'ACTIVE', now() - interval '800 days'
       from bench_member m join bench_community c
         on (m.n = 1 and (c.n > ${D.restricted} or c.n <= ${D.viewerRestricted}))
         or (m.n > 1 and (m.n + c.n) % 7 = 0)`,
    `create temporary table bench_thread on commit drop as
       select n, gen_random_uuid() as id,
              1 + floor(${D.communities} * power(${uniform('n', 2)}, 1.5))::int as community_n,
              date_trunc('milliseconds', now() - interval '1 minute' * (5 + (n::bigint * 104729) % (3 * 365 * 24 * 60))) as created_at
       from generate_series(1, ${D.threads}) n`,
    `insert into thread (id, created_at, community_id, author_id, title, body, kind, tags, reply_count, last_activity_at)
       select t.id, t.created_at, c.id, m.id,
              initcap(rtrim(split_part(s1.text, ' ', 1) || ' ' || split_part(s1.text, ' ', 2) || ' ' || split_part(s1.text, ' ', 3) || ' ' || split_part(s1.text, ' ', 4), '.')) || '?',
              s2.text || ' ' || s3.text,
              'DISCUSSION', array[(${textArray(TAGS)})[1 + t.n % ${TAGS.length}]], 0, t.created_at
       from bench_thread t
       join bench_community c on c.n = t.community_n
       join bench_member m on m.n = 1 + (t.n * 31) % ${D.members}
       join bench_sentence s1 on s1.n = 1 + (t.n::bigint * 7919) % ${S}
       join bench_sentence s2 on s2.n = 1 + (t.n::bigint * 104723) % ${S}
       join bench_sentence s3 on s3.n = 1 + (t.n::bigint * 15485863) % ${S}
       order by t.created_at`,
    `create temporary table bench_post on commit drop as
       select n, 1 + least(${D.threads - 1}, floor(${D.threads} * power(${uniform('n', 3)}, 1.4)))::int as thread_n
       from generate_series(1, ${D.posts}) n`,
    `insert into post (id, created_at, thread_id, author_id, body, deleted_at)
       select gen_random_uuid() as id, date_trunc('milliseconds', t.created_at + (now() - t.created_at) * ${uniform('p.n', 4)}), t.id, m.id,
              s1.text || ' ' || s2.text || case when p.n % 4 > 0 then ' ' || s3.text else '' end
                || case when p.n % 4 > 1 then ' ' || s4.text else '' end || case when p.n % 4 > 2 then ' ' || s5.text else '' end,
              case when p.n % 53 = 0 then now() end
       from bench_post p
       join bench_thread t on t.n = p.thread_n
       join bench_member m on m.n = 1 + (p.n * 7 + p.thread_n) % ${D.members}
       join bench_sentence s1 on s1.n = 1 + (p.n::bigint * 7919) % ${S}
       join bench_sentence s2 on s2.n = 1 + (p.n::bigint * 104723) % ${S}
       join bench_sentence s3 on s3.n = 1 + (p.n::bigint * 1299709) % ${S}
       join bench_sentence s4 on s4.n = 1 + (p.n::bigint * 15485863) % ${S}
       join bench_sentence s5 on s5.n = 1 + (p.n::bigint * 179424673) % ${S}
       -- In the order the API would have written them, so the table's physical order follows time as in production.
       order by 2`,
    // As deletePost leaves them: a tombstone without its words.
    `update post set body = '' where deleted_at is not null`,
    `update thread t set reply_count = s.live, last_activity_at = greatest(t.created_at, s.latest)
       from (select thread_id, count(*) filter (where deleted_at is null) as live, max(created_at) as latest from post group by thread_id) s
       where s.thread_id = t.id`,
    `insert into resource (id, created_at, community_id, shared_by_id, title, url, description, kind, tags, endorsement_count, removed_at)
       select gen_random_uuid(), now() - interval '1 minute' * (5 + (g.n::bigint * 104729) % (3 * 365 * 24 * 60)), c.id, m.id,
              initcap(rtrim(split_part(s1.text, ' ', 1) || ' ' || split_part(s1.text, ' ', 2) || ' ' || split_part(s1.text, ' ', 3), '.')),
              'https://resources.example.org/' || g.n || '/' || split_part(s1.text, ' ', 1),
              s2.text, (array['LINK','DOCUMENT','VIDEO','TOOL','OTHER'])[1 + g.n % 5]::resource_kind,
              array[(${textArray(TAGS)})[1 + g.n % ${TAGS.length}]], g.n % 13, case when g.n % 40 = 0 then now() end
       from generate_series(1, ${D.resources}) g(n)
       join bench_community c on c.n = 1 + floor(${D.communities} * power(${uniform('g.n', 5)}, 1.5))::int
       join bench_member m on m.n = 1 + (g.n * 17) % ${D.members}
       join bench_sentence s1 on s1.n = 1 + (g.n::bigint * 7919 + 11) % ${S}
       join bench_sentence s2 on s2.n = 1 + (g.n::bigint * 104723 + 13) % ${S}
       order by 2`,
  ];
}

/** Loads the data set in one transaction, then VACUUM ANALYZE (statistics and visibility map, as a settled database has). */
export async function seedSearchData(url: string, log: (message: string) => void): Promise<SearchSeedResult> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename in ('post', 'thread', 'resource') and indexname like '%search%'`,
    );
    for (const index of indexes) await client.query(`drop index "${index.indexname}"`);
    log(`  dropped ${indexes.length} search indexes for the load: ${indexes.map((i) => i.indexname).join(', ')}`);
    for (const sql of [...seedSql(), ...indexes.map((i) => i.indexdef)]) {
      const started = Date.now();
      await client.query(sql);
      log(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${sql.replace(/\s+/g, ' ').slice(0, 90)}`);
    }
    const ids = await client.query<{ viewer_id: string; open_id: string; restricted_id: string }>(
      `select (select id from bench_member where n = 1) as viewer_id,
              (select id from bench_community where n = ${SEARCH_DATASET.restricted + 1}) as open_id,
              (select id from bench_community where n = 1) as restricted_id`,
    );
    await client.query('commit');
    const started = Date.now();
    await client.query('vacuum analyze');
    log(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  vacuum analyze`);
    const { rows } = await client.query<Record<keyof SearchSeedResult['counts'], string>>(
      `select (select count(*) from member) as members, (select count(*) from community) as communities,
              (select count(*) from community where visibility = 'RESTRICTED') as restricted,
              (select count(*) from thread) as threads, (select count(*) from post) as posts,
              (select count(*) from post where deleted_at is not null) as "deletedPosts", (select count(*) from resource) as resources`,
    );
    const counts = Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)])) as SearchSeedResult['counts'];
    const row = ids.rows[0]!;
    return { viewerId: row.viewer_id, openCommunityId: row.open_id, restrictedCommunityId: row.restricted_id, counts };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
