import { Client } from 'pg';

/** Sizes of the feed benchmark's data set. */
export const DATASET = {
  members: 500,
  threads: 2_000,
  /** The last threads get no replies at all. */
  threadsWithoutPosts: 100,
  /** One thread in this many is pinned. */
  pinnedEvery: 400,
  posts: 20_000,
} as const;

export const BENCH_SLUG = 'bench';

export interface SeedResult {
  communityId: string;
  /** The member whose token the load uses (member #1: reacted to a quarter of the posts). */
  viewerId: string;
  counts: { members: number; memberships: number; threads: number; pinned: number; posts: number; deletedPosts: number; reactions: number };
}

const EMOJIS = ['👍', '❤️', '🎉', '😂', '🤔', '🚀'];
const TAGS = ['onboarding', 'tooling', 'research', 'events', 'mentoring', 'policy', 'data', 'design'];

/** A SQL array literal of trusted constant strings. */
const textArray = (values: readonly string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]`;

/**
 * Reactions: every third post has none, the others 1 to 5 from different members, and the viewer adds a 👍 to
 * every fourth post. Deleted posts (one in 53) have none.
 *
 * Set-based seed: each table is one INSERT ... SELECT over generate_series. Numbers map to ids through temporary
 * tables (`bench_*`), so the data is deterministic apart from the uuids. Spreads come from a multiplicative hash,
 * `(n * 2654435761) % 2^32 / 2^32`, so threads get a skewed number of replies (a few busy ones, a long tail).
 */
const SEED_SQL = [
  `create temporary table bench_member on commit drop as
     select n, gen_random_uuid() as id from generate_series(1, ${DATASET.members}) n`,
  `insert into member (id, created_at, email, email_key, password_hash, display_name, bio, expertise, org_role)
     select m.id, now() - interval '400 days' + m.n * interval '1 hour',
            'Bench.Member' || m.n || '@example.test', 'bench.member' || m.n || '@example.test',
            'not-a-password-hash', 'Bench Member ' || m.n,
            case when m.n % 3 = 0 then 'Practitioner #' || m.n end,
            array['topic-' || (m.n % 7)],
            (case when m.n = 2 then 'STAFF' else 'MEMBER' end)::org_role
     from bench_member m`,
  `insert into community (id, created_at, slug, name, description, topics, visibility, status)
     values (gen_random_uuid(), now() - interval '500 days', '${BENCH_SLUG}', 'Benchmark Practice',
             'A community of practice seeded for the feed benchmark.', array['benchmarks', 'performance'], 'OPEN', 'ACTIVE')`,
  `insert into membership (id, created_at, member_id, community_id, status, roles, notification_preference, joined_at, approved_at)
     select gen_random_uuid(), now() - interval '390 days' + m.n * interval '30 minutes', m.id, c.id, 'ACTIVE',
            case when m.n = 3 then array['LEAD'] when m.n % 50 = 4 then array['DISCUSSION_MONITOR'] else '{}'::text[] end,
            'REALTIME', now() - interval '390 days' + m.n * interval '30 minutes', null
     from bench_member m cross join community c where c.slug = '${BENCH_SLUG}'`,
  `create temporary table bench_thread on commit drop as
     select n, gen_random_uuid() as id,
            date_trunc('milliseconds', now() - interval '1 minute' * (1 + (n::bigint * 104729) % 240000)) as created_at
     from generate_series(1, ${DATASET.threads}) n`,
  `insert into thread (id, created_at, community_id, author_id, title, body, kind, tags, pinned, locked, reply_count, last_activity_at)
     select t.id, t.created_at, c.id, m.id,
            'Bench thread #' || t.n || ': ' || (${textArray(TAGS)})[1 + t.n % 8] || ' practices',
            'Opening post of thread ' || t.n || '. ' || repeat('Some context for the discussion. ', 1 + t.n % 12),
            (case t.n % 10 when 5 then 'QUESTION' when 6 then 'QUESTION' when 7 then 'ANNOUNCEMENT' when 8 then 'PROMPT'
                            when 9 then 'AMA' else 'DISCUSSION' end)::thread_kind,
            (${textArray([...TAGS, ...TAGS])})[1 + t.n % 8 : t.n % 8 + t.n % 4],
            t.n % ${DATASET.pinnedEvery} = 7, t.n % 97 = 0, 0, t.created_at
     from bench_thread t
     cross join community c
     join bench_member m on m.n = 1 + (t.n * 31) % ${DATASET.members}
     where c.slug = '${BENCH_SLUG}'`,
  `create temporary table bench_post on commit drop as
     select n, gen_random_uuid() as id,
            1 + least(${DATASET.threads - DATASET.threadsWithoutPosts - 1},
                      floor(${DATASET.threads - DATASET.threadsWithoutPosts} * power(((n::bigint * 2654435761) % 4294967296) / 4294967296.0, 1.6)))::int
              as thread_n
     from generate_series(1, ${DATASET.posts}) n`,
  `insert into post (id, created_at, thread_id, author_id, parent_id, body, edited_at, deleted_at, deleted_by_id)
     select p.id, q.created_at, t.id, m.id, null,
            'Reply ' || p.n || ' in thread ' || t.n || '. ' || repeat('A thoughtful answer. ', 1 + p.n % 15),
            case when p.n % 11 = 0 then q.created_at + interval '5 minutes' end,
            case when p.n % 53 = 0 then q.created_at + interval '1 hour' end,
            case when p.n % 53 = 0 then m.id end
     from bench_post p
     join bench_thread t on t.n = p.thread_n
     join bench_member m on m.n = 1 + (p.n * 7 + p.thread_n) % ${DATASET.members}
     cross join lateral (
       select date_trunc('milliseconds', t.created_at + (now() - t.created_at) * (((p.n::bigint * 40503) % 10007) / 10007.0)) as created_at
     ) q`,
  // Thread counters as the commands keep them: live replies, and the latest reply (or the thread's start).
  `update thread t set reply_count = s.live, last_activity_at = greatest(t.created_at, s.latest)
     from (select thread_id, count(*) filter (where deleted_at is null) as live, max(created_at) as latest
           from post group by thread_id) s
     where s.thread_id = t.id`,
  `insert into reaction (id, created_at, post_id, member_id, emoji)
     select gen_random_uuid(), po.created_at + k * interval '3 minutes', p.id, m.id, (${textArray(EMOJIS)})[1 + (p.n + k) % 6]
     from bench_post p
     join post po on po.id = p.id
     cross join lateral generate_series(1, 1 + p.n % 5) k
     join bench_member m on m.n = 1 + (p.n * 13 + k * 37) % ${DATASET.members}
     where p.n % 3 <> 0 and po.deleted_at is null`,
  `insert into reaction (id, created_at, post_id, member_id, emoji)
     select gen_random_uuid(), po.created_at + interval '1 minute', p.id, m.id, '👍'
     from bench_post p
     join post po on po.id = p.id
     join bench_member m on m.n = 1
     where p.n % 4 = 1 and po.deleted_at is null
     on conflict (post_id, member_id, emoji) do nothing`,
];

/** Loads the data set in one transaction, then ANALYZE so the planner sees real statistics. */
export async function seedFeedData(url: string): Promise<SeedResult> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    for (const sql of SEED_SQL) await client.query(sql);
    const ids = await client.query<{ community_id: string; viewer_id: string }>(
      `select (select id from community where slug = $1) as community_id,
              (select id from bench_member where n = 1) as viewer_id`,
      [BENCH_SLUG],
    );
    await client.query('commit');
    await client.query('analyze');
    const { rows } = await client.query<Record<keyof SeedResult['counts'], string>>(
      `select (select count(*) from member) as members,
              (select count(*) from membership where status = 'ACTIVE') as memberships,
              (select count(*) from thread) as threads,
              (select count(*) from thread where pinned) as pinned,
              (select count(*) from post) as posts,
              (select count(*) from post where deleted_at is not null) as "deletedPosts",
              (select count(*) from reaction) as reactions`,
    );
    const row = rows[0]!;
    const counts = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as SeedResult['counts'];
    await checkConsistency(client);
    return { communityId: ids.rows[0]!.community_id, viewerId: ids.rows[0]!.viewer_id, counts };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** The denormalised thread columns must agree with the posts, as the reply and delete commands keep them. */
async function checkConsistency(client: Client): Promise<void> {
  const { rows } = await client.query<{ bad: string }>(
    `select count(*) as bad from thread t
       left join lateral (select count(*) filter (where p.deleted_at is null) as live, max(p.created_at) as latest
                          from post p where p.thread_id = t.id) s on true
      where t.reply_count <> s.live or t.last_activity_at <> greatest(t.created_at, coalesce(s.latest, t.created_at))`,
  );
  if (Number(rows[0]!.bad) !== 0) throw new Error(`seed: ${rows[0]!.bad} threads have reply_count/last_activity_at out of step with their posts`);
}
